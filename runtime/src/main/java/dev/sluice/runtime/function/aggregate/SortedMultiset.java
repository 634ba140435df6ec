package dev.sluice.runtime.function.aggregate;

import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Non-NULL values with their multiplicities, in SQL order. State for exact percentiles and for
 * retractable MIN/MAX: its size grows with the number of distinct values, not of inputs.
 */
final class SortedMultiset {
    private final TreeMap<Object, Long> counts;
    private long size;

    SortedMultiset() {
        this.counts = new TreeMap<>(ValueOrder.NATURAL);
    }

    void add(Object value, long times) {
        counts.merge(value, times, Long::sum);
        size += times;
    }

    /** Removes one occurrence; false when the value is not present (nothing changes then). */
    boolean remove(Object value) {
        Long n = counts.get(value);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            counts.remove(value);
        } else {
            counts.put(value, n - 1);
        }
        size--;
        return true;
    }

    void addAll(SortedMultiset other) {
        for (Map.Entry<Object, Long> e : other.counts.entrySet()) {
            add(e.getKey(), e.getValue());
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Number of values counting repetitions. */
    long size() {
        return size;
    }

    Object first() {
        return counts.isEmpty() ? null : counts.firstKey();
    }

    Object last() {
        return counts.isEmpty() ? null : counts.lastKey();
    }

    /** Distinct values in ascending order with their multiplicities. */
    Iterable<Map.Entry<Object, Long>> entries() {
        return counts.entrySet();
    }

    /**
     * The value at 0-based {@code position} of the sorted sequence with repetitions,
     * {@code 0 <= position < size()}.
     */
    Object valueAt(long position) {
        long seen = 0;
        for (Map.Entry<Object, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (position < seen) {
                return e.getKey();
            }
        }
        throw new IndexOutOfBoundsException("position " + position + " of " + size);
    }

    void write(DataOutput out, SqlType type) throws IOException {
        StateIo.writeVarLong(out, counts.size());
        for (Map.Entry<Object, Long> e : counts.entrySet()) {
            ValueCodec.write(out, type, e.getKey());
            StateIo.writeVarLong(out, e.getValue());
        }
    }

    static SortedMultiset read(DataInput in, SqlType type) throws IOException {
        SortedMultiset set = new SortedMultiset();
        long distinct = StateIo.readVarLong(in);
        for (long i = 0; i < distinct; i++) {
            Object value = ValueCodec.read(in, type);
            set.add(value, StateIo.readVarLong(in));
        }
        return set;
    }
}
