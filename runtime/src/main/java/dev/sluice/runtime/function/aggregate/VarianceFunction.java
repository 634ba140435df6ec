package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * {@code STDDEV_SAMP} (alias {@code STDDEV}), {@code STDDEV_POP}, {@code VAR_SAMP} (alias
 * {@code VARIANCE}), {@code VAR_POP} of a numeric argument. Always DOUBLE, a deliberate difference
 * from Flink, whose STDDEV(BIGINT) is a truncated BIGINT computed with integer divisions.
 *
 * <p>NULLs are skipped. No non-NULL input gives NULL; a single one gives NULL for the sample
 * variants (n - 1 = 0) and 0 for the population ones, as in PostgreSQL and Flink.
 *
 * <p>Computed with Welford's online update and Chan et al.'s pairwise merge (count, mean, sum of
 * squared deviations), which stay accurate where the textbook {@code sum(x*x) - sum(x)^2 / n}
 * cancels catastrophically (large values with a small spread, such as epoch timestamps).
 * Retraction inverts Welford's step; it is exact up to rounding.
 */
final class VarianceFunction implements AggregateFunction {

    enum Kind {
        STDDEV_SAMP(true, true), STDDEV_POP(true, false), VAR_SAMP(false, true), VAR_POP(false, false);

        final boolean root;
        final boolean sample;

        Kind(boolean root, boolean sample) {
            this.root = root;
            this.sample = sample;
        }
    }

    private final Kind kind;

    VarianceFunction(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.name();
    }

    @Override
    public Set<String> aliases() {
        return switch (kind) {
            case STDDEV_SAMP -> Set.of("STDDEV");
            case VAR_SAMP -> Set.of("VARIANCE");
            default -> Set.of();
        };
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return ArgumentChecks.oneNumericToDouble(name(), arguments);
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        return Factories.of(() -> new WelfordAccumulator(slots, kind),
                in -> {
                    WelfordAccumulator a = new WelfordAccumulator(slots, kind);
                    a.count = StateIo.readVarLong(in);
                    if (a.count > 0) {
                        a.mean = in.readDouble();
                        a.m2 = in.readDouble();
                    }
                    return a;
                });
    }

    static final class WelfordAccumulator extends NumericInputAccumulator {
        private final Kind kind;
        private long count;
        private double mean;
        /** Sum of squared deviations from the mean. */
        private double m2;

        WelfordAccumulator(ArgumentSlots slots, Kind kind) {
            super(slots);
            this.kind = kind;
        }

        @Override
        void add(double x) {
            count++;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
        }

        @Override
        void retract(double x) {
            count--;
            if (count <= 0) {
                count = 0;
                mean = 0;
                m2 = 0;
                return;
            }
            double previousMean = mean;
            mean = (previousMean * (count + 1) - x) / count;
            m2 -= (x - mean) * (x - previousMean);
            if (m2 < 0 || count == 1) {
                // one value left has no spread: without this, the rounding left over from the
                // retractions (m2 ~ 1e-16) would show as a population STDDEV of ~1e-8, not 0
                m2 = 0;
            }
        }

        @Override
        public void merge(Accumulator other) {
            WelfordAccumulator o = (WelfordAccumulator) other;
            if (o.count == 0) {
                return;
            }
            if (count == 0) {
                count = o.count;
                mean = o.mean;
                m2 = o.m2;
                return;
            }
            long n = count + o.count;
            double delta = o.mean - mean;
            mean += delta * o.count / n;
            m2 += o.m2 + delta * delta * ((double) count * o.count / n);
            count = n;
        }

        @Override
        public Object result() {
            long divisor = kind.sample ? count - 1 : count;
            if (count == 0 || divisor == 0) {
                return null;
            }
            double variance = Math.max(0, m2 / divisor);
            return kind.root ? Math.sqrt(variance) : variance;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, count);
            if (count > 0) {
                out.writeDouble(mean);
                out.writeDouble(m2);
            }
        }
    }
}
