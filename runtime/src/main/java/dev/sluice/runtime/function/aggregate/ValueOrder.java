package dev.sluice.runtime.function.aggregate;

import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The SQL ordering of values of one comparable type, as MIN/MAX, percentiles and ORDER BY see it. */
final class ValueOrder {
    private ValueOrder() {
    }

    /** Types whose Java representation is {@link Comparable} in SQL order. */
    static boolean isComparable(SqlType type) {
        if (type instanceof DecimalType) {
            return true;
        }
        if (type instanceof ScalarType s) {
            return switch (s) {
                case VARCHAR, BOOLEAN, INTEGER, BIGINT, DOUBLE, TIMESTAMP, TIMESTAMP_LTZ, DATE, TIME, INTERVAL -> true;
                case BYTES, VARIANT, NULL -> false;
            };
        }
        return false;
    }

    /**
     * The comparable types plus BYTES, which MIN, MAX and TOPK(DISTINCT) order as ksqlDB does (see
     * {@link #NATURAL}).
     */
    static boolean isComparableOrBytes(SqlType type) {
        return type == ScalarType.BYTES || isComparable(type);
    }

    /**
     * Orders non-null values: every comparable type is represented by a {@link Comparable} Java
     * class (String, Boolean, Integer, Long, Double, BigDecimal of one scale), so natural order is
     * SQL order. DOUBLE follows {@link Double#compareTo}: -0.0 before 0.0, NaN last. BYTES compare
     * byte by byte as signed values, a prefix first: ksqlDB's order (its aggregates compare
     * {@code java.nio.ByteBuffer}s).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Comparator<Object> NATURAL = (a, b) -> a instanceof byte[] x
            ? Arrays.compare(x, (byte[]) b) : ((Comparable) a).compareTo(b);

    /**
     * ORDER BY order for one key, PostgreSQL's default NULL placement: NULL sorts as the largest
     * value, so last when ascending and first when descending.
     */
    static Comparator<Object> sortKey(boolean descending) {
        Comparator<Object> ascending = Comparator.nullsLast(NATURAL);
        return descending ? ascending.reversed() : ascending;
    }

    /**
     * Lexicographic order over the keys stored from index {@code offset} of each array, one
     * direction flag per key.
     */
    static Comparator<Object[]> sortKeys(List<Boolean> descending, int offset) {
        @SuppressWarnings("unchecked")
        Comparator<Object>[] perKey = new Comparator[descending.size()];
        for (int i = 0; i < perKey.length; i++) {
            perKey[i] = sortKey(descending.get(i));
        }
        return (a, b) -> {
            for (int i = 0; i < perKey.length; i++) {
                int c = perKey[i].compare(a[offset + i], b[offset + i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }
}
