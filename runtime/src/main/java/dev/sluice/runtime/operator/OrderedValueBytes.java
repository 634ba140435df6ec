package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;

/**
 * Non-NULL values written so that comparing the bytes (unsigned, lexicographically, as RocksDB and
 * Kafka Streams' {@code Bytes} do) orders them as SQL does (the Java types' natural order, as MIN
 * and MAX compare). {@link ValueCounts} puts these bytes last in its store keys, so the smallest or
 * largest value of a group is the first key of a range scan, an O(log n) seek.
 *
 * <p>Integers and longs (dates, timestamps, intervals too) are big-endian with the sign bit
 * flipped; doubles follow {@link Double#compare} (-0.0 before 0.0, NaN last); a DECIMAL(p, s) is
 * its unscaled value at scale s in 16 bytes of two's complement (38 digits fit), sign bit flipped;
 * a VARCHAR is its UTF-16 code units big-endian, which is {@link String#compareTo}'s order (a
 * shorter prefix first, since the value ends the key). Other types are not supported.
 */
final class OrderedValueBytes {
    private static final int DECIMAL_BYTES = 16;

    private OrderedValueBytes() {
    }

    /** Whether values of {@code type} have an order-preserving encoding here. */
    static boolean supports(SqlType type) {
        if (type instanceof DecimalType) {
            return true;
        }
        if (type instanceof ScalarType s) {
            return switch (s) {
                case VARCHAR, BOOLEAN, INTEGER, DATE, TIME, BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL, DOUBLE -> true;
                case BYTES, VARIANT, NULL -> false;
            };
        }
        return false;
    }

    static void write(ByteArrayDataOutput out, SqlType type, Object value) {
        if (type instanceof DecimalType d) {
            BigInteger unscaled = ((BigDecimal) value).setScale(d.scale(), RoundingMode.HALF_UP).unscaledValue();
            byte[] twos = unscaled.toByteArray();
            byte[] fixed = new byte[DECIMAL_BYTES];
            byte fill = (byte) (unscaled.signum() < 0 ? 0xFF : 0);
            int pad = DECIMAL_BYTES - twos.length;
            for (int i = 0; i < DECIMAL_BYTES; i++) {
                fixed[i] = i < pad ? fill : twos[i - pad];
            }
            fixed[0] ^= (byte) 0x80;
            out.write(fixed, 0, fixed.length);
            return;
        }
        switch ((ScalarType) type) {
            case VARCHAR -> {
                String s = (String) value;
                for (int i = 0; i < s.length(); i++) {
                    out.writeChar(s.charAt(i));
                }
            }
            case BOOLEAN -> out.writeByte((Boolean) value ? 1 : 0);
            case INTEGER, DATE, TIME -> out.writeInt((Integer) value ^ Integer.MIN_VALUE);
            case BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL -> out.writeLong((Long) value ^ Long.MIN_VALUE);
            case DOUBLE -> {
                long bits = Double.doubleToLongBits((Double) value);
                out.writeLong(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
            }
            default -> throw new IllegalArgumentException("no ordered encoding for " + type.sql());
        }
    }

    /** The value written by {@link #write} at {@code bytes[offset..]} (to the end of the array). */
    static Object read(byte[] bytes, int offset, SqlType type) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        if (type instanceof DecimalType d) {
            byte[] fixed = new byte[DECIMAL_BYTES];
            in.get(fixed);
            fixed[0] ^= (byte) 0x80;
            return new BigDecimal(new BigInteger(fixed), d.scale());
        }
        return switch ((ScalarType) type) {
            case VARCHAR -> {
                char[] chars = new char[in.remaining() / 2];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = in.getChar();
                }
                yield new String(chars);
            }
            case BOOLEAN -> in.get() != 0;
            case INTEGER, DATE, TIME -> in.getInt() ^ Integer.MIN_VALUE;
            case BIGINT, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL -> in.getLong() ^ Long.MIN_VALUE;
            case DOUBLE -> {
                long bits = in.getLong();
                yield Double.longBitsToDouble(bits < 0 ? bits ^ Long.MIN_VALUE : ~bits);
            }
            default -> throw new IllegalArgumentException("no ordered encoding for " + type.sql());
        };
    }
}
