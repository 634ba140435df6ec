package dev.sluice.runtime.function;

import java.util.Optional;
import java.util.Set;

/** Where the analyzer and the runtime find functions by name (case-insensitive). */
public interface FunctionCatalog {

    Optional<ScalarFunction> scalar(String name);

    Optional<AggregateFunction> aggregate(String name);

    /** Every known name, for "did you mean" suggestions. */
    Set<String> names();

    /** Whether names and operators have ksqlDB's meaning (the script is in ksqlDB's dialect). */
    default boolean ksqlDialect() {
        return false;
    }
}
