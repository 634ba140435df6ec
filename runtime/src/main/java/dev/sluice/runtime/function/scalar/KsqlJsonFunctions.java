package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ksqlDB's functions over JSON held in VARCHAR, with its names and NULL handling:
 * {@code TO_JSON_STRING(x)} (any type; NULL gives the text {@code null}), {@code IS_JSON_STRING(s)}
 * (false for NULL and for text that is not JSON), {@code JSON_ARRAY_LENGTH(s)},
 * {@code JSON_ARRAY_CONTAINS(s, x)} (false for NULL or a non-array), {@code JSON_CONCAT(s, …)}
 * (objects merge, anything else concatenates as arrays), {@code JSON_KEYS(s)},
 * {@code JSON_RECORDS(s)}, {@code JSON_ITEMS(s)}. Empty text reads as no JSON at all (NULL
 * results); text that is not JSON fails the record.
 */
final class KsqlJsonFunctions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private KsqlJsonFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(toJsonString(), isJsonString(), arrayLength(), arrayContains(), concat(), keys(), records(),
                items());
    }

    /** JSON text, or null for empty text (ksqlDB's missing node); text that is not JSON fails. */
    private static JsonNode parse(String text) {
        try {
            JsonNode node = JsonValues.MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            throw new FunctionException("invalid JSON text: " + e.getOriginalMessage());
        }
    }

    private static Fn toJsonString() {
        return Fn.of("TO_JSON_STRING", args -> {
            Sig.check("TO_JSON_STRING", args, "ANY");
            return ScalarType.VARCHAR;
        }, (args, t) -> {
            SqlType type = args.get(0).type();
            return a -> toNode(a[0], type).toString();
        }).seeingNulls();
    }

    /** As ksqlDB writes a value: struct fields and map keys sorted, temporals as ISO text, bytes base64. */
    static JsonNode toNode(Object value, SqlType type) {
        if (value == null) {
            return NODES.nullNode();
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
            Map<String, JsonNode> sorted = new TreeMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> sorted.put(String.valueOf(k), toNode(v, m.value())));
            sorted.forEach(object::set);
            return object;
        }
        if (type instanceof StructType s) {
            ObjectNode object = NODES.objectNode();
            Map<String, JsonNode> sorted = new TreeMap<>();
            Row row = (Row) value;
            for (int i = 0; i < s.fields().size(); i++) {
                sorted.put(s.fields().get(i).name(), toNode(row.get(i), s.fields().get(i).type()));
            }
            sorted.forEach(object::set);
            return object;
        }
        return switch ((ScalarType) type) {
            case TIMESTAMP, TIMESTAMP_LTZ -> NODES.textNode(TIMESTAMP.format(
                    Instant.ofEpochMilli(((Number) value).longValue())));
            case DATE -> NODES.textNode(LocalDate.ofEpochDay(((Number) value).longValue()).toString());
            // ksqlDB writes a TIME to seconds, as java.time does ("16:43:40", "16:43" on a whole minute)
            case TIME -> NODES.textNode(java.time.LocalTime.ofSecondOfDay(((Number) value).intValue() / 1000).toString());
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            default -> JsonValues.toNode(value, type);
        };
    }

    private static Fn isJsonString() {
        return Fn.of("IS_JSON_STRING", args -> {
            Sig.check("IS_JSON_STRING", args, "VARCHAR");
            return ScalarType.BOOLEAN;
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return false;
            }
            try {
                return parse((String) a[0]) != null;
            } catch (FunctionException e) {
                return false;
            }
        }).seeingNulls();
    }

    private static Fn arrayLength() {
        return Fn.of("JSON_ARRAY_LENGTH", args -> {
            Sig.check("JSON_ARRAY_LENGTH", args, "VARCHAR");
            return ScalarType.INTEGER;
        }, (args, t) -> a -> {
            JsonNode node = parse((String) a[0]);
            return node == null || !node.isArray() ? null : node.size();
        });
    }

    /** Whether the array holds an element equal to {@code x} of the same JSON kind; false when not an array. */
    private static Fn arrayContains() {
        return Fn.of("JSON_ARRAY_CONTAINS", args -> {
            Sig.check("JSON_ARRAY_CONTAINS", args, "VARCHAR", "ANY");
            return ScalarType.BOOLEAN;
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return false;
            }
            JsonNode node;
            try {
                node = parse((String) a[0]);
            } catch (FunctionException e) {
                return false;
            }
            if (node == null || !node.isArray()) {
                return false;
            }
            for (JsonNode e : node) {
                if (a[1] == null ? e.isNull() : matches(e, a[1])) {
                    return true;
                }
            }
            return false;
        }).seeingNulls();
    }

    private static boolean matches(JsonNode e, Object x) {
        if (x instanceof Integer || x instanceof Long) {
            return e.isIntegralNumber() && e.asLong() == ((Number) x).longValue();
        }
        if (x instanceof Double d) {
            return e.isFloatingPointNumber() && e.asDouble() == d;
        }
        if (x instanceof String s) {
            return e.isTextual() && e.textValue().equals(s);
        }
        if (x instanceof Boolean b) {
            return e.isBoolean() && e.booleanValue() == b;
        }
        return false;
    }

    private static Fn concat() {
        return Fn.of("JSON_CONCAT", args -> {
            if (args.isEmpty()) {
                throw new FunctionException("JSON_CONCAT expects (VARCHAR, ...), got ()");
            }
            String[] params = new String[args.size()];
            java.util.Arrays.fill(params, "VARCHAR");
            Sig.check("JSON_CONCAT", args, params);
            return ScalarType.VARCHAR;
        }, (args, t) -> a -> {
            List<JsonNode> nodes = new ArrayList<>();
            boolean objects = true;
            for (Object text : a) {
                JsonNode node = parse((String) text);
                if (node == null) {
                    return null;
                }
                objects &= node.isObject();
                nodes.add(node.deepCopy());
            }
            JsonNode result = nodes.get(0);
            for (int i = 1; i < nodes.size(); i++) {
                result = objects ? ((ObjectNode) result).setAll((ObjectNode) nodes.get(i))
                        : asArray(result).addAll(asArray(nodes.get(i)));
            }
            return result.toString();
        });
    }

    private static ArrayNode asArray(JsonNode node) {
        return node.isArray() ? (ArrayNode) node : NODES.arrayNode().add(node);
    }

    private static Fn keys() {
        return Fn.of("JSON_KEYS", args -> {
            Sig.check("JSON_KEYS", args, "VARCHAR");
            return new ArrayType(ScalarType.VARCHAR);
        }, (args, t) -> a -> {
            JsonNode node = parse((String) a[0]);
            if (node == null || !node.isObject()) {
                return null;
            }
            List<Object> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return Collections.unmodifiableList(names);
        });
    }

    /** Each field's value as text: strings bare, everything else as JSON. */
    private static Fn records() {
        return Fn.of("JSON_RECORDS", args -> {
            Sig.check("JSON_RECORDS", args, "VARCHAR");
            return new MapType(ScalarType.VARCHAR, ScalarType.VARCHAR);
        }, (args, t) -> a -> {
            JsonNode node = parse((String) a[0]);
            if (node == null || !node.isObject()) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** The elements of a JSON array as JSON texts; text that is not an array fails the record. */
    private static Fn items() {
        return Fn.of("JSON_ITEMS", args -> {
            Sig.check("JSON_ITEMS", args, "VARCHAR");
            return new ArrayType(ScalarType.VARCHAR);
        }, (args, t) -> a -> {
            JsonNode node = parse((String) a[0]);
            if (node == null || !node.isArray()) {
                throw new FunctionException("JSON_ITEMS expects a JSON array, got '" + a[0] + "'");
            }
            List<Object> out = new ArrayList<>();
            node.forEach(e -> out.add(e.toString()));
            return Collections.unmodifiableList(out);
        });
    }
}
