package dev.sluice.connect.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON row as Sluice writes it (ISO timestamps, {@code yyyy-MM-dd} dates, exact decimals,
 * base64 bytes, nested objects) turned into an Avro record of the schema the compiler planned for
 * the sink, which parquet-avro then writes with Parquet's logical types (TIMESTAMP(MILLIS, UTC),
 * DATE, DECIMAL(p, s), nested groups, LIST, MAP). A value that does not fit its column fails with the
 * column's name: the sink task fails rather than write a wrong file.
 */
public final class JsonToParquet {
    private JsonToParquet() {
    }

    public static GenericData.Record record(JsonNode row, Schema schema) {
        GenericData.Record out = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            out.put(f.pos(), value(row.get(f.name()), f.schema(), f.name()));
        }
        return out;
    }

    static Object value(JsonNode node, Schema schema, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (!nullable(schema)) {
                throw new IllegalArgumentException("column " + path + " is NOT NULL but the row has no value");
            }
            return null;
        }
        Schema s = ParquetToJson.nonNull(schema);
        LogicalType logical = s.getLogicalType();
        try {
            return switch (s.getType()) {
                case STRING -> node.isTextual() ? node.textValue() : node.toString();
                case BOOLEAN -> node.isBoolean() ? node.booleanValue() : Boolean.parseBoolean(node.asText());
                case INT -> logical instanceof LogicalTypes.Date
                        ? (int) (node.isNumber() ? node.longValue() : LocalDate.parse(node.asText()).toEpochDay())
                        : node.isNumber() ? node.intValue() : Integer.parseInt(node.asText());
                case LONG -> logical != null && logical.getName().startsWith("timestamp-")
                        ? (node.isNumber() ? node.longValue() : epochMillis(node.asText()))
                        : node.isNumber() ? node.longValue() : Long.parseLong(node.asText());
                case FLOAT -> node.isNumber() ? node.floatValue() : Float.parseFloat(node.asText());
                case DOUBLE -> node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asText());
                case BYTES -> logical instanceof LogicalTypes.Decimal d
                        ? ByteBuffer.wrap(decimal(node, d).unscaledValue().toByteArray())
                        : ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
                case RECORD -> record(node, s);
                case ARRAY -> {
                    List<Object> items = new ArrayList<>();
                    for (JsonNode item : node) {
                        items.add(value(item, s.getElementType(), path + "[]"));
                    }
                    yield items;
                }
                case MAP -> {
                    Map<String, Object> entries = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        entries.put(e.getKey(), value(e.getValue(), s.getValueType(), path + "{}"));
                    }
                    yield entries;
                }
                default -> throw new IllegalArgumentException("column " + path + " has type " + s + ", which is not written");
            };
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("column " + path + ": " + node + " is not a " + s.getType()
                    + (logical == null ? "" : " " + logical.getName()), e);
        }
    }

    private static BigDecimal decimal(JsonNode node, LogicalTypes.Decimal d) {
        BigDecimal v = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
        return v.setScale(d.getScale(), RoundingMode.UNNECESSARY);
    }

    /** Sluice writes {@code 2024-01-15T10:00:03.457Z}; text without an offset is UTC, as Sluice reads it. */
    static long epochMillis(String text) {
        String t = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        }
    }

    private static boolean nullable(Schema s) {
        return s.getType() == Schema.Type.NULL || s.getType() == Schema.Type.UNION
                && s.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.NULL);
    }
}
