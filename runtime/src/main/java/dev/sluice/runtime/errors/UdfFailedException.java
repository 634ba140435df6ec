package dev.sluice.runtime.errors;

/** A user-defined function threw (or could not be called) for one row; its exception is the cause. */
public class UdfFailedException extends RuntimeException {
    public UdfFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
