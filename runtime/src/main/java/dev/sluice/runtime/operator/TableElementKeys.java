package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;

/**
 * The key layouts of {@link TableElements}' store, one RocksDB key space ordered bytewise, told
 * apart by their first byte. The group is its serialized key, length-prefixed so that one group's
 * keys never fall in another's range; a value is its row encoding, length-prefixed so that an
 * index prefix matches that value only.
 * <ul>
 *   <li>{@code (0, group)}: the group's next arrival sequence number (one counter for every call);</li>
 *   <li>{@code (1, group, call, sequence)}: an ARRAY_AGG element, in arrival order;</li>
 *   <li>{@code (2, group, call, value, sequence)}: the same element indexed by value, so that a
 *       retraction finds the latest arrival of its value with one reverse seek;</li>
 *   <li>{@code (3, group, call, event time, sequence)}: a FIRST/LAST candidate, in the order the
 *       functions choose by (earliest event time, then first arrival, first);</li>
 *   <li>{@code (4, group, call, event time, value, sequence)}: the same candidate indexed by its
 *       value, for retraction;</li>
 *   <li>{@code (0x53, group, call, value)}: a COLLECT_SET / HISTOGRAM value's index entry → the
 *       sequence of its element {@code (1, group, call, sequence)}, which holds its count
 *       ({@link ValueSets}).</li>
 * </ul>
 * Sequence numbers and event times are big-endian, event times with the sign bit flipped so that
 * negative ones sort first.
 */
final class TableElementKeys {
    static final byte ELEMENT = 1;
    static final byte ELEMENT_BY_VALUE = 2;
    static final byte CANDIDATE = 3;
    static final byte CANDIDATE_BY_VALUE = 4;
    private static final byte SEQUENCE = 0;

    private TableElementKeys() {
    }

    static Bytes sequence(byte[] group) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length).put(SEQUENCE).putInt(group.length)
                .put(group).array());
    }

    /**
     * A key of kind {@code kind}: {@code (kind, group, call[, time][, value], sequence)}; {@code time}
     * only for candidates, {@code value} (null: none) only for the by-value indexes.
     */
    static Bytes key(byte kind, byte[] group, int call, long time, byte[] value, long sequence) {
        boolean timed = kind == CANDIDATE || kind == CANDIDATE_BY_VALUE;
        ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES + group.length + 1 + (timed ? Long.BYTES : 0)
                + (value == null ? 0 : Integer.BYTES + value.length) + Long.BYTES);
        out.put(kind).putInt(group.length).put(group).put((byte) call);
        if (timed) {
            out.putLong(time ^ Long.MIN_VALUE);
        }
        if (value != null) {
            out.putInt(value.length).put(value);
        }
        return Bytes.wrap(out.putLong(sequence).array());
    }

    /** A key's trailing sequence number. */
    static long sequenceOf(Bytes key) {
        byte[] b = key.get();
        return ByteBuffer.wrap(b, b.length - Long.BYTES, Long.BYTES).getLong();
    }

    /** A candidate key's event time. */
    static long timeOf(Bytes candidate, int groupLength) {
        return ByteBuffer.wrap(candidate.get(), 1 + Integer.BYTES + groupLength + 1, Long.BYTES).getLong()
                ^ Long.MIN_VALUE;
    }
}
