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
 * {@code COUNT(*)} (no arguments) counts rows; {@code COUNT(x, ...)} counts rows where every
 * argument is non-NULL (Flink). BIGINT, 0 for an empty group, retractable.
 */
final class CountFunction implements AggregateFunction {

    @Override
    public String name() {
        return "COUNT";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return ScalarType.BIGINT;
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        return Factories.of(() -> new CountAccumulator(slots, 0),
                in -> new CountAccumulator(slots, StateIo.readVarLong(in)));
    }

    static final class CountAccumulator implements Accumulator {
        private final ArgumentSlots slots;
        private long count;

        CountAccumulator(ArgumentSlots slots, long count) {
            this.slots = slots;
            this.count = count;
        }

        private boolean counts(Object[] arguments) {
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(arguments, i) == null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            if (counts(arguments)) {
                count++;
            }
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            if (counts(arguments)) {
                count--;
            }
        }

        @Override
        public void merge(Accumulator other) {
            count += ((CountAccumulator) other).count;
        }

        @Override
        public Object result() {
            return count;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, count);
        }
    }
}
