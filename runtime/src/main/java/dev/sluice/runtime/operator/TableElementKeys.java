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
 *   <li>{@code (5, group, call, value)} → (rows carrying it, its element's sequence): an
 *       {@code ARRAY_AGG(DISTINCT x)}'s live values (state format 11);</li>
 *   <li>{@code (0x53, group, call, value)}: a COLLECT_SET / HISTOGRAM value's index entry → the
 *       sequence of its element {@code (1, group, call, sequence)}, which holds its count
 *       ({@link ValueSets}; state format 10, or 14 beside ORDER BY / DISTINCT calls). The first
 *       byte alone keeps it apart from the kinds 0 to 5 above.</li>
 * </ul>
 * With {@code ORDER BY} (state format 11) an element's key is {@code (1, group, call, sort key,
 * sequence)} and a candidate's {@code (3, group, call, sort key, sequence)}, the sort key in
 * {@link SortKeyBytes}, so that a range scan lists the elements sorted, ties in arrival order.
 * Sequence numbers and event times are big-endian, event times with the sign bit flipped so that
 * negative ones sort first.
 */
final class TableElementKeys {
    static final byte ELEMENT = 1;
    static final byte ELEMENT_BY_VALUE = 2;
    static final byte CANDIDATE = 3;
    static final byte CANDIDATE_BY_VALUE = 4;
    static final byte DISTINCT_VALUE = 5;
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
        return key(kind, group, call, timed ? time(time) : null, value, sequence);
    }

    /** Event time {@code time} as order bytes: big-endian, sign bit flipped. */
    static byte[] time(long time) {
        return ByteBuffer.allocate(Long.BYTES).putLong(time ^ Long.MIN_VALUE).array();
    }

    /**
     * A key {@code (kind, group, call[, order][, value], sequence)}: {@code order} (null: none) are
     * bytes that sort the call's entries (an event time, a sort key), written as they are;
     * {@code value} (null: none) is length-prefixed.
     */
    static Bytes key(byte kind, byte[] group, int call, byte[] order, byte[] value, long sequence) {
        ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES + group.length + 1 + (order == null ? 0 : order.length)
                + (value == null ? 0 : Integer.BYTES + value.length) + Long.BYTES);
        out.put(kind).putInt(group.length).put(group).put((byte) call);
        if (order != null) {
            out.put(order);
        }
        if (value != null) {
            out.putInt(value.length).put(value);
        }
        return Bytes.wrap(out.putLong(sequence).array());
    }

    /**
     * {@code (kind, group, call)}: below every key of the call's entries of that kind; with
     * {@code call + 1}, below every key of the next call's and above this call's, so the two bound
     * an inclusive range scan over one call.
     */
    static Bytes callPrefix(byte kind, byte[] group, int call) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length + 1).put(kind).putInt(group.length)
                .put(group).put((byte) call).array());
    }

    /** {@code (5, group, call, value)}: a DISTINCT value's entry. */
    static Bytes distinctValue(byte[] group, int call, byte[] value) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length + 1 + value.length).put(DISTINCT_VALUE)
                .putInt(group.length).put(group).put((byte) call).put(value).array());
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
