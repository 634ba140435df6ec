package dev.sluice.runtime.function;

/**
 * A call that cannot be typed or bound, e.g. "UPPER expects VARCHAR, got BIGINT". The analyzer
 * rethrows it with the call's location. The message must name the function and the types.
 */
public class FunctionException extends RuntimeException {
    public FunctionException(String message) {
        super(message);
    }
}
