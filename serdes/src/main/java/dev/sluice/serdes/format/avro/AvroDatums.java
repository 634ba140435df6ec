package dev.sluice.serdes.format.avro;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.apache.avro.generic.GenericData;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sluice values → the datums {@code GenericDatumWriter} writes for the schema {@link AvroSchemas}
 * generated: logical types as their underlying long/int/bytes, so no Avro conversions are needed.
 * Built once per schema.
 */
final class AvroDatums {
    private AvroDatums() {
    }

    /** A converter for values of {@code type}; {@code avro} is the non-null Avro type written for it. */
    static Function<Object, Object> forType(SqlType type, org.apache.avro.Schema avro) {
        if (type instanceof DecimalType d) {
            return v -> ByteBuffer.wrap(TextValues.fitDecimal((BigDecimal) v, d).unscaledValue().toByteArray());
        }
        if (type instanceof ArrayType a) {
            Function<Object, Object> element = forType(a.element(), AvroSchemas.nonNull(avro.getElementType()));
            return v -> {
                List<?> in = (List<?>) v;
                List<Object> out = new ArrayList<>(in.size());
                for (Object e : in) {
                    out.add(e == null ? null : element.apply(e));
                }
                return out;
            };
        }
        if (type instanceof MapType m) {
            Function<Object, Object> value = forType(m.value(), AvroSchemas.nonNull(avro.getValueType()));
            return v -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    String key = e.getKey() == null ? "null" : TextValues.format(m.key(), e.getKey());
                    out.put(key, e.getValue() == null ? null : value.apply(e.getValue()));
                }
                return out;
            };
        }
        if (type instanceof StructType st) {
            return record(st.fields(), avro);
        }
        return switch ((ScalarType) type) {
            case VARCHAR, BOOLEAN, BYTES, NULL -> v -> v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
            case INTEGER, DATE, TIME -> v -> ((Number) v).intValue();
            case BIGINT, INTERVAL, TIMESTAMP, TIMESTAMP_LTZ -> v -> ((Number) v).longValue();
            case DOUBLE -> v -> ((Number) v).doubleValue();
            case VARIANT -> v -> ((JsonNode) v).toString();
        };
    }

    /** Row → {@link GenericData.Record} of {@code recordSchema}, positional. */
    static Function<Object, Object> record(List<Column> columns, org.apache.avro.Schema recordSchema) {
        List<Function<Object, Object>> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            fields.add(forType(columns.get(i).type(), AvroSchemas.nonNull(recordSchema.getFields().get(i).schema())));
        }
        return v -> {
            Row row = (Row) v;
            GenericData.Record r = new GenericData.Record(recordSchema);
            for (int i = 0; i < fields.size(); i++) {
                Object value = row.get(i);
                r.put(i, value == null ? null : fields.get(i).apply(value));
            }
            return r;
        };
    }
}
