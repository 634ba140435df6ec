package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * ksqlDB's {@code STDDEV_SAMPLE(x)}: the sample standard deviation, DOUBLE, 0.0 (not NULL) for
 * fewer than two values, NULLs skipped. Updated with ksqlDB's own recurrence (count, sum, and the
 * sum of squared deviations grown by {@code (n·x − Σ)² / (n(n−1))}), so results match ksqlDB's to
 * the last digit.
 *
 * <p>{@link #ksqlStddevSamp()} is ksqlDB's {@code STDDEV_SAMP} by the same recurrence, which returns
 * the sample <em>variance</em> (ksqlDB's {@code StandardDeviationSampUdaf} takes no square root).
 * Its stored form writes the count as {@code -1 - count} (never negative in the older Welford form
 * of {@link VarianceFunction} that ksqlDB-dialect STDDEV_SAMP kept before), so a stored older state
 * is still read: its mean times its count becomes the sum.
 */
final class KsqlStddevSampleFunction implements AggregateFunction {
    /** ksqlDB's STDDEV_SAMP: the variance, stored in the tagged form. */
    private final boolean variance;

    KsqlStddevSampleFunction() {
        this(false);
    }

    private KsqlStddevSampleFunction(boolean variance) {
        this.variance = variance;
    }

    /** ksqlDB's STDDEV_SAMP: the sample variance by ksqlDB's recurrence, 0.0 below two values. */
    static KsqlStddevSampleFunction ksqlStddevSamp() {
        return new KsqlStddevSampleFunction(true);
    }

    @Override
    public String name() {
        return variance ? "STDDEV_SAMP" : "STDDEV_SAMPLE";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return ArgumentChecks.oneNumericToDouble(name(), arguments);
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        return Factories.of(() -> new State(slots, variance), in -> {
            State s = new State(slots, variance);
            long count = StateIo.readVarLong(in);
            if (variance && count >= 0) {
                // the Welford form (count, then mean and m2 when count > 0) stored before the tagged one
                s.count = count;
                if (count > 0) {
                    s.sum = in.readDouble() * count;
                    s.m2 = in.readDouble();
                }
                return s;
            }
            s.count = variance ? -1 - count : count;
            s.sum = in.readDouble();
            s.m2 = in.readDouble();
            return s;
        });
    }

    private static final class State extends NumericInputAccumulator {
        private long count;
        private double sum;
        private double m2;
        private final boolean variance;

        State(ArgumentSlots slots, boolean variance) {
            super(slots);
            this.variance = variance;
        }

        @Override
        void add(double x) {
            long n = count + 1;
            if (n > 1) {
                double delta = x * n - (sum + x);
                m2 += delta * delta / (n * (n - 1));
            }
            count = n;
            sum += x;
        }

        @Override
        void retract(double x) {
            long n = count - 1;
            if (n > 0) {
                // ksqlDB's undo reuses its add's delta over the current count and sum
                double delta = x * (count + 1) - (sum + x);
                m2 -= delta * delta / (n * (n + 1));
            } else {
                m2 = 0;
            }
            count = n;
            sum -= x;
        }

        @Override
        public void merge(Accumulator other) {
            State o = (State) other;
            if (count > 0 && o.count > 0) {
                double inner = sum / count - o.sum / o.count;
                m2 += o.m2 + count * o.count * inner * inner / (count + o.count);
            } else {
                m2 += o.m2;
            }
            count += o.count;
            sum += o.sum;
        }

        @Override
        public Object result() {
            if (count < 2) {
                return 0.0;
            }
            return variance ? m2 / (count - 1) : Math.sqrt(m2 / (count - 1));
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, variance ? -1 - count : count);
            out.writeDouble(sum);
            out.writeDouble(m2);
        }
    }
}
