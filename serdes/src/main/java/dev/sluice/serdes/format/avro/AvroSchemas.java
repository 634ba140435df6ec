package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sluice schemas ↔ Avro schemas.
 *
 * <p>Writing: VARCHAR → string, BOOLEAN → boolean, INTEGER → int, BIGINT → long, DOUBLE → double,
 * DECIMAL(p,s) → bytes with logical type decimal(p,s), TIMESTAMP (and WITH TIME ZONE) → long
 * timestamp-millis, DATE → int date, INTERVAL → long (millis), BYTES → bytes, VARIANT → string (JSON
 * text), ARRAY → array, MAP → map (non-VARCHAR keys written as their text), STRUCT → record. Nullable
 * columns, array items and map values are {@code ["null", T]} with default null.
 *
 * <p>Discovery ({@link #toSluiceSchema}): the inverse, plus enum and uuid → VARCHAR, float → DOUBLE,
 * fixed → BYTES (or DECIMAL with a decimal logical type), timestamp-micros and local-timestamp-* →
 * TIMESTAMP, time-millis → INTEGER. A union of several non-null types has no SQL type and is refused
 * with the field's name.
 */
public final class AvroSchemas {
    public static final String NAMESPACE = "dev.sluice.avro";

    private AvroSchemas() {
    }

    /** The record schema written for rows of {@code schema} on {@code topic}. */
    public static org.apache.avro.Schema toAvro(Schema schema, String recordName) {
        return record(schema.columns(), avroName(recordName), NAMESPACE);
    }

    /** Key schema: one column is written unwrapped (as Confluent's primitive key serdes do), several as a record. */
    public static org.apache.avro.Schema toAvroKey(Schema keySchema, String recordName) {
        if (keySchema.size() == 1) {
            return type(keySchema.type(0), avroName(recordName));
        }
        return toAvro(keySchema, recordName);
    }

    /** The Sluice type of each field of an Avro record (schema discovery). */
    public static Schema toSluiceSchema(org.apache.avro.Schema avro) {
        if (avro.getType() != org.apache.avro.Schema.Type.RECORD) {
            return Schema.of(new Column("value", sqlType(avro, "value"), isNullable(avro)));
        }
        List<Column> columns = new ArrayList<>();
        for (org.apache.avro.Schema.Field f : avro.getFields()) {
            columns.add(new Column(f.name(), sqlType(f.schema(), f.name()), isNullable(f.schema())));
        }
        return new Schema(columns);
    }

    /** Avro names are {@code [A-Za-z_][A-Za-z0-9_]*}; topics and quoted columns may hold anything. */
    public static String avroName(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    static org.apache.avro.Schema nullable(org.apache.avro.Schema s) {
        if (s.getType() == org.apache.avro.Schema.Type.NULL) {
            return s;
        }
        return org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), s);
    }

    /** The single non-null branch of {@code s}, {@code s} itself when not a union, null for a wider union. */
    static org.apache.avro.Schema nonNull(org.apache.avro.Schema s) {
        if (s == null || s.getType() != org.apache.avro.Schema.Type.UNION) {
            return s;
        }
        org.apache.avro.Schema only = null;
        for (org.apache.avro.Schema branch : s.getTypes()) {
            if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
                if (only != null) {
                    return null;
                }
                only = branch;
            }
        }
        return only;
    }

    static org.apache.avro.Schema.Field field(org.apache.avro.Schema record, String name) {
        org.apache.avro.Schema.Field exact = record.getField(name);
        if (exact != null) {
            return exact;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String sanitized = avroName(name).toLowerCase(Locale.ROOT);
        for (org.apache.avro.Schema.Field f : record.getFields()) {
            String candidate = f.name().toLowerCase(Locale.ROOT);
            if (candidate.equals(lower) || candidate.equals(sanitized)) {
                return f;
            }
        }
        return null;
    }

    private static org.apache.avro.Schema record(List<Column> columns, String name, String namespace) {
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        for (Column c : columns) {
            String fieldName = avroName(c.name());
            org.apache.avro.Schema t = type(c.type(), name + "_" + fieldName);
            fields.add(c.nullable()
                    ? new org.apache.avro.Schema.Field(fieldName, nullable(t), null, org.apache.avro.Schema.Field.NULL_DEFAULT_VALUE)
                    : new org.apache.avro.Schema.Field(fieldName, t));
        }
        return org.apache.avro.Schema.createRecord(name, null, namespace, false, fields);
    }

    private static org.apache.avro.Schema type(SqlType type, String nameHint) {
        if (type instanceof DecimalType d) {
            return LogicalTypes.decimal(d.precision(), d.scale()).addToSchema(create(org.apache.avro.Schema.Type.BYTES));
        }
        if (type instanceof ArrayType a) {
            return org.apache.avro.Schema.createArray(nullable(type(a.element(), nameHint)));
        }
        if (type instanceof MapType m) {
            return org.apache.avro.Schema.createMap(nullable(type(m.value(), nameHint)));
        }
        if (type instanceof StructType st) {
            return record(st.fields(), nameHint, NAMESPACE);
        }
        return switch ((ScalarType) type) {
            case VARCHAR, VARIANT -> create(org.apache.avro.Schema.Type.STRING);
            case BOOLEAN -> create(org.apache.avro.Schema.Type.BOOLEAN);
            case INTEGER -> create(org.apache.avro.Schema.Type.INT);
            case BIGINT, INTERVAL -> create(org.apache.avro.Schema.Type.LONG);
            case DOUBLE -> create(org.apache.avro.Schema.Type.DOUBLE);
            case TIMESTAMP, TIMESTAMP_LTZ -> LogicalTypes.timestampMillis().addToSchema(create(org.apache.avro.Schema.Type.LONG));
            case DATE -> LogicalTypes.date().addToSchema(create(org.apache.avro.Schema.Type.INT));
            case TIME -> LogicalTypes.timeMillis().addToSchema(create(org.apache.avro.Schema.Type.INT));
            case BYTES -> create(org.apache.avro.Schema.Type.BYTES);
            case NULL -> create(org.apache.avro.Schema.Type.NULL);
        };
    }

    private static org.apache.avro.Schema create(org.apache.avro.Schema.Type t) {
        return org.apache.avro.Schema.create(t);
    }

    private static boolean isNullable(org.apache.avro.Schema s) {
        if (s.getType() == org.apache.avro.Schema.Type.NULL) {
            return true;
        }
        return s.getType() == org.apache.avro.Schema.Type.UNION
                && s.getTypes().stream().anyMatch(b -> b.getType() == org.apache.avro.Schema.Type.NULL);
    }

    static SqlType sqlType(org.apache.avro.Schema s, String path) {
        org.apache.avro.Schema t = nonNull(s);
        if (t == null) {
            throw new IllegalArgumentException("Avro field " + path + " is a union of " + s.getTypes().size()
                    + " types " + s + ": no SQL type fits; declare the column as VARIANT or change the schema");
        }
        LogicalType logical = t.getLogicalType();
        String logicalName = logical == null ? "" : logical.getName();
        switch (t.getType()) {
            case STRING:
            case ENUM:
                return ScalarType.VARCHAR;
            case BOOLEAN:
                return ScalarType.BOOLEAN;
            case INT:
                return logicalName.equals("date") ? ScalarType.DATE
                        : logicalName.equals("time-millis") ? ScalarType.TIME : ScalarType.INTEGER;
            case LONG:
                return logicalName.startsWith("timestamp-") || logicalName.startsWith("local-timestamp-")
                        ? ScalarType.TIMESTAMP : logicalName.equals("time-micros") ? ScalarType.TIME : ScalarType.BIGINT;
            case FLOAT:
            case DOUBLE:
                return ScalarType.DOUBLE;
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal d) {
                    return new DecimalType(Math.min(d.getPrecision(), DecimalType.MAX_PRECISION),
                            Math.min(d.getScale(), Math.min(d.getPrecision(), DecimalType.MAX_PRECISION)));
                }
                return logicalName.equals("uuid") ? ScalarType.VARCHAR : ScalarType.BYTES;
            case ARRAY:
                return new ArrayType(sqlType(t.getElementType(), path + "[]"));
            case MAP:
                return new MapType(ScalarType.VARCHAR, sqlType(t.getValueType(), path + "{}"));
            case RECORD: {
                List<Column> fields = new ArrayList<>();
                for (org.apache.avro.Schema.Field f : t.getFields()) {
                    fields.add(new Column(f.name(), sqlType(f.schema(), path + "." + f.name()), isNullable(f.schema())));
                }
                return new StructType(fields);
            }
            case NULL:
                return ScalarType.NULL;
            default:
                throw new IllegalArgumentException("Avro field " + path + " has type " + t + ", which has no SQL type");
        }
    }
}
