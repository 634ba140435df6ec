package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The key layouts of {@link SessionCollections}' store, one RocksDB key space ordered bytewise. A
 * session is named by its anchor: the event time of the record that opened it, which lies inside
 * the session's [start, end] for as long as it lives (a merge keeps the surviving session's
 * anchor). Sessions of one key are disjoint, so each live session holds exactly one anchor, found
 * by one seek over the anchors of its time range.
 * <ul>
 *   <li>session entry: {@code len(group), group, 'M', anchor} → per ARRAY_AGG call the lowest and
 *       highest sequence number in use ({@link Meta});</li>
 *   <li>element: {@code len(group), group, 'E', anchor, call, sequence} → the element's bytes;</li>
 *   <li>counted values (percentiles, TOPK): {@link ValueCounts}' keys for the group
 *       {@link #valuesGroup group, 'V', anchor}, whose length prefix differs from the group's.</li>
 * </ul>
 * Group keys of one step are written by one serde and are never a prefix of each other, so the
 * three kinds never collide. Times and sequences are big-endian with the sign bit flipped, so that
 * byte order is numeric order.
 */
final class SessionCollectionKeys {
    private static final byte SESSION = 'M';
    private static final byte ELEMENT = 'E';
    private static final byte VALUES = 'V';

    private SessionCollectionKeys() {
    }

    /** The session entry of the session anchored at {@code anchor}. */
    static Bytes session(byte[] group, long anchor) {
        ByteArrayDataOutput out = prefix(group, SESSION, Long.BYTES);
        out.writeLong(anchor ^ Long.MIN_VALUE);
        return Bytes.wrap(out.toByteArray());
    }

    /** Whether {@code key} is a session entry of {@code group}. */
    static boolean isSession(byte[] key, byte[] group) {
        int at = Integer.BYTES + group.length;
        return key.length == at + 1 + Long.BYTES && key[at] == SESSION
                && ByteBuffer.wrap(key).getInt() == group.length
                && Arrays.equals(key, Integer.BYTES, at, group, 0, group.length);
    }

    /** The anchor of a session entry's key. */
    static long anchor(byte[] sessionKey) {
        return ByteBuffer.wrap(sessionKey, sessionKey.length - Long.BYTES, Long.BYTES).getLong() ^ Long.MIN_VALUE;
    }

    /** The key of element {@code sequence} of call {@code call} in the session anchored at {@code anchor}. */
    static Bytes element(byte[] group, long anchor, int call, long sequence) {
        ByteArrayDataOutput out = prefix(group, ELEMENT, 2 * Long.BYTES + 1);
        out.writeLong(anchor ^ Long.MIN_VALUE);
        out.writeByte(call);
        out.writeLong(sequence ^ Long.MIN_VALUE);
        return Bytes.wrap(out.toByteArray());
    }

    /** The group {@link ValueCounts} keys the session's counted values under. */
    static byte[] valuesGroup(byte[] group, long anchor) {
        return ByteBuffer.allocate(group.length + 1 + Long.BYTES).put(group).put(VALUES).putLong(anchor).array();
    }

    private static ByteArrayDataOutput prefix(byte[] group, byte kind, int extra) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(Integer.BYTES + group.length + 1 + extra);
        out.writeInt(group.length);
        out.write(group, 0, group.length);
        out.writeByte(kind);
        return out;
    }

    /**
     * A session's entry: per stored ARRAY_AGG call, the lowest and highest sequence numbers of its
     * elements ({@code low > high}: none). A merge prepends the sessions before the survivor below
     * {@code low} and appends those after it above {@code high}; a record appends above {@code high}.
     */
    record Meta(long[] low, long[] high) {
        static Meta empty(int calls) {
            long[] high = new long[calls];
            Arrays.fill(high, -1);
            return new Meta(new long[calls], high);
        }

        static Meta of(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int calls = bytes.length / (2 * Long.BYTES);
            long[] low = new long[calls];
            long[] high = new long[calls];
            for (int c = 0; c < calls; c++) {
                low[c] = in.getLong();
                high[c] = in.getLong();
            }
            return new Meta(low, high);
        }

        byte[] bytes() {
            ByteBuffer out = ByteBuffer.allocate(low.length * 2 * Long.BYTES);
            for (int c = 0; c < low.length; c++) {
                out.putLong(low[c]).putLong(high[c]);
            }
            return out.array();
        }
    }
}
