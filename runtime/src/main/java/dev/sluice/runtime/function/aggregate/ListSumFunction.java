package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * ksqlDB's {@code SUM_LIST(array)}: the sum of the elements of every row's ARRAY of INTEGER, BIGINT
 * or DOUBLE, of the element's type. NULL arrays and NULL elements are skipped; an empty group is 0,
 * as ksqlDB's starts at 0. INTEGER and BIGINT wrap on overflow as Java's (and ksqlDB's) sums do.
 * Retracts, so it works over tables too.
 */
final class ListSumFunction implements AggregateFunction {
    @Override
    public String name() {
        return "SUM_LIST";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, 1);
        SqlType t = arguments.get(0).type();
        if (t instanceof ArrayType a && (a.element() == ScalarType.INTEGER || a.element() == ScalarType.BIGINT
                || a.element() == ScalarType.DOUBLE)) {
            return a.element();
        }
        throw new FunctionException("SUM_LIST expects an ARRAY of INTEGER, BIGINT or DOUBLE, got " + t.sql());
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ScalarType type = (ScalarType) returnType;
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        return Factories.of(() -> new ListSum(slots, type), in -> {
            ListSum s = new ListSum(slots, type);
            if (type == ScalarType.DOUBLE) {
                s.doubles = in.readDouble();
            } else {
                s.longs = in.readLong();
            }
            return s;
        });
    }

    private static final class ListSum implements Accumulator {
        private final ArgumentSlots slots;
        private final ScalarType type;
        private long longs;
        private double doubles;

        ListSum(ArgumentSlots slots, ScalarType type) {
            this.slots = slots;
            this.type = type;
        }

        private void fold(Object[] arguments, int sign) {
            List<?> list = (List<?>) slots.get(arguments, 0);
            if (list == null) {
                return;
            }
            for (Object v : list) {
                if (v instanceof Double d) {
                    doubles += sign * d;
                } else if (v != null) {
                    longs += sign * ((Number) v).longValue();
                }
            }
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            fold(arguments, 1);
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            fold(arguments, -1);
        }

        @Override
        public void merge(Accumulator other) {
            ListSum o = (ListSum) other;
            longs += o.longs;
            doubles += o.doubles;
        }

        @Override
        public Object result() {
            return switch (type) {
                case INTEGER -> (int) longs;
                case BIGINT -> longs;
                default -> doubles;
            };
        }

        @Override
        public void write(DataOutput out) throws IOException {
            if (type == ScalarType.DOUBLE) {
                out.writeDouble(doubles);
            } else {
                out.writeLong(longs);
            }
        }
    }
}
