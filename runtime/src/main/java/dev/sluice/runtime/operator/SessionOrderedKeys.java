package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The key layouts of {@link SessionOrderedElements} in {@link SessionCollections}' store (state
 * format 16), beside {@link SessionCollectionKeys}' kinds 'M', 'E' and 'V' and written the same way
 * (group length-prefixed first, times and sequences big-endian with the sign bit flipped):
 * <ul>
 *   <li>element: {@code len(group), group, 'O', anchor, call, sort key, sequence} → a count
 *       (8 bytes) then the element's argument row: one range scan of (anchor, call) lists a
 *       session's elements sorted by their key ({@link SortKeyBytes}, empty without ORDER BY) and
 *       ties by sequence;</li>
 *   <li>index (sets only): {@code len(group), group, 'X', anchor, call, value} → the value's
 *       sequence (8 bytes) then its sort key, so a record finds its value's element with one
 *       point read.</li>
 * </ul>
 * {@code call} is the call's slot in the session entry's {@link SessionCollectionKeys.Meta}.
 */
final class SessionOrderedKeys {
    private static final byte ELEMENT = 'O';
    private static final byte INDEX = 'X';

    private SessionOrderedKeys() {
    }

    static Bytes element(byte[] group, long anchor, int call, byte[] sortKey, long sequence) {
        ByteArrayDataOutput out = prefix(group, ELEMENT, anchor, call, sortKey.length + Long.BYTES);
        out.write(sortKey);
        out.writeLong(sequence ^ Long.MIN_VALUE);
        return Bytes.wrap(out.toByteArray());
    }

    /** The first key of call {@code call}'s elements in the session (inclusive range start). */
    static Bytes elementsFrom(byte[] group, long anchor, int call) {
        return Bytes.wrap(prefix(group, ELEMENT, anchor, call, 0).toByteArray());
    }

    /**
     * A bound after every element of call {@code call} (inclusive range end): the next call's bare
     * prefix, which is no key itself (every element key ends with a sequence).
     */
    static Bytes elementsTo(byte[] group, long anchor, int call) {
        return Bytes.wrap(prefix(group, ELEMENT, anchor, call + 1, 0).toByteArray());
    }

    static Bytes index(byte[] group, long anchor, int call, byte[] value) {
        ByteArrayDataOutput out = prefix(group, INDEX, anchor, call, value.length);
        out.write(value);
        return Bytes.wrap(out.toByteArray());
    }

    static Bytes indexFrom(byte[] group, long anchor, int call) {
        return Bytes.wrap(prefix(group, INDEX, anchor, call, 0).toByteArray());
    }

    /** As {@link #elementsTo}: an index key's value is never empty (an encoded row has a byte at least). */
    static Bytes indexTo(byte[] group, long anchor, int call) {
        return Bytes.wrap(prefix(group, INDEX, anchor, call + 1, 0).toByteArray());
    }

    /** Whether {@code key} lies in call {@code call}'s element range of the session (a cached reverse scan may overshoot). */
    static boolean isElementOf(byte[] key, byte[] group, long anchor, int call) {
        byte[] prefix = prefix(group, ELEMENT, anchor, call, 0).toByteArray();
        return key.length >= prefix.length + Long.BYTES && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The sort key of an element key of {@code group}. */
    static byte[] sortKeyOf(byte[] elementKey, byte[] group) {
        int from = Integer.BYTES + group.length + 1 + Long.BYTES + 1;
        return Arrays.copyOfRange(elementKey, from, elementKey.length - Long.BYTES);
    }

    static long sequenceOf(byte[] elementKey) {
        return ByteBuffer.wrap(elementKey, elementKey.length - Long.BYTES, Long.BYTES).getLong() ^ Long.MIN_VALUE;
    }

    /** An index entry's value: the element's sequence, then its sort key. */
    static byte[] indexValue(long sequence, byte[] sortKey) {
        return ByteBuffer.allocate(Long.BYTES + sortKey.length).putLong(sequence).put(sortKey).array();
    }

    static long sequenceOfIndex(byte[] indexValue) {
        return ByteBuffer.wrap(indexValue).getLong();
    }

    static byte[] sortKeyOfIndex(byte[] indexValue) {
        return Arrays.copyOfRange(indexValue, Long.BYTES, indexValue.length);
    }

    private static ByteArrayDataOutput prefix(byte[] group, byte kind, long anchor, int call, int extra) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(Integer.BYTES + group.length + 2 + Long.BYTES + extra);
        out.writeInt(group.length);
        out.write(group, 0, group.length);
        out.writeByte(kind);
        out.writeLong(anchor ^ Long.MIN_VALUE);
        out.writeByte(call);
        return out;
    }
}
