package dev.sluice.runtime.function;

import java.util.Optional;
import java.util.Set;

/** Where the analyzer and the runtime find functions by name (case-insensitive). */
public interface FunctionCatalog {

    Optional<ScalarFunction> scalar(String name);

    Optional<AggregateFunction> aggregate(String name);

    /** Every known name, for "did you mean" suggestions. */
    Set<String> names();

    /**
     * Whether {@code name} is a user-defined table function: its {@link #scalar} gives the ARRAY of the
     * rows one call makes, and a SELECT item calling it gives one output row per element, as EXPLODE does.
     */
    default boolean tableFunction(String name) {
        return false;
    }

    /** Whether names and operators have ksqlDB's meaning (the script is in ksqlDB's dialect). */
    default boolean ksqlDialect() {
        return false;
    }
}
