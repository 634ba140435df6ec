package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;

/**
 * The key layouts of {@link ListElements}' store, one RocksDB key space ordered bytewise, in three
 * parts told apart by their first byte:
 * <ul>
 *   <li>a window's entry {@code (0, group, window start)} holding its {@link Entry};</li>
 *   <li>an element {@code (1, group, window start, call, sequence)}: a window's elements of one call
 *       are one contiguous range in arrival order (big-endian sequence numbers from 0); with ORDER
 *       BY {@code (1, group, window start, call, sort key, sequence)}, the sort key in
 *       {@link SortKeyBytes}, so the range lists them sorted, ties in arrival order (state format
 *       11);</li>
 *   <li>with EMIT CHANGES, a closing index entry {@code (2, close time, group, window start)}: the
 *       windows in the order they close, so that the writer finds the closed ones with one scan
 *       from the start;</li>
 *   <li>a COLLECT_SET / HISTOGRAM value's index entry {@code (0x53, scope, value)} → its element's
 *       sequence number ({@link ValueSets}, {@link #setScope}).</li>
 * </ul>
 * The group is the serialized group key, length-prefixed so that one group's keys never fall in
 * another's range.
 */
final class ListElementKeys {
    private static final byte WINDOW = 0;
    private static final byte ELEMENT = 1;
    private static final byte CLOSING = 2;
    /** The window start a GROUP BY without window keeps its one entry under. */
    static final long NO_WINDOW = 0L;

    private ListElementKeys() {
    }

    static Bytes window(byte[] group, long windowStart) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length + Long.BYTES)
                .put(WINDOW).putInt(group.length).put(group).putLong(windowStart).array());
    }

    static Bytes element(byte[] group, long windowStart, int call, long sequence) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length + Long.BYTES + 1 + Long.BYTES)
                .put(ELEMENT).putInt(group.length).put(group).putLong(windowStart).put((byte) call).putLong(sequence)
                .array());
    }

    static Bytes element(byte[] group, long windowStart, int call, byte[] order, long sequence) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length + Long.BYTES + 1 + order.length
                + Long.BYTES).put(ELEMENT).putInt(group.length).put(group).putLong(windowStart).put((byte) call)
                .put(order).putLong(sequence).array());
    }

    /**
     * {@code (1, group, window start, call)}: below every element of the call in the window; with
     * {@code call + 1}, above them all and below the next call's, so the two bound an inclusive
     * range scan over one call's elements.
     */
    static Bytes elementsOf(byte[] group, long windowStart, int call) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + group.length + Long.BYTES + 1)
                .put(ELEMENT).putInt(group.length).put(group).putLong(windowStart).put((byte) call).array());
    }

    /** An element key's trailing sequence number. */
    static long sequenceOf(Bytes element) {
        byte[] b = element.get();
        return ByteBuffer.wrap(b, b.length - Long.BYTES, Long.BYTES).getLong();
    }

    /**
     * The scope of a COLLECT_SET / HISTOGRAM call's value index ({@link ValueSets#indexKey}: keys
     * starting with {@link ValueSets#INDEX}): {@code (group, window start, call)}.
     */
    static byte[] setScope(byte[] group, long windowStart, int call) {
        return ByteBuffer.allocate(Integer.BYTES + group.length + Long.BYTES + 1).putInt(group.length).put(group)
                .putLong(windowStart).put((byte) call).array();
    }

    /** Close times ordered as signed longs (the sign bit flipped), so negative ones sort first too. */
    static Bytes closing(long closeTime, byte[] group, long windowStart) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES + group.length + Long.BYTES)
                .put(CLOSING).putLong(closeTime ^ Long.MIN_VALUE).putInt(group.length).put(group).putLong(windowStart)
                .array());
    }

    /** The first closing index key at or after close time {@code from}. */
    static Bytes closingFrom(long from) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES).put(CLOSING).putLong(from ^ Long.MIN_VALUE).array());
    }

    /** After every closing index key of close time {@code to} (and any before). */
    static Bytes closingAfter(long to) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + 1).put(CLOSING).putLong(to ^ Long.MIN_VALUE)
                .put((byte) 0xff).array());
    }

    /** A closing index key's close time. */
    static long closeTime(Bytes closing) {
        return ByteBuffer.wrap(closing.get(), 1, Long.BYTES).getLong() ^ Long.MIN_VALUE;
    }

    /** A closing index key's group. */
    static byte[] closingGroup(Bytes closing) {
        ByteBuffer in = ByteBuffer.wrap(closing.get(), 1 + Long.BYTES, closing.get().length - 1 - Long.BYTES);
        byte[] group = new byte[in.getInt()];
        in.get(group);
        return group;
    }

    /** A closing index key's window start. */
    static long closingWindowStart(Bytes closing) {
        byte[] b = closing.get();
        return ByteBuffer.wrap(b, b.length - Long.BYTES, Long.BYTES).getLong();
    }

    /**
     * A window's entry. {@code next[c]}: how many elements the window's c-th stored call holds (the
     * next sequence number). {@code records}: how many records went into the window, with or
     * without an element (a FILTER may keep none). {@code emitted}: how many of them the window's
     * last emitted row covered (its state's row count; EMIT CHANGES): equal to {@code records} when
     * no update of the window is waiting in the record cache. {@code closed}: the window closed
     * (EMIT CHANGES) while an update of it was still waiting, so that the emission of that update
     * deletes the window.
     */
    record Entry(boolean closed, long emitted, long records, long[] next) {
        static Entry empty(int calls) {
            return new Entry(false, 0, 0, new long[calls]);
        }

        byte[] bytes() {
            ByteBuffer out = ByteBuffer.allocate(1 + Long.BYTES * (2 + next.length));
            out.put((byte) (closed ? 1 : 0)).putLong(emitted).putLong(records);
            for (long n : next) {
                out.putLong(n);
            }
            return out.array();
        }

        static Entry of(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            boolean closed = in.get() != 0;
            long emitted = in.getLong();
            long records = in.getLong();
            long[] next = new long[in.remaining() / Long.BYTES];
            for (int i = 0; i < next.length; i++) {
                next[i] = in.getLong();
            }
            return new Entry(closed, emitted, records, next);
        }
    }
}
