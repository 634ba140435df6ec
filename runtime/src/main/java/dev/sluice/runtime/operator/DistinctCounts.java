package dev.sluice.runtime.operator;

import java.nio.ByteBuffer;

/**
 * ksqlDB's COUNT_DISTINCT and ATTR, and over a table APPROX_COUNT_DISTINCT (exact there, as a
 * sketch cannot forget a value), over values counted in {@link ValueCounts}' store instead of a
 * value → count map in the aggregate's value, which Kafka Streams read and rewrote whole on every
 * record. Only a value's first arrival and last departure change the result, so a record is one
 * point read and write of its value's count, plus, on such a change, a read and write of the
 * call's note (how many distinct values the group holds, and for ATTR how many rows carry NULL).
 * ATTR reads the group's one remaining value by one range seek when a retraction leaves a single
 * value. The result is held in the state ({@link HeldResult}), so emission reads no store.
 *
 * <p>NULL: COUNT_DISTINCT and APPROX_COUNT_DISTINCT skip it; ATTR counts it as a value (the rows
 * agree on NULL), in the note, since a NULL has no key in {@link OrderedValueBytes}.
 */
final class DistinctCounts {
    private final boolean attr;

    DistinctCounts(boolean attr) {
        this.attr = attr;
    }

    /** The result over no rows: 0 distinct values, or ATTR's NULL. */
    Object empty() {
        return attr ? null : 0L;
    }

    /** Counts {@code value} in or out ({@code delta} 1 or -1); the result after, or {@link StoredMultiset#UNCHANGED}. */
    Object update(ValueCounts values, int call, Object value, int delta) {
        if (value == null && !attr) {
            return StoredMultiset.UNCHANGED;
        }
        Note note = Note.read(values.note(call));
        long distinct;
        long nulls = note.nulls;
        if (value == null) {
            nulls += delta;
            if (nulls < 0) {
                return StoredMultiset.UNCHANGED; // a NULL retracted that was never counted
            }
            boolean appeared = note.nulls == 0 && nulls > 0;
            boolean left = note.nulls > 0 && nulls == 0;
            distinct = note.distinct + (appeared ? 1 : left ? -1 : 0);
        } else {
            long after = values.count(call, new Object[] {value}, delta);
            boolean appeared = delta > 0 && after == 1;
            boolean left = delta < 0 && after == 0;
            if (!appeared && !left) {
                return StoredMultiset.UNCHANGED; // absent (-1), or a value already there
            }
            distinct = note.distinct + (appeared ? 1 : -1);
        }
        boolean changed = distinct != note.distinct;
        values.note(call, distinct == 0 && nulls == 0 ? null : new Note(distinct, nulls).write());
        if (!attr) {
            return changed ? (Object) distinct : StoredMultiset.UNCHANGED;
        }
        if (distinct != 1) {
            return null;
        }
        if (nulls > 0) {
            return null; // the one value is NULL
        }
        if (delta > 0) {
            return value; // the group's only value just arrived
        }
        ValueCounts.Counted only = values.first(call);
        return only == null ? null : only.value();
    }

    /**
     * Session windows: adds the values of merged-away sessions ({@code moved}, with their counts)
     * and their notes' NULL rows to the surviving session's, which {@code values} is set to. A
     * value is new to the survivor when its count after equals the moved count; only those add a
     * distinct value, so a value two sessions held counts once. O(moved) point reads and writes,
     * plus ATTR's one range seek when a single value is left.
     */
    Object absorb(ValueCounts values, int call, java.util.List<ValueCounts.Counted> moved,
                  java.util.List<byte[]> movedNotes) {
        Note note = Note.read(values.note(call));
        long distinct = note.distinct;
        long nulls = note.nulls;
        for (ValueCounts.Counted c : moved) {
            if (values.count(call, new Object[] {c.value()}, Math.toIntExact(c.count())) == c.count()) {
                distinct++;
            }
        }
        for (byte[] other : movedNotes) {
            long otherNulls = Note.read(other).nulls;
            if (attr && nulls == 0 && otherNulls > 0) {
                distinct++; // NULL is a value of ATTR's, new to the survivor
            }
            nulls += otherNulls;
        }
        values.note(call, distinct == 0 && nulls == 0 ? null : new Note(distinct, nulls).write());
        if (!attr) {
            return distinct;
        }
        if (distinct != 1 || nulls > 0) {
            return null;
        }
        ValueCounts.Counted only = values.first(call);
        return only == null ? null : only.value();
    }

    /** The note beside a call's values: distinct values (NULL included for ATTR), rows carrying NULL. */
    private record Note(long distinct, long nulls) {
        static Note read(byte[] bytes) {
            if (bytes == null) {
                return new Note(0, 0);
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new Note(in.getLong(), in.getLong());
        }

        byte[] write() {
            return ByteBuffer.allocate(2 * Long.BYTES).putLong(distinct).putLong(nulls).array();
        }
    }
}
