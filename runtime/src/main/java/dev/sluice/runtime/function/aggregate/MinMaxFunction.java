package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * {@code MIN(x)} / {@code MAX(x)} over any comparable type, returning that type; NULLs skipped, no
 * non-NULL input gives NULL. The default accumulator keeps only the current extreme (no
 * retraction); {@link #implementRetractable} keeps a sorted multiset instead.
 */
final class MinMaxFunction implements RetractableAggregate {
    private final boolean max;

    private MinMaxFunction(boolean max) {
        this.max = max;
    }

    static MinMaxFunction min() {
        return new MinMaxFunction(false);
    }

    static MinMaxFunction max() {
        return new MinMaxFunction(true);
    }

    @Override
    public String name() {
        return max ? "MAX" : "MIN";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, 1);
        return ArgumentChecks.comparableOrBytes(name(), arguments, 0, "an argument");
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        SqlType type = arguments.get(0).type();
        return Factories.of(() -> new ExtremeAccumulator(slots, type, max, null),
                in -> new ExtremeAccumulator(slots, type, max, ValueCodec.read(in, type)));
    }

    @Override
    public AccumulatorFactory implementRetractable(List<Expr> arguments, SqlType returnType,
                                                   List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        SqlType type = arguments.get(0).type();
        return Factories.of(() -> new ExtremeOfMultiset(slots, type, max, new SortedMultiset()),
                in -> new ExtremeOfMultiset(slots, type, max, SortedMultiset.read(in, type)));
    }

    /** Keeps the current extreme only. */
    static final class ExtremeAccumulator implements Accumulator {
        private final ArgumentSlots slots;
        private final SqlType type;
        private final boolean max;
        private Object extreme;

        ExtremeAccumulator(ArgumentSlots slots, SqlType type, boolean max, Object extreme) {
            this.slots = slots;
            this.type = type;
            this.max = max;
            this.extreme = extreme;
        }

        private void offer(Object v) {
            if (v == null) {
                return;
            }
            if (extreme == null) {
                extreme = v;
                return;
            }
            int c = ValueOrder.NATURAL.compare(v, extreme);
            if (max ? c > 0 : c < 0) {
                extreme = v;
            }
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            offer(slots.get(arguments, 0));
        }

        @Override
        public void merge(Accumulator other) {
            offer(((ExtremeAccumulator) other).extreme);
        }

        @Override
        public Object result() {
            return extreme;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            ValueCodec.write(out, type, extreme);
        }
    }

    /** MIN/MAX over a changelog: removing the current extreme reveals the next. */
    static final class ExtremeOfMultiset extends MultisetAccumulator {
        private final boolean max;

        ExtremeOfMultiset(ArgumentSlots slots, SqlType type, boolean max, SortedMultiset values) {
            super(slots, type, values);
            this.max = max;
        }

        @Override
        public Object result() {
            return max ? values.last() : values.first();
        }
    }
}
