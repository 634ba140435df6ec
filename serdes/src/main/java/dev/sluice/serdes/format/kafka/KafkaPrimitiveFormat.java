package dev.sluice.serdes.format.kafka;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.RowFormat;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code format = 'kafka'}: one column as Kafka's own primitive serializers write it, so topics keyed
 * by plain producers ({@code StringSerializer}, {@code LongSerializer}, ...) join and group without
 * conversion. VARCHAR is UTF-8, INTEGER 4 bytes big-endian, BIGINT 8 bytes, DOUBLE 8 bytes IEEE 754,
 * BYTES raw. We delegate to those serializers, which makes the byte compatibility hold by
 * construction (and the test checks it anyway).
 */
public final class KafkaPrimitiveFormat implements RowFormat {
    public static final Set<ScalarType> SUPPORTED =
            EnumSet.of(ScalarType.VARCHAR, ScalarType.INTEGER, ScalarType.BIGINT, ScalarType.DOUBLE, ScalarType.BYTES);

    private final String name;

    public KafkaPrimitiveFormat(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** True when {@code schema} is one column of a type this format can carry. */
    public static boolean fits(Schema schema) {
        return schema.size() == 1 && schema.type(0) instanceof ScalarType s && SUPPORTED.contains(s);
    }

    /** The columns as ksqlDB lists them in this message: {@code [`V0` INTEGER, `V1` STRING]}. */
    private static String ksqlColumns(Schema schema) {
        return schema.columns().stream().map(c -> "`" + c.name() + "` " + (c.type() == ScalarType.VARCHAR ? "STRING"
                : c.type() == ScalarType.TIMESTAMP || c.type() == ScalarType.TIMESTAMP_LTZ ? "TIMESTAMP" : c.type().sql()))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    @Override
    public Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey) {
        if (schema.size() != 1) {
            // ksqlDB's words first, so that its users recognise the rule
            throw new IllegalArgumentException("The '" + name.toUpperCase(java.util.Locale.ROOT) + "' format only "
                    + "supports a single field. Got: " + ksqlColumns(schema)
                    + (isKey ? "" : "; use json, avro or delimited for several columns"));
        }
        SqlType type = schema.type(0);
        if (!(type instanceof ScalarType s) || !SUPPORTED.contains(s)) {
            throw new IllegalArgumentException("The '" + name.toUpperCase(java.util.Locale.ROOT) + "' format does not "
                    + "support type '" + SqlType.baseName(type) + "': column " + schema.column(0).name() + " is "
                    + type.sql() + "; it carries VARCHAR, INTEGER, BIGINT, DOUBLE and BYTES");
        }
        return switch (s) {
            case VARCHAR -> wrap(Serdes.String(), s, schema);
            case INTEGER -> wrap(Serdes.Integer(), s, schema);
            case BIGINT -> wrap(Serdes.Long(), s, schema);
            case DOUBLE -> wrap(Serdes.Double(), s, schema);
            default -> wrap(Serdes.ByteArray(), s, schema);
        };
    }

    private static <T> Serde<Row> wrap(Serde<T> inner, ScalarType type, Schema schema) {
        Serializer<T> ser = inner.serializer();
        Deserializer<T> de = inner.deserializer();
        String column = schema.column(0).name();
        Serializer<Row> rowSer = (topic, row) -> {
            if (row == null || row.get(0) == null) {
                return null;
            }
            return ser.serialize(topic, cast(type, row.get(0)));
        };
        Deserializer<Row> rowDe = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return Row.of(de.deserialize(topic, data));
            } catch (SerializationException e) {
                throw new SerializationException("field " + column + ": expected " + type.sql() + " in KAFKA format ("
                        + expectedBytes(type) + "), got " + data.length + " bytes");
            }
        };
        return Serdes.serdeFrom(rowSer, rowDe);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(ScalarType type, Object v) {
        // Numbers may arrive narrower than their column (an evaluator's widening left undone)
        Object converted = switch (type) {
            case INTEGER -> ((Number) v).intValue();
            case BIGINT -> ((Number) v).longValue();
            case DOUBLE -> ((Number) v).doubleValue();
            default -> v;
        };
        return (T) converted;
    }

    private static String expectedBytes(ScalarType type) {
        return switch (type) {
            case INTEGER -> "4 bytes";
            case BIGINT, DOUBLE -> "8 bytes";
            default -> "any bytes";
        };
    }
}
