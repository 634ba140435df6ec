package dev.sluice.connect.parquet;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Parquet row (as parquet-avro hands it over) turned into plain values that {@link dev.sluice.connect.Json}
 * writes as the JSON Sluice reads: timestamps as ISO-8601 text at the file's own precision (millis,
 * micros or nanos; {@code isAdjustedToUTC = false} is written without offset, which Sluice reads as
 * UTC), dates as {@code yyyy-MM-dd}, decimals as exact numbers, binary as base64, nested groups as
 * objects, lists as arrays and maps as objects. Legacy INT96 timestamps (Spark, Impala) are decoded
 * from their Julian day and nanos of day.
 */
public final class ParquetToJson {
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;

    private ParquetToJson() {
    }

    public static Map<String, Object> row(GenericRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            out.put(f.name(), value(record.get(f.pos()), f.schema()));
        }
        return out;
    }

    static Object value(Object datum, Schema schema) {
        if (datum == null) {
            return null;
        }
        if (datum instanceof BigDecimal d) {
            return d; // parquet-avro converts INT32/INT64 decimals itself
        }
        Schema s = nonNull(schema);
        LogicalType logical = s.getLogicalType();
        return switch (s.getType()) {
            case STRING, ENUM -> datum.toString();
            case BOOLEAN, FLOAT, DOUBLE -> datum;
            case INT -> logical instanceof LogicalTypes.Date ? LocalDate.ofEpochDay(((Number) datum).intValue()).toString()
                    : logical instanceof LogicalTypes.Decimal d ? BigDecimal.valueOf(((Number) datum).longValue(), d.getScale())
                    : datum;
            case LONG -> longValue(((Number) datum).longValue(), logical);
            case BYTES -> bytes(toArray((ByteBuffer) datum), logical);
            case FIXED -> s.getFixedSize() == 12 && "INT96 represented as byte[12]".equals(s.getDoc())
                    ? int96(((GenericFixed) datum).bytes())
                    : logical instanceof LogicalTypes.Decimal ? bytes(((GenericFixed) datum).bytes(), logical)
                    : "uuid".equals(logical == null ? null : logical.getName()) ? uuid(((GenericFixed) datum).bytes())
                    : bytes(((GenericFixed) datum).bytes(), logical);
            case RECORD -> row((GenericRecord) datum);
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (Object item : (Iterable<?>) datum) {
                    items.add(value(item, s.getElementType()));
                }
                yield items;
            }
            case MAP -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    entries.put(e.getKey().toString(), value(e.getValue(), s.getValueType()));
                }
                yield entries;
            }
            case NULL -> null;
            case UNION -> throw new IllegalArgumentException("a Parquet column with several types: " + schema);
        };
    }

    private static Object longValue(long v, LogicalType logical) {
        if (logical == null) {
            return v;
        }
        return switch (logical.getName()) {
            case "timestamp-millis" -> Instant.ofEpochMilli(v).toString();
            case "timestamp-micros" -> Instant.EPOCH.plusNanos(Math.multiplyExact(v, 1000L)).toString();
            case "timestamp-nanos" -> Instant.EPOCH.plusNanos(v).toString();
            case "local-timestamp-millis" -> LocalDateTime.ofInstant(Instant.ofEpochMilli(v), ZoneOffset.UTC).toString();
            case "local-timestamp-micros" -> LocalDateTime.ofInstant(Instant.EPOCH.plusNanos(v * 1000L), ZoneOffset.UTC).toString();
            case "local-timestamp-nanos" -> LocalDateTime.ofInstant(Instant.EPOCH.plusNanos(v), ZoneOffset.UTC).toString();
            case "decimal" -> BigDecimal.valueOf(v, ((LogicalTypes.Decimal) logical).getScale());
            default -> v;
        };
    }

    private static Object bytes(byte[] b, LogicalType logical) {
        if (logical instanceof LogicalTypes.Decimal d) {
            return new BigDecimal(new BigInteger(b), d.getScale());
        }
        return Base64.getEncoder().encodeToString(b);
    }

    /** INT96: 8 bytes of nanos within the day, then 4 bytes of Julian day, both little-endian. */
    static String int96(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buf.getLong();
        long julianDay = buf.getInt() & 0xFFFFFFFFL;
        long epochDay = julianDay - JULIAN_EPOCH_DAY;
        return Instant.EPOCH.plusSeconds(epochDay * 86_400L).plusNanos(nanosOfDay).toString();
    }

    private static String uuid(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new java.util.UUID(buf.getLong(), buf.getLong()).toString();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        Schema only = null;
        for (Schema branch : s.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                if (only != null) {
                    return s;
                }
                only = branch;
            }
        }
        return only == null ? s.getTypes().get(0) : only;
    }
}
