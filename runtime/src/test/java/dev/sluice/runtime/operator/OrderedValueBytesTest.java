package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link OrderedValueBytes}: sorting the encoded bytes as the store does (unsigned, lexicographic)
 * gives the values' SQL order (their natural order), and every value reads back equal.
 */
class OrderedValueBytesTest {
    private static void assertOrderPreserved(SqlType type, List<?> values) {
        List<Object> natural = new ArrayList<>(values);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<Object> order = (a, b) -> ((Comparable) a).compareTo(b);
        natural.sort(order);
        List<Bytes> encoded = new ArrayList<>();
        for (Object v : values) {
            ByteArrayDataOutput out = new ByteArrayDataOutput(16);
            out.writeByte(7); // a prefix, as ValueCounts' keys have
            OrderedValueBytes.write(out, type, v);
            encoded.add(Bytes.wrap(out.toByteArray()));
        }
        encoded.sort(Comparator.naturalOrder());
        List<Object> byBytes = encoded.stream().map(b -> OrderedValueBytes.read(b.get(), 1, type)).toList();
        assertEquals(natural, byBytes, "byte order of " + type.sql());
    }

    @Test
    void byteOrderIsSqlOrderForEverySupportedType() {
        Random random = new Random(7);
        List<Long> longs = new ArrayList<>(List.of(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE));
        List<Integer> ints = new ArrayList<>(List.of(Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE));
        List<Double> doubles = new ArrayList<>(List.of(Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, Double.MIN_VALUE,
                2.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN));
        List<BigDecimal> decimals = new ArrayList<>(List.of(new BigDecimal("-99999999999999999999999999999999999.999"),
                new BigDecimal("-1.000"), new BigDecimal("-0.001"), new BigDecimal("0.000"), new BigDecimal("0.001"),
                new BigDecimal("99999999999999999999999999999999999.999")));
        List<String> strings = new ArrayList<>(List.of("", "a", "aa", "ab", "b", "\u00e9", "\uffff", "\ud83d\ude00", "Z"));
        for (int i = 0; i < 200; i++) {
            longs.add(random.nextLong());
            ints.add(random.nextInt());
            doubles.add(random.nextGaussian() * 1e6);
            decimals.add(BigDecimal.valueOf(random.nextLong(), 3));
            strings.add(Long.toString(random.nextLong(), 36));
        }
        assertOrderPreserved(ScalarType.BIGINT, longs);
        assertOrderPreserved(ScalarType.TIMESTAMP, longs);
        assertOrderPreserved(ScalarType.INTEGER, ints);
        assertOrderPreserved(ScalarType.DATE, ints);
        assertOrderPreserved(ScalarType.DOUBLE, doubles);
        assertOrderPreserved(new DecimalType(38, 3), decimals);
        assertOrderPreserved(ScalarType.VARCHAR, strings);
        assertOrderPreserved(ScalarType.BOOLEAN, List.of(true, false));
    }

    @Test
    void typesWithoutAnOrderAreNotSupported() {
        assertFalse(OrderedValueBytes.supports(ScalarType.BYTES));
        assertFalse(OrderedValueBytes.supports(ScalarType.VARIANT));
    }
}
