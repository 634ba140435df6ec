package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.serdes.format.text.Temporals;
import dev.sluice.serdes.format.text.TextValues;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link JsonValueWriter} for a type. Numbers are written from {@link Number} so that an
 * Integer reaching a BIGINT column (an evaluator's widening left undone) is still written correctly.
 */
final class JsonWriters {
    private JsonWriters() {
    }

    /**
     * {@code numericTemporals}: TIMESTAMP as epoch milliseconds and DATE as epoch days, as ksqlDB
     * writes them; otherwise ISO-8601 text.
     */
    static JsonValueWriter forType(SqlType type, boolean numericTemporals) {
        if (type instanceof DecimalType) {
            return (g, v) -> g.writeNumber((BigDecimal) v);
        }
        if (type instanceof ArrayType a) {
            JsonValueWriter element = forType(a.element(), numericTemporals);
            return (g, v) -> {
                List<?> list = (List<?>) v;
                g.writeStartArray(list, list.size());
                for (Object e : list) {
                    if (e == null) {
                        g.writeNull();
                    } else {
                        element.write(g, e);
                    }
                }
                g.writeEndArray();
            };
        }
        if (type instanceof MapType m) {
            JsonValueWriter value = forType(m.value(), numericTemporals);
            SqlType keyType = m.key();
            return (g, v) -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    g.writeFieldName(e.getKey() == null ? "null" : TextValues.format(keyType, e.getKey()));
                    if (e.getValue() == null) {
                        g.writeNull();
                    } else {
                        value.write(g, e.getValue());
                    }
                }
                g.writeEndObject();
            };
        }
        if (type instanceof StructType st) {
            JsonRowWriter fields = new JsonRowWriter(st.fields(), numericTemporals);
            return (g, v) -> fields.write(g, (Row) v);
        }
        return switch ((ScalarType) type) {
            case VARCHAR -> (g, v) -> g.writeString(v.toString());
            case BOOLEAN -> (g, v) -> g.writeBoolean((Boolean) v);
            case INTEGER -> (g, v) -> g.writeNumber(((Number) v).intValue());
            case BIGINT, INTERVAL -> (g, v) -> g.writeNumber(((Number) v).longValue());
            case DOUBLE -> (g, v) -> g.writeNumber(((Number) v).doubleValue());
            case TIMESTAMP, TIMESTAMP_LTZ -> numericTemporals ? (g, v) -> g.writeNumber(((Number) v).longValue())
                    : (g, v) -> g.writeString(Temporals.formatTimestamp(((Number) v).longValue()));
            case DATE -> numericTemporals ? (g, v) -> g.writeNumber(((Number) v).intValue())
                    : (g, v) -> g.writeString(Temporals.formatDate(((Number) v).intValue()));
            case TIME -> numericTemporals ? (g, v) -> g.writeNumber(((Number) v).intValue())
                    : (g, v) -> g.writeString(Temporals.formatTime(((Number) v).intValue()));
            case BYTES -> (g, v) -> g.writeBinary((byte[]) v);
            case VARIANT -> (g, v) -> g.writeTree((JsonNode) v);
            case NULL -> (g, v) -> g.writeNull();
        };
    }

    /** Positional row → JSON object with the columns in schema order; NULL as JSON null. */
    static final class JsonRowWriter {
        private final String[] names;
        private final JsonValueWriter[] writers;

        JsonRowWriter(List<Column> columns, boolean numericTemporals) {
            names = new String[columns.size()];
            writers = new JsonValueWriter[columns.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = columns.get(i).name();
                writers[i] = forType(columns.get(i).type(), numericTemporals);
            }
        }

        void write(JsonGenerator g, Row row) throws java.io.IOException {
            g.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                g.writeFieldName(names[i]);
                Object v = row.get(i);
                if (v == null) {
                    g.writeNull();
                } else {
                    writers[i].write(g, v);
                }
            }
            g.writeEndObject();
        }

        String name(int i) {
            return names[i];
        }
    }
}
