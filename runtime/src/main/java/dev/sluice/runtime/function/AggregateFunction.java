package dev.sluice.runtime.function;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Set;

/**
 * An aggregate ({@code COUNT}, {@code SUM}, {@code APPROX_PERCENTILE}, {@code ARRAY_AGG}, ...).
 *
 * <p>{@code arguments} are the typed argument expressions: constant ones (the 0.95 of
 * {@code APPROX_PERCENTILE(x, 0.95)}, the 0.5 of {@code PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)},
 * which the analyzer passes as {@code (x, 0.5)}) are read at bind time; accumulators receive only the
 * non-constant ones, in order. {@code COUNT(*)} has no arguments.
 */
public interface AggregateFunction {

    String name();

    default Set<String> aliases() {
        return Set.of();
    }

    /** @throws FunctionException naming the function and the types when not applicable */
    SqlType returnType(List<Expr> arguments);

    /**
     * @param sortDescending for {@code ARRAY_AGG(x ORDER BY k [DESC])}: the ORDER BY keys are passed
     *                       to the accumulator as extra trailing non-constant arguments, one flag each
     */
    AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending);
}
