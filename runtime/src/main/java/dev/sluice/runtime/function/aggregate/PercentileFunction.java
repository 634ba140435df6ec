package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.util.List;

/**
 * Exact {@code PERCENTILE_CONT(x, p)} and {@code PERCENTILE_DISC(x, p)}, PostgreSQL semantics; the
 * analyzer turns {@code PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x)} into the arguments
 * {@code (x, p)}, p a constant in [0, 1]. NULLs are skipped; no non-NULL input gives NULL.
 *
 * <ul>
 *   <li>CONT (numeric x, DOUBLE result): with the n values sorted, position {@code p * (n - 1)}
 *       (0-based) is interpolated linearly between its two neighbours. The position is computed in
 *       decimal from the literal, so 0.95 means exactly 0.95 (not the nearest binary double) and
 *       PERCENTILE_CONT(0.95) of 1, 2, 3, 4 is 3.85.</li>
 *   <li>DISC (any comparable x, same type): the first value whose cumulative fraction
 *       {@code position / n} reaches p, i.e. the value at 1-based position {@code max(1, ceil(p * n))}.</li>
 * </ul>
 * The state keeps every distinct value with its count (it grows with the distinct values of a
 * group); it merges and retracts exactly. Use APPROX_PERCENTILE for bounded state.
 */
final class PercentileFunction implements AggregateFunction {
    private final boolean continuous;

    private PercentileFunction(boolean continuous) {
        this.continuous = continuous;
    }

    static PercentileFunction cont() {
        return new PercentileFunction(true);
    }

    static PercentileFunction disc() {
        return new PercentileFunction(false);
    }

    @Override
    public String name() {
        return continuous ? "PERCENTILE_CONT" : "PERCENTILE_DISC";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 2, 2);
        ArgumentChecks.constantFraction(name(), arguments, 1);
        if (continuous) {
            ArgumentChecks.numeric(name(), arguments, 0);
            return ScalarType.DOUBLE;
        }
        return ArgumentChecks.comparable(name(), arguments, 0, "an argument");
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        SqlType type = arguments.get(0).type();
        BigDecimal fraction = ArgumentChecks.constantFraction(name(), arguments, 1);
        return Factories.of(() -> new PercentileAccumulator(slots, type, fraction, continuous, new SortedMultiset()),
                in -> new PercentileAccumulator(slots, type, fraction, continuous, SortedMultiset.read(in, type)));
    }

    static final class PercentileAccumulator extends MultisetAccumulator {
        private final BigDecimal fraction;
        private final boolean continuous;

        PercentileAccumulator(ArgumentSlots slots, SqlType type, BigDecimal fraction, boolean continuous,
                              SortedMultiset values) {
            super(slots, type, values);
            this.fraction = fraction;
            this.continuous = continuous;
        }

        @Override
        public Object result() {
            long n = values.size();
            return n == 0 ? null : PercentileRank.result(fraction, continuous, n, values::valueAt);
        }
    }
}
