package dev.sluice.serdes.format.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.format.text.Temporals;
import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Objects produced by a user's deserializer (Strings, Maps, Avro GenericRecords, java.time values,
 * POJOs...) → values of Sluice's fixed representation (see {@link SqlType}), and rows back to plain
 * Java maps for a user's serializer. This is the slow, general path for plugged-in serdes only.
 */
public final class JavaValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JavaValues() {
    }

    /** An object with named fields (Map, GenericRecord, JsonNode, or a POJO via Jackson) → row by name. */
    public static Row toRow(Object value, List<Column> columns, String path) {
        if (value instanceof Row r) {
            return r;
        }
        Object[] out = new Object[columns.size()];
        if (value instanceof GenericRecord rec) {
            for (int i = 0; i < out.length; i++) {
                Column c = columns.get(i);
                org.apache.avro.Schema.Field f = avroField(rec.getSchema(), c.name());
                out[i] = f == null ? null : coerce(rec.get(f.pos()), c.type(), path + c.name());
            }
            return new Row(out);
        }
        Map<?, ?> map;
        if (value instanceof Map<?, ?> m) {
            map = m;
        } else if (value instanceof JsonNode || !(value instanceof CharSequence || value instanceof Number)) {
            map = JSON.convertValue(value, Map.class);
        } else {
            throw new SerializationException("field " + (path.isEmpty() ? "<record>" : path) + ": expected an object with fields "
                    + new Schema(columns).names() + ", got " + value.getClass().getSimpleName() + " " + value);
        }
        for (int i = 0; i < out.length; i++) {
            Column c = columns.get(i);
            out[i] = coerce(lookup(map, c.name()), c.type(), path + c.name());
        }
        return new Row(out);
    }

    /** One value to the representation of {@code type}; an error names {@code path} and both types. */
    public static Object coerce(Object v, SqlType type, String path) {
        if (v == null) {
            return null;
        }
        try {
            return convert(v, type, path);
        } catch (ClassCastException | IllegalArgumentException | ArithmeticException e) {
            throw new SerializationException("field " + path + ": expected " + type.sql() + ", got "
                    + v.getClass().getSimpleName() + " " + shorten(v));
        }
    }

    private static Object convert(Object v, SqlType type, String path) {
        if (type instanceof DecimalType d) {
            BigDecimal b = v instanceof BigDecimal bd ? bd
                    : v instanceof BigInteger bi ? new BigDecimal(bi)
                    : v instanceof Number n ? new BigDecimal(n.toString())
                    : TextValues.parseDecimal(v.toString());
            return TextValues.fitDecimal(b, d);
        }
        if (type instanceof ArrayType a) {
            Collection<?> items = v instanceof Collection<?> c ? c
                    : v instanceof Object[] arr ? List.of(arr) : null;
            if (items == null) {
                throw new ClassCastException();
            }
            List<Object> list = new ArrayList<>(items.size());
            for (Object item : items) {
                list.add(coerce(item, a.element(), path + "[]"));
            }
            return list;
        }
        if (type instanceof MapType m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                Object key = m.key() == ScalarType.VARCHAR ? String.valueOf(e.getKey()) : coerce(e.getKey(), m.key(), path + "{}");
                out.put(key, coerce(e.getValue(), m.value(), path + "{}"));
            }
            return out;
        }
        if (type instanceof StructType st) {
            return toRow(v, st.fields(), path + ".");
        }
        ScalarType s = (ScalarType) type;
        if (v instanceof CharSequence cs && s != ScalarType.VARCHAR) {
            return TextValues.parse(s, cs.toString());
        }
        return switch (s) {
            case VARCHAR -> v instanceof CharSequence ? v.toString() : v instanceof JsonNode n ? n.toString() : String.valueOf(v);
            case BOOLEAN -> (Boolean) v;
            case INTEGER -> Math.toIntExact(integral(v));
            case BIGINT -> integral(v);
            case INTERVAL -> v instanceof java.time.Duration d ? d.toMillis() : integral(v);
            case DOUBLE -> ((Number) v).doubleValue();
            case TIMESTAMP, TIMESTAMP_LTZ -> epochMillis(v);
            case DATE -> v instanceof LocalDate ld ? (int) ld.toEpochDay() : Math.toIntExact(integral(v));
            case TIME -> v instanceof java.time.LocalTime lt ? (int) (lt.toNanoOfDay() / 1_000_000L)
                    : Temporals.checkTime(integral(v));
            case BYTES -> v instanceof byte[] b ? b
                    : v instanceof ByteBuffer bb ? bytes(bb)
                    : v instanceof GenericFixed f ? f.bytes() : (byte[]) v;
            case VARIANT -> v instanceof JsonNode n ? n : JSON.valueToTree(v);
            case NULL -> null;
        };
    }

    /** A row as an insertion-ordered map of column name → value (nested rows as maps too). */
    public static Map<String, Object> toMap(Row row, List<Column> columns) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Object v = row.get(i);
            if (v instanceof Row nested && columns.get(i).type() instanceof StructType st) {
                v = toMap(nested, st.fields());
            }
            out.put(columns.get(i).name(), v);
        }
        return out;
    }

    private static long integral(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).longValueExact();
        }
        throw new ClassCastException();
    }

    private static long epochMillis(Object v) {
        if (v instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (v instanceof java.util.Date d) {
            return d.getTime();
        }
        if (v instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof OffsetDateTime odt) {
            return odt.toInstant().toEpochMilli();
        }
        if (v instanceof ZonedDateTime zdt) {
            return zdt.toInstant().toEpochMilli();
        }
        return integral(v);
    }

    private static Object lookup(Map<?, ?> map, String name) {
        if (map.containsKey(name)) {
            return map.get(name);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() != null && e.getKey().toString().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static org.apache.avro.Schema.Field avroField(org.apache.avro.Schema schema, String name) {
        org.apache.avro.Schema.Field f = schema.getField(name);
        if (f != null) {
            return f;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (org.apache.avro.Schema.Field candidate : schema.getFields()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(lower)) {
                return candidate;
            }
        }
        return null;
    }

    private static byte[] bytes(ByteBuffer bb) {
        byte[] b = new byte[bb.remaining()];
        bb.duplicate().get(b);
        return b;
    }

    private static String shorten(Object v) {
        String s = String.valueOf(v);
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
