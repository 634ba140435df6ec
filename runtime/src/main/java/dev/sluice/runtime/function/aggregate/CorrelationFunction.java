package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * ksqlDB's {@code CORRELATION(x, y)}: the Pearson correlation coefficient of two numeric columns,
 * DOUBLE. Rows where either is NULL are skipped. Computed as ksqlDB does, from the single-pass sums
 * (n, Σx, Σy, Σx², Σy², Σxy), so results match it to the last digit; no rows (or no spread) give
 * NaN, as 0/0 does in ksqlDB. Retracts exactly by subtracting, so it works over tables.
 */
final class CorrelationFunction implements AggregateFunction {

    @Override
    public String name() {
        return "CORRELATION";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 2, 2);
        ArgumentChecks.numeric(name(), arguments, 0);
        ArgumentChecks.numeric(name(), arguments, 1);
        return ScalarType.DOUBLE;
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        return Factories.of(() -> new Sums(slots), in -> {
            Sums s = new Sums(slots);
            s.count = StateIo.readVarLong(in);
            s.x = in.readDouble();
            s.y = in.readDouble();
            s.xx = in.readDouble();
            s.yy = in.readDouble();
            s.xy = in.readDouble();
            return s;
        });
    }

    private static final class Sums implements Accumulator {
        private final ArgumentSlots slots;
        private long count;
        private double x;
        private double y;
        private double xx;
        private double yy;
        private double xy;

        Sums(ArgumentSlots slots) {
            this.slots = slots;
        }

        private void update(Object[] arguments, int sign) {
            Object a = slots.get(arguments, 0);
            Object b = slots.get(arguments, 1);
            if (a == null || b == null) {
                return;
            }
            double vx = ((Number) a).doubleValue();
            double vy = ((Number) b).doubleValue();
            x += sign * vx;
            y += sign * vy;
            xx += sign * vx * vx;
            yy += sign * vy * vy;
            xy += sign * vx * vy;
            count += sign;
            if (sign < 0 && count <= 1) {
                // what a retraction leaves of one row (or none) has no spread: without this, the
                // rounding left over from the subtractions would show as a correlation, not NaN
                // (0/0), which the row alone gives (as a one-value variance is 0)
                if (count <= 0) {
                    count = 0;
                    x = y = 0;
                }
                xx = x * x;
                yy = y * y;
                xy = x * y;
            }
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            update(arguments, 1);
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            update(arguments, -1);
        }

        @Override
        public void merge(Accumulator other) {
            Sums o = (Sums) other;
            count += o.count;
            x += o.x;
            y += o.y;
            xx += o.xx;
            yy += o.yy;
            xy += o.xy;
        }

        @Override
        public Object result() {
            double numerator = count * xy - x * y;
            double denominator = Math.sqrt((count * xx - x * x) * (count * yy - y * y));
            return numerator / denominator;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, count);
            out.writeDouble(x);
            out.writeDouble(y);
            out.writeDouble(xx);
            out.writeDouble(yy);
            out.writeDouble(xy);
        }
    }
}
