package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import org.apache.kafka.common.utils.Bytes;

import java.util.Arrays;

/**
 * The key layouts of {@link SessionDistinctValues}' store, one RocksDB key space with two indexes
 * of the same entries (a value first seen in a session, at the time it was seen), both sorted by
 * RocksDB's unsigned byte order:
 * <ul>
 *   <li>by value: {@code group, 'V', call, length(value), value, time} — "is this value in the
 *       session [start, end]?" is one seek over the range of its times;</li>
 *   <li>by time: {@code group, 'T', call, time, value} — "which values does the session
 *       [start, end] hold?" is one range, as long as the session's values.</li>
 * </ul>
 * A group's entries are contiguous (the group comes first, length-prefixed). Times are written
 * big-endian with the sign bit flipped, so that byte order is time order.
 */
final class SessionValueKeys {
    private static final byte BY_VALUE = 'V';
    private static final byte BY_TIME = 'T';

    private SessionValueKeys() {
    }

    /** The by-value key of {@code value} (encoded) seen at {@code time}. */
    static Bytes byValue(byte[] group, int call, byte[] value, long time) {
        ByteArrayDataOutput out = prefix(group, BY_VALUE, call, value.length + 12);
        out.writeInt(value.length);
        out.write(value);
        out.writeLong(time ^ Long.MIN_VALUE);
        return Bytes.wrap(out.toByteArray());
    }

    /** The by-time key of {@code value} (encoded) seen at {@code time}. */
    static Bytes byTime(byte[] group, int call, long time, byte[] value) {
        ByteArrayDataOutput out = prefix(group, BY_TIME, call, value.length + 8);
        out.writeLong(time ^ Long.MIN_VALUE);
        out.write(value);
        return Bytes.wrap(out.toByteArray());
    }

    /** The first by-time key at or after {@code time} (no value bytes: sorts before every entry at that time). */
    static Bytes byTimeFrom(byte[] group, int call, long time) {
        return byTime(group, call, time, new byte[0]);
    }

    /** Length of the by-time prefix (group and call) before the time. */
    static int byTimePrefixLength(byte[] group) {
        return Integer.BYTES + group.length + 2;
    }

    /** The time of a by-time key. */
    static long timeOfByTime(byte[] key, int prefixLength) {
        return readLong(key, prefixLength) ^ Long.MIN_VALUE;
    }

    /** The value bytes of a by-time key. */
    static byte[] valueOfByTime(byte[] key, int prefixLength) {
        return Arrays.copyOfRange(key, prefixLength + Long.BYTES, key.length);
    }

    private static ByteArrayDataOutput prefix(byte[] group, byte index, int call, int extra) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(group.length + 6 + extra);
        out.writeInt(group.length);
        out.write(group);
        out.writeByte(index);
        out.writeByte(call);
        return out;
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
