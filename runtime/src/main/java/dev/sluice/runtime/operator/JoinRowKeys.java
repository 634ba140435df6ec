package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The key of one row in a regular join's store ({@link RegularInnerJoinProcessor}): the join key's
 * bytes behind their length, then the row's event time and its arrival number (8 bytes each,
 * big-endian, the time with its sign bit flipped so that byte order is time order). One join key's
 * rows are therefore one contiguous range, met in event-time order and, at equal times, in arrival
 * order: the order in which Kafka Streams' window store returned them. Rows within a time span of a
 * join key are a sub-range, so a lookup bounded by the state TTL reads only rows it can match.
 */
final class JoinRowKeys {
    static final int SUFFIX = 16;

    private JoinRowKeys() {
    }

    /** The join key's bytes behind their length: the prefix every row of that key shares. */
    static byte[] prefix(byte[] joinKey) {
        return ByteBuffer.allocate(4 + joinKey.length).putInt(joinKey.length).put(joinKey).array();
    }

    static Bytes rowKey(byte[] prefix, long timestamp, long arrival) {
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + SUFFIX).put(prefix).putLong(timestamp ^ Long.MIN_VALUE)
                .putLong(arrival).array());
    }

    /** The first possible key of {@code prefix}'s rows at or after {@code from}. */
    static Bytes lowerBound(byte[] prefix, long from) {
        return rowKey(prefix, from, 0);
    }

    /** The last possible key of {@code prefix}'s rows at or before {@code to}. */
    static Bytes upperBound(byte[] prefix, long to) {
        return rowKey(prefix, to, -1L);
    }

    /** The event time of a row key. */
    static long timestamp(byte[] rowKey) {
        return ByteBuffer.wrap(rowKey, rowKey.length - SUFFIX, 8).getLong() ^ Long.MIN_VALUE;
    }

    /** The arrival number of a row key. */
    static long arrival(byte[] rowKey) {
        return ByteBuffer.wrap(rowKey, rowKey.length - 8, 8).getLong();
    }

    /** Whether {@code key} is a row's key (not a join key's head, the arrival counter or the format entry). */
    static boolean isRow(byte[] key) {
        return key.length >= 4 + SUFFIX && ByteBuffer.wrap(key).getInt() == key.length - 4 - SUFFIX;
    }

    /** Whether {@code key} is a join key's head ({@link JoinRowStore}): the prefix alone. */
    static boolean isHead(byte[] key) {
        return key.length >= 4 && ByteBuffer.wrap(key).getInt() == key.length - 4;
    }

    static byte[] joinKeyOf(byte[] rowKey) {
        return Arrays.copyOfRange(rowKey, 4, rowKey.length - SUFFIX);
    }
}
