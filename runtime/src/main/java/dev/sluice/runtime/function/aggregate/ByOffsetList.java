package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The accumulator of ksqlDB's {@code EARLIEST_BY_OFFSET(x, n [, ignoreNulls])} /
 * {@code LATEST_BY_OFFSET(x, n [, ignoreNulls])}: the first / last n values of x in arrival order,
 * oldest first, NULLs skipped when ignoreNulls (the default). The result is an empty ARRAY, not
 * NULL, before anything was kept, as in ksqlDB. Merging treats the other accumulator as the later one.
 */
final class ByOffsetList implements Accumulator {
    private final ArgumentSlots slots;
    private final SqlType type;
    private final boolean latest;
    private final boolean ignoreNulls;
    private final int n;
    private final List<Object> values;

    ByOffsetList(ArgumentSlots slots, SqlType type, boolean latest, boolean ignoreNulls, int n, List<Object> values) {
        this.slots = slots;
        this.type = type;
        this.latest = latest;
        this.ignoreNulls = ignoreNulls;
        this.n = n;
        this.values = values;
    }

    static ByOffsetList read(java.io.DataInput in, ArgumentSlots slots, SqlType type, boolean latest,
                             boolean ignoreNulls, int n) throws IOException {
        long size = StateIo.readVarLong(in);
        List<Object> values = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            values.add(ValueCodec.read(in, type));
        }
        return new ByOffsetList(slots, type, latest, ignoreNulls, n, values);
    }

    private void offer(Object v) {
        if (latest) {
            values.add(v);
            if (values.size() > n) {
                values.remove(0);
            }
        } else if (values.size() < n) {
            values.add(v);
        }
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v != null || !ignoreNulls) {
            offer(v);
        }
    }

    @Override
    public void merge(Accumulator other) {
        for (Object v : ((ByOffsetList) other).values) {
            offer(v);
        }
    }

    @Override
    public Object result() {
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    @Override
    public void write(DataOutput out) throws IOException {
        StateIo.writeVarLong(out, values.size());
        for (Object v : values) {
            ValueCodec.write(out, type, v);
        }
    }
}
