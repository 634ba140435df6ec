package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.errors.SerializationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sluice values → datums of a schema someone else registered ({@code value_schema_id}), as ksqlDB
 * writes them: each field of the record takes the column of its name (exact, else ignoring case),
 * in the field's own Avro type (an INTEGER column into a {@code long} field, say). A field no column
 * fills, or whose column is NULL while the field cannot hold NULL, takes the field's default; a
 * nullable field without a default is NULL; a required field with neither is a serialization error
 * (ksqlDB: {@code Unable to serialize record}).
 */
final class AvroRegisteredDatums {
    private AvroRegisteredDatums() {
    }

    /** Row → {@link GenericData.Record} of the registered {@code recordSchema}, fields by name. */
    static Function<Object, Object> record(List<Column> columns, org.apache.avro.Schema recordSchema) {
        List<org.apache.avro.Schema.Field> fields = recordSchema.getFields();
        int[] source = new int[fields.size()];
        List<Function<Object, Object>> converters = new ArrayList<>();
        for (int f = 0; f < fields.size(); f++) {
            org.apache.avro.Schema.Field field = fields.get(f);
            source[f] = columnOf(columns, field.name());
            converters.add(source[f] < 0 ? null : forType(columns.get(source[f]).type(), field.schema()));
        }
        return v -> {
            Row row = (Row) v;
            GenericData.Record r = new GenericData.Record(recordSchema);
            for (int f = 0; f < fields.size(); f++) {
                Object value = source[f] < 0 ? null : row.get(source[f]);
                org.apache.avro.Schema.Field field = fields.get(f);
                r.put(f, value != null ? converters.get(f).apply(value)
                        : source[f] >= 0 && field.schema().isNullable() ? null : absent(field, recordSchema));
            }
            return r;
        };
    }

    private static Object absent(org.apache.avro.Schema.Field field, org.apache.avro.Schema record) {
        if (field.hasDefaultValue()) {
            return GenericData.get().getDefaultValue(field);
        }
        if (field.schema().isNullable()) {
            return null;
        }
        throw new SerializationException("Unable to serialize record: field '" + field.name() + "' of the registered schema "
                + record.getFullName() + " is required, has no default, and no column gives it a value");
    }

    private static int columnOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A converter for a non-null value of {@code type} into the registered (possibly nullable) {@code avro}. */
    private static Function<Object, Object> forType(SqlType type, org.apache.avro.Schema avro) {
        org.apache.avro.Schema target = AvroSchemas.nonNull(avro);
        if (type instanceof StructType s && target.getType() == org.apache.avro.Schema.Type.RECORD) {
            return record(s.fields(), target);
        }
        if (type instanceof ArrayType a && target.getType() == org.apache.avro.Schema.Type.ARRAY) {
            Function<Object, Object> element = forType(a.element(), target.getElementType());
            return v -> {
                List<Object> out = new ArrayList<>();
                for (Object e : (List<?>) v) {
                    out.add(e == null ? null : element.apply(e));
                }
                return out;
            };
        }
        if (type instanceof MapType m && target.getType() == org.apache.avro.Schema.Type.MAP) {
            Function<Object, Object> value = forType(m.value(), target.getValueType());
            return v -> {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) v).forEach((k, x) -> out.put(k == null ? "null" : TextValues.format(m.key(), k),
                        x == null ? null : value.apply(x)));
                return out;
            };
        }
        Function<Object, Object> plain = AvroDatums.forType(type, target);
        return switch (target.getType()) {
            case INT -> v -> plain.apply(v) instanceof Number n ? n.intValue() : plain.apply(v);
            case LONG -> v -> plain.apply(v) instanceof Number n ? n.longValue() : plain.apply(v);
            case FLOAT -> v -> plain.apply(v) instanceof Number n ? n.floatValue() : plain.apply(v);
            case DOUBLE -> v -> plain.apply(v) instanceof Number n ? n.doubleValue() : plain.apply(v);
            case STRING -> v -> plain.apply(v) instanceof CharSequence c ? c : TextValues.format(type, v);
            case ENUM -> v -> new GenericData.EnumSymbol(target, v.toString());
            default -> plain;
        };
    }
}
