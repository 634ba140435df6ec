package dev.sluice.serdes.format.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.avro.Schema.Type;

/**
 * For one writer schema: the reader schema that Avro's schema resolution reads it into, and the
 * converters from the resolved data to Sluice values.
 *
 * <p>The reader schema follows the Sluice columns (so promotions int→long, float→double and fields
 * missing from the writer are Avro's business) but borrows the writer's names (records must match by
 * name), field spellings (columns match fields ignoring case) and named enum/fixed types. Every reader
 * field is nullable with default null: a field the writer lacks reads as NULL. Logical types do not
 * take part in resolution, so the converters look at the writer's: timestamp-micros is divided down to
 * millis, a decimal's unscaled bytes take the writer's scale.
 */
final class AvroReaderSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reader schema and the converter of a datum read with it. */
    record Derived(org.apache.avro.Schema reader, AvroValueReader converter) {
    }

    private AvroReaderSchemas() {
    }

    static Derived row(List<Column> columns, org.apache.avro.Schema writerRecord, String nameHint) {
        return row(columns, writerRecord, null, nameHint);
    }

    /**
     * {@code defaults}, when given, is the subject's latest registered record: a field the writer lacks
     * takes that schema's default (as with Confluent's deserializer reading into the latest schema)
     * rather than NULL. Only top-level, non-null defaults are taken.
     */
    static Derived row(List<Column> columns, org.apache.avro.Schema writerRecord, org.apache.avro.Schema defaults,
                       String nameHint) {
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        AvroValueReader[] converters = new AvroValueReader[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            org.apache.avro.Schema.Field wf = writerRecord == null ? null : AvroSchemas.field(writerRecord, c.name());
            org.apache.avro.Schema w = wf == null ? null : AvroSchemas.nonNull(wf.schema());
            String fieldName = wf != null ? wf.name() : AvroSchemas.avroName(c.name());
            Derived d = value(c.type(), w, nameHint + "_" + fieldName, c.name());
            fields.add(readerField(fieldName, d.reader(), wf == null ? defaultOf(defaults, c.name()) : null));
            converters[i] = d.converter();
        }
        org.apache.avro.Schema reader = writerRecord != null
                ? org.apache.avro.Schema.createRecord(writerRecord.getName(), null, writerRecord.getNamespace(), false, fields)
                : org.apache.avro.Schema.createRecord(AvroSchemas.avroName(nameHint), null, AvroSchemas.NAMESPACE, false, fields);
        AvroValueReader toRow = datum -> {
            IndexedRecord r = (IndexedRecord) datum;
            Object[] values = new Object[converters.length];
            for (int i = 0; i < values.length; i++) {
                Object v = r.get(i);
                values[i] = v == null ? null : converters[i].read(v);
            }
            return new Row(values);
        };
        return new Derived(reader, toRow);
    }

    private static org.apache.avro.Schema.Field readerField(String name, org.apache.avro.Schema type, Object defaultValue) {
        if (defaultValue != null && defaultValue != org.apache.avro.JsonProperties.NULL_VALUE) {
            try {
                // a union's default must match its first branch, so the non-null type comes first here
                org.apache.avro.Schema union = org.apache.avro.Schema.createUnion(type,
                        org.apache.avro.Schema.create(Type.NULL));
                return new org.apache.avro.Schema.Field(name, union, null, defaultValue);
            } catch (RuntimeException e) {
                // a default that does not fit the column's type: fall back to NULL
            }
        }
        return new org.apache.avro.Schema.Field(name, AvroSchemas.nullable(type), null,
                org.apache.avro.Schema.Field.NULL_DEFAULT_VALUE);
    }

    private static Object defaultOf(org.apache.avro.Schema defaults, String column) {
        if (defaults == null || defaults.getType() != Type.RECORD) {
            return null;
        }
        org.apache.avro.Schema.Field f = AvroSchemas.field(defaults, column);
        return f == null || !f.hasDefaultValue() ? null : f.defaultVal();
    }

    /** {@code w} is the writer's type for this value (its non-null branch), or null when unknown/absent. */
    static Derived value(SqlType type, org.apache.avro.Schema w, String nameHint, String path) {
        Type wt = w == null ? null : w.getType();
        if (type instanceof DecimalType d) {
            int writerScale = w != null && w.getLogicalType() instanceof LogicalTypes.Decimal wd ? wd.getScale() : d.scale();
            org.apache.avro.Schema reader = wt == Type.FIXED ? w : create(Type.BYTES);
            return new Derived(reader, datum -> {
                BigInteger unscaled = new BigInteger(bytes(datum));
                try {
                    return TextValues.fitDecimal(new BigDecimal(unscaled, writerScale), d);
                } catch (IllegalArgumentException e) {
                    throw new SerializationException("field " + path + ": " + e.getMessage() + ": "
                            + new BigDecimal(unscaled, writerScale).toPlainString());
                }
            });
        }
        if (type instanceof ArrayType a) {
            org.apache.avro.Schema we = wt == Type.ARRAY ? AvroSchemas.nonNull(w.getElementType()) : null;
            Derived element = value(a.element(), we, nameHint, path + "[]");
            return new Derived(org.apache.avro.Schema.createArray(AvroSchemas.nullable(element.reader())), datum -> {
                List<?> in = (List<?>) datum;
                List<Object> out = new ArrayList<>(in.size());
                for (Object e : in) {
                    out.add(e == null ? null : element.converter().read(e));
                }
                return out;
            });
        }
        if (type instanceof MapType m) {
            org.apache.avro.Schema wv = wt == Type.MAP ? AvroSchemas.nonNull(w.getValueType()) : null;
            Derived value = value(m.value(), wv, nameHint, path + "{}");
            boolean textKeys = m.key() == ScalarType.VARCHAR;
            return new Derived(org.apache.avro.Schema.createMap(AvroSchemas.nullable(value.reader())), datum -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    String k = e.getKey().toString();
                    Object key;
                    try {
                        key = textKeys ? k : TextValues.parse(m.key(), k);
                    } catch (IllegalArgumentException ex) {
                        throw new SerializationException("field " + path + ": map key \"" + k + "\" is not " + m.key().sql());
                    }
                    out.put(key, e.getValue() == null ? null : value.converter().read(e.getValue()));
                }
                return out;
            });
        }
        if (type instanceof StructType st) {
            return row(st.fields(), wt == Type.RECORD ? w : null, nameHint);
        }
        ScalarType s = (ScalarType) type;
        String logical = w == null || w.getLogicalType() == null ? "" : w.getLogicalType().getName();
        return switch (s) {
            case VARCHAR -> new Derived(wt == Type.ENUM ? w : create(Type.STRING), Object::toString);
            case BOOLEAN -> new Derived(create(Type.BOOLEAN), datum -> datum);
            case INTEGER -> new Derived(create(Type.INT), datum -> datum);
            case BIGINT, INTERVAL -> new Derived(create(Type.LONG), datum -> datum);
            case DOUBLE -> new Derived(create(Type.DOUBLE), datum -> datum);
            case DATE -> new Derived(create(Type.INT), datum -> datum);
            // time-micros (a long) is read as milliseconds; time-millis (an int) as it is
            case TIME -> wt == Type.LONG ? new Derived(create(Type.LONG), datum -> (int) (((Number) datum).longValue() / 1000))
                    : new Derived(create(Type.INT), datum -> datum);
            case TIMESTAMP, TIMESTAMP_LTZ -> timestamp(wt, logical);
            case BYTES -> new Derived(wt == Type.FIXED ? w : create(Type.BYTES), datum -> bytes(datum));
            case VARIANT -> new Derived(w != null ? w : create(Type.STRING), AvroReaderSchemas::variant);
            case NULL -> new Derived(create(Type.NULL), datum -> null);
        };
    }

    private static Derived timestamp(Type wt, String logical) {
        if (wt == Type.INT && logical.equals("date")) {
            // a DATE field read into a TIMESTAMP column: midnight UTC
            return new Derived(create(Type.INT), datum -> ((Integer) datum) * 86_400_000L);
        }
        long divisor = logical.endsWith("-micros") ? 1_000L : logical.endsWith("-nanos") ? 1_000_000L : 1L;
        if (divisor == 1L) {
            return new Derived(create(Type.LONG), datum -> datum);
        }
        return new Derived(create(Type.LONG), datum -> Math.floorDiv((Long) datum, divisor));
    }

    private static JsonNode variant(Object datum) {
        try {
            if (datum instanceof CharSequence cs) {
                try {
                    return JSON.readTree(cs.toString());
                } catch (IOException e) {
                    return TextNode.valueOf(cs.toString());
                }
            }
            return JSON.readTree(GenericData.get().toString(datum));
        } catch (IOException e) {
            return TextNode.valueOf(String.valueOf(datum));
        }
    }

    private static byte[] bytes(Object datum) {
        if (datum instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            return b;
        }
        if (datum instanceof GenericFixed f) {
            return f.bytes().clone();
        }
        if (datum instanceof CharSequence cs) {
            return cs.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return (byte[]) datum;
    }

    private static org.apache.avro.Schema create(Type t) {
        return org.apache.avro.Schema.create(t);
    }

}
