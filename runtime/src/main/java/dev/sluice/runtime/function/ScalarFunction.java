package dev.sluice.runtime.function;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Set;

/**
 * A scalar function or operator ({@code UPPER}, {@code +}, {@code =}, {@code CAST}, ...).
 *
 * <p>Typing and implementation live together so that the analyzer and the runtime agree by
 * construction. Both methods see the typed argument expressions, so a function can read constant
 * arguments once (a date unit, a format pattern, a LIKE pattern) instead of per record.
 */
public interface ScalarFunction {

    /** Canonical upper-case name; operators use their symbol ({@code "+"}, {@code "="}). */
    String name();

    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * The result type for these arguments.
     *
     * @throws FunctionException naming the function and the offending types when not applicable
     */
    SqlType returnType(List<Expr> arguments);

    /** Binds an implementation for these argument types, once per call site at build time. */
    Implementation implement(List<Expr> arguments, SqlType returnType);

    /**
     * True (the SQL default) when any NULL argument makes the result NULL; the evaluator then
     * short-circuits and {@link Implementation#apply} never sees a null.
     */
    default boolean nullOnNullInput() {
        return true;
    }

    /** False for {@code NOW()}, {@code RAND()}: never folded at compile time. */
    default boolean deterministic() {
        return true;
    }

    @FunctionalInterface
    interface Implementation {
        Object apply(Object[] arguments);
    }
}
