package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.function.FunctionException;

/**
 * A user aggregate's call whose fitting overload takes an argument as an initial one (a
 * {@code createAccumulator} parameter, fixed for the query) where the call gives a column or an
 * expression: those arguments must be literal constants.
 */
public final class InitialArgumentNotConstantException extends FunctionException {
    private final int argument;

    InitialArgumentNotConstantException(String name, int argument) {
        super(name + ": argument " + (argument + 1) + " is an initial argument of the aggregate (a createAccumulator "
                + "parameter) and must be a literal constant");
        this.argument = argument;
    }

    /** Its index among the call's arguments. */
    public int argument() {
        return argument;
    }
}
