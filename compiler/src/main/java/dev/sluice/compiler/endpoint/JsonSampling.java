package dev.sluice.compiler.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.format.text.Temporals;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Columns of JSON records from a sample (seed 001's {@code schema_discovery = true,
 * sample_size = 1000, infer_types = true}): every field seen, in first-seen order; with type
 * inference, the narrowest type every sampled value fits (integers BIGINT, other numbers DOUBLE,
 * booleans, ISO timestamps TIMESTAMP, objects and arrays VARIANT, fields only ever null VARIANT),
 * otherwise VARCHAR. Text that
 * does not parse as JSON is skipped here; at run time such a record is dead-lettered.
 */
public final class JsonSampling {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSampling() {
    }

    public record Sampled(Schema schema, int records, int unreadable) {
    }

    public static Sampled infer(List<String> texts, boolean inferTypes) {
        Map<String, SqlType> types = new LinkedHashMap<>();
        int records = 0;
        int unreadable = 0;
        for (String text : texts) {
            JsonNode node;
            try {
                node = MAPPER.readTree(text);
            } catch (Exception e) {
                unreadable++;
                continue;
            }
            if (node == null || !node.isObject()) {
                unreadable++;
                continue;
            }
            records++;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                SqlType seen = inferTypes ? typeOf(f.getValue()) : ScalarType.VARCHAR;
                types.merge(f.getKey(), seen, JsonSampling::widen);
            }
        }
        List<Column> columns = new ArrayList<>();
        // a field seen only as null could hold anything: VARIANT reads any JSON value
        types.forEach((name, type) -> columns.add(new Column(name, type == ScalarType.NULL ? ScalarType.VARIANT : type)));
        return new Sampled(new Schema(columns), records, unreadable);
    }

    static SqlType typeOf(JsonNode v) {
        if (v.isNull()) {
            return ScalarType.NULL;
        }
        if (v.isBoolean()) {
            return ScalarType.BOOLEAN;
        }
        if (v.isIntegralNumber()) {
            return ScalarType.BIGINT;
        }
        if (v.isNumber()) {
            return ScalarType.DOUBLE;
        }
        if (v.isObject() || v.isArray()) {
            return ScalarType.VARIANT;
        }
        String s = v.asText();
        if (s.length() >= 10 && Character.isDigit(s.charAt(0)) && s.charAt(4) == '-' && isTimestamp(s)) {
            return ScalarType.TIMESTAMP;
        }
        return ScalarType.VARCHAR;
    }

    private static boolean isTimestamp(String s) {
        try {
            Temporals.parseTimestamp(s);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static SqlType widen(SqlType a, SqlType b) {
        if (a == ScalarType.NULL) {
            return b;
        }
        if (b == ScalarType.NULL || a.equals(b)) {
            return a;
        }
        if (a.isNumeric() && b.isNumeric()) {
            return ScalarType.DOUBLE;
        }
        return a == ScalarType.VARIANT || b == ScalarType.VARIANT ? ScalarType.VARIANT : ScalarType.VARCHAR;
    }
}
