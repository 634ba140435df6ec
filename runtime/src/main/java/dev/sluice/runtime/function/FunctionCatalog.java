package dev.sluice.runtime.function;

import dev.sluice.runtime.expr.Expr;

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

    /**
     * Whether {@code e} gives the same value every time it is evaluated over the same row: no call in
     * it is of a function that reads a clock or a random source (RAND, UUID, NOW...). A function the
     * catalog does not know is taken as deterministic (the analyzer has refused unknown names already).
     */
    default boolean deterministic(Expr e) {
        if (e instanceof Expr.Call call) {
            boolean own = scalar(call.function()).map(ScalarFunction::deterministic).orElse(true);
            return own && call.arguments().stream().allMatch(this::deterministic);
        }
        return true;
    }
}
