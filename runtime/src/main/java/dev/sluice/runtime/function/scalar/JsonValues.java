package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** VARIANT (Jackson {@link JsonNode}) parsing, navigation and conversion from SQL values. */
final class JsonValues {
    /** The same defaults as serdes' ValueCodec, so that VARIANTs compare equal after a round trip. */
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    /**
     * Keeps a JSON number's decimal digits as written ({@code 1.23450} stays so): ksqlDB's JSON text
     * functions read numbers this way and give them back as text.
     */
    private static final ObjectMapper EXACT_DECIMALS = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    static JsonNode parse(String text) {
        return parse(MAPPER, text);
    }

    /** JSON text with its numbers' digits kept exactly (see {@link #EXACT_DECIMALS}). */
    static JsonNode parseExact(String text) {
        return parse(EXACT_DECIMALS, text);
    }

    private static JsonNode parse(ObjectMapper mapper, String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("cannot parse an empty text as JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot parse '" + abbreviate(text) + "' as JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** A VARIANT argument as a node: VARCHAR holds JSON text, VARIANT is a node already. */
    static JsonNode asNode(Object value) {
        return value instanceof JsonNode n ? n : parse((String) value);
    }

    /** Object field by name, or array element by 0-based index (also a digit string); else null. */
    static JsonNode step(JsonNode node, Object key) {
        if (node == null) {
            return null;
        }
        if (key instanceof Number n) {
            return node.isArray() ? node.get(Math.toIntExact(n.longValue())) : null;
        }
        String k = (String) key;
        if (node.isObject()) {
            return node.get(k);
        }
        if (node.isArray() && !k.isEmpty() && k.chars().allMatch(Character::isDigit)) {
            return node.get(Integer.parseInt(k));
        }
        return null;
    }

    /** PostgreSQL ->> and JSON_VALUE: strings bare, JSON null as SQL NULL, the rest as JSON text. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isDouble() || node.isFloat()) {
            // as PostgreSQL's ->> prints a JSON number: 0.00005, not a double's 5.0E-5
            String shortest = Double.toString(node.doubleValue());
            return shortest.contains("E") ? new BigDecimal(shortest).stripTrailingZeros().toPlainString() : shortest;
        }
        return node.toString();
    }

    static JsonNode toNode(Object value, SqlType type) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (type instanceof DecimalType) {
            return NODES.numberNode((BigDecimal) value);
        }
        if (type instanceof ArrayType a) {
            ArrayNode array = NODES.arrayNode();
            for (Object e : (List<?>) value) {
                array.add(toNode(e, a.element()));
            }
            return array;
        }
        if (type instanceof MapType m) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                object.set(Casts.toText(e.getKey(), m.key()), toNode(e.getValue(), m.value()));
            }
            return object;
        }
        if (type instanceof StructType s) {
            ObjectNode object = NODES.objectNode();
            Row row = (Row) value;
            for (int i = 0; i < s.fields().size(); i++) {
                object.set(s.fields().get(i).name(), toNode(row.get(i), s.fields().get(i).type()));
            }
            return object;
        }
        ScalarType scalar = (ScalarType) type;
        return switch (scalar) {
            case VARCHAR -> NODES.textNode((String) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INTEGER -> NODES.numberNode(((Number) value).intValue());
            case BIGINT, INTERVAL -> NODES.numberNode(((Number) value).longValue());
            case DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case TIMESTAMP, TIMESTAMP_LTZ, DATE, TIME -> NODES.textNode(Casts.toText(value, type));
            case BYTES -> NODES.binaryNode((byte[]) value);
            case VARIANT, NULL -> NODES.nullNode();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
