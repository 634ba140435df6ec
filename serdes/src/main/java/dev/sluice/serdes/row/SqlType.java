package dev.sluice.serdes.row;

/**
 * The SQL type of a column or expression. Sealed so that every consumer (formats, evaluators,
 * accumulators) fails to compile when a type is added and not handled.
 *
 * <p>Java representation of values, fixed across Sluice (rows never hold anything else):
 * <ul>
 *   <li>VARCHAR: {@link String}; BOOLEAN: {@link Boolean}; INTEGER: {@link Integer};
 *       BIGINT: {@link Long}; DOUBLE: {@link Double}; DECIMAL: {@link java.math.BigDecimal}
 *       with the type's scale;</li>
 *   <li>TIMESTAMP and TIMESTAMP_LTZ: {@link Long} epoch milliseconds, UTC (event time is a long
 *       in Kafka Streams, so no conversion on the hot path);</li>
 *   <li>DATE: {@link Integer} days since 1970-01-01; TIME: {@link Integer} milliseconds of the day
 *       (0 to 86,399,999, as ksqlDB and Avro's time-millis hold it); INTERVAL: {@link Long} milliseconds;</li>
 *   <li>BYTES: {@code byte[]}; VARIANT (semi-structured JSON): Jackson {@code JsonNode};</li>
 *   <li>ARRAY: {@link java.util.List}; MAP: {@link java.util.Map} (insertion ordered);
 *       STRUCT: {@link Row} positional by the struct's fields.</li>
 * </ul>
 * NULL of any type is Java {@code null}.
 */
public sealed interface SqlType permits ScalarType, DecimalType, ArrayType, MapType, StructType {

    /** SQL spelling, used in messages and in {@code DESCRIBE}. */
    String sql();

    /** The type's name without its parameters ({@code ARRAY}, {@code DECIMAL}, {@code TIMESTAMP}), as ksqlDB names kinds. */
    static String baseName(SqlType type) {
        if (type instanceof ArrayType) {
            return "ARRAY";
        }
        if (type instanceof MapType) {
            return "MAP";
        }
        if (type instanceof StructType) {
            return "STRUCT";
        }
        return type instanceof DecimalType ? "DECIMAL" : type.sql().replaceAll("\\(.*\\)", "");
    }

    default boolean isNumeric() {
        return this == ScalarType.INTEGER || this == ScalarType.BIGINT || this == ScalarType.DOUBLE
                || this instanceof DecimalType;
    }

    default boolean isTemporal() {
        return this == ScalarType.TIMESTAMP || this == ScalarType.TIMESTAMP_LTZ || this == ScalarType.DATE;
    }
}
