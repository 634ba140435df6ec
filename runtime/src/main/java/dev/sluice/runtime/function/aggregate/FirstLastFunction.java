package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * {@code FIRST(x)} / {@code LAST(x)}: the non-NULL x of the earliest / latest record by event time
 * (the timestamp given to {@code add}), so out-of-order arrival does not change the answer. Ties go
 * to the first arrival for FIRST and the last arrival for LAST. With {@code ORDER BY k [DESC], ...}
 * (trailing key arguments, as for ARRAY_AGG) the keys decide instead of the event time, e.g.
 * {@code FIRST(country ORDER BY event_time)}. Same type as x; NULL when no non-NULL x. NULL inputs
 * are skipped, like Flink's FIRST_VALUE/LAST_VALUE aggregates. Merges; over a changelog it keeps
 * every candidate and retracts ({@link FirstLastOverChangelog}).
 *
 * <p>FIRST_VALUE/LAST_VALUE are deliberately not aliases: in Sluice those names are window
 * functions.
 */
final class FirstLastFunction implements RetractableAggregate {
    private final boolean last;

    private FirstLastFunction(boolean last) {
        this.last = last;
    }

    static FirstLastFunction first() {
        return new FirstLastFunction(false);
    }

    static FirstLastFunction last() {
        return new FirstLastFunction(true);
    }

    @Override
    public String name() {
        return last ? "LAST" : "FIRST";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, Integer.MAX_VALUE);
        return arguments.get(0).type();
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArrayAggFunction.checkSortKeys(name(), arguments, sortDescending);
        Layout layout = new Layout(ArgumentSlots.of(arguments), arguments.stream().map(Expr::type).toList(),
                sortDescending.isEmpty() ? null : ValueOrder.sortKeys(sortDescending, 0),
                arguments.size() - sortDescending.size(), last);
        return Factories.of(() -> new FirstLastAccumulator(layout), in -> FirstLastAccumulator.read(layout, in));
    }

    @Override
    public AccumulatorFactory implementRetractable(List<Expr> arguments, SqlType returnType,
                                                   List<Boolean> sortDescending) {
        ArrayAggFunction.checkSortKeys(name(), arguments, sortDescending);
        Layout layout = new Layout(ArgumentSlots.of(arguments), arguments.stream().map(Expr::type).toList(),
                sortDescending.isEmpty() ? null : ValueOrder.sortKeys(sortDescending, 0),
                arguments.size() - sortDescending.size(), last);
        return Factories.of(() -> new FirstLastOverChangelog(layout), in -> FirstLastOverChangelog.read(layout, in));
    }

    /** What every accumulator of one call site shares. */
    record Layout(ArgumentSlots slots, List<SqlType> types, Comparator<Object[]> keyOrder, int firstKey,
                  boolean last) {
        int keyCount() {
            return types.size() - firstKey;
        }
    }

    static final class FirstLastAccumulator implements Accumulator {
        private final Layout layout;
        private boolean present;
        private Object value;
        private long timestamp;
        private Object[] keys;

        FirstLastAccumulator(Layout layout) {
            this.layout = layout;
        }

        /** Negative when (ts1, keys1) comes before (ts2, keys2). */
        private int compare(long ts1, Object[] keys1, long ts2, Object[] keys2) {
            return layout.keyOrder() == null ? Long.compare(ts1, ts2) : layout.keyOrder().compare(keys1, keys2);
        }

        /** Offers a candidate that arrived after the current one. */
        private void offer(Object candidate, long candidateTimestamp, Object[] candidateKeys) {
            if (!present) {
                set(candidate, candidateTimestamp, candidateKeys);
                return;
            }
            int c = compare(candidateTimestamp, candidateKeys, timestamp, keys);
            if (layout.last() ? c >= 0 : c < 0) {
                set(candidate, candidateTimestamp, candidateKeys);
            }
        }

        private void set(Object candidate, long candidateTimestamp, Object[] candidateKeys) {
            present = true;
            value = candidate;
            timestamp = candidateTimestamp;
            keys = candidateKeys;
        }

        @Override
        public void add(Object[] arguments, long eventTime) {
            Object x = layout.slots().get(arguments, 0);
            if (x == null) {
                return;
            }
            Object[] candidateKeys = new Object[layout.keyCount()];
            for (int i = 0; i < candidateKeys.length; i++) {
                candidateKeys[i] = layout.slots().get(arguments, layout.firstKey() + i);
            }
            offer(x, eventTime, candidateKeys);
        }

        @Override
        public void merge(Accumulator other) {
            FirstLastAccumulator o = (FirstLastAccumulator) other;
            if (o.present) {
                offer(o.value, o.timestamp, o.keys);
            }
        }

        @Override
        public Object result() {
            return value;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            out.writeBoolean(present);
            if (!present) {
                return;
            }
            ValueCodec.write(out, layout.types().get(0), value);
            out.writeLong(timestamp);
            for (int i = 0; i < keys.length; i++) {
                ValueCodec.write(out, layout.types().get(layout.firstKey() + i), keys[i]);
            }
        }

        static FirstLastAccumulator read(Layout layout, DataInput in) throws IOException {
            FirstLastAccumulator a = new FirstLastAccumulator(layout);
            if (in.readBoolean()) {
                Object value = ValueCodec.read(in, layout.types().get(0));
                long timestamp = in.readLong();
                Object[] keys = new Object[layout.keyCount()];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = ValueCodec.read(in, layout.types().get(layout.firstKey() + i));
                }
                a.set(value, timestamp, keys);
            }
            return a;
        }
    }
}
