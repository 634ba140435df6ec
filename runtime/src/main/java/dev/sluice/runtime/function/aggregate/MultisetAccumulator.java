package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;

/**
 * An accumulator that keeps every non-NULL value of its first argument with its count, so it can
 * retract and merge exactly; subclasses only say how the result is read from the sorted values
 * (the extreme for MIN/MAX, a position for PERCENTILE_CONT/DISC).
 */
abstract class MultisetAccumulator implements Accumulator {
    private final ArgumentSlots slots;
    private final SqlType type;
    final SortedMultiset values;

    MultisetAccumulator(ArgumentSlots slots, SqlType type, SortedMultiset values) {
        this.slots = slots;
        this.type = type;
        this.values = values;
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v != null) {
            values.add(v, 1);
        }
    }

    @Override
    public boolean canRetract() {
        return true;
    }

    @Override
    public void retract(Object[] arguments, long timestamp) {
        Object v = slots.get(arguments, 0);
        if (v != null) {
            values.remove(v);
        }
    }

    @Override
    public void merge(Accumulator other) {
        values.addAll(((MultisetAccumulator) other).values);
    }

    @Override
    public void write(DataOutput out) throws IOException {
        values.write(out, type);
    }
}
