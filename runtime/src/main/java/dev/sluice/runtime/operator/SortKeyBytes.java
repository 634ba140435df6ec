package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * An aggregate's {@code ORDER BY k1 [DESC], ...} keys written so that comparing the bytes
 * (unsigned, lexicographically, as RocksDB does) orders them as {@code ValueOrder.sortKeys} does:
 * key by key, NULL as the largest value (last ascending, first descending, PostgreSQL's default).
 * Unlike {@link OrderedValueBytes}, whose value ends a key, these bytes are followed by more (the
 * next key, an arrival sequence number), so each key is self-delimiting: a flag byte (0 a value, 1
 * NULL), then the value's ordered bytes, a VARCHAR as one 0x01 byte before each UTF-16 code unit and
 * a 0x00 byte after the last (a shorter string sorts first, as {@link String#compareTo} puts a
 * prefix first). A descending key is the same bytes inverted, which reverses their order.
 */
final class SortKeyBytes {
    private SortKeyBytes() {
    }

    /** Whether keys of every type in {@code types} can be written here. */
    static boolean supports(List<SqlType> types) {
        return types.stream().allMatch(OrderedValueBytes::supports);
    }

    /** The ordered bytes of {@code keys} (one per entry of {@code types} and {@code descending}). */
    static byte[] of(List<SqlType> types, List<Boolean> descending, Object[] keys) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(16);
        for (int i = 0; i < keys.length; i++) {
            ByteArrayDataOutput key = new ByteArrayDataOutput(12);
            if (keys[i] == null) {
                key.write(1);
            } else {
                key.write(0);
                if (types.get(i) == ScalarType.VARCHAR) {
                    String s = (String) keys[i];
                    for (int j = 0; j < s.length(); j++) {
                        key.write(1);
                        key.writeChar(s.charAt(j));
                    }
                    key.write(0);
                } else {
                    OrderedValueBytes.write(key, types.get(i), keys[i]);
                }
            }
            byte[] bytes = key.toByteArray();
            if (descending.get(i)) {
                for (int j = 0; j < bytes.length; j++) {
                    bytes[j] = (byte) ~bytes[j];
                }
            }
            out.write(bytes);
        }
        return out.toByteArray();
    }
}
