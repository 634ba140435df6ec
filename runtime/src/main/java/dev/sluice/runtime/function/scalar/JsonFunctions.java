package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;

/**
 * Semi-structured access. A JSON argument is a VARIANT or a VARCHAR holding JSON text (parsed per
 * record; text that is not JSON fails the record). A missing key or index gives SQL NULL; a JSON
 * {@code null} stays a VARIANT null for {@code ->} and VARIANT_GET (as in PostgreSQL and
 * Snowflake) and becomes SQL NULL as text.
 * <ul>
 *   <li>{@code json -> key}: VARIANT; key VARCHAR (object field) or INTEGER (0-based array index).</li>
 *   <li>{@code json ->> key}: the same as text (PostgreSQL): strings bare, other values as JSON.</li>
 *   <li>{@code VARIANT_GET(json, 'a', 'b', ...)}: Snowflake's {@code col:a:b}; a digit path
 *       part indexes an array.</li>
 *   <li>{@code JSON_VALUE(json, '$.a.b[0]')} (text), {@code JSON_QUERY} (JSON text),
 *       {@code JSON_EXISTS}, {@code PARSE_JSON} (alias TRY_PARSE_JSON returns NULL on bad
 *       text), {@code TO_JSON} (any value as JSON text; alias JSON_STRING).</li>
 * </ul>
 */
final class JsonFunctions {
    private JsonFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(arrow("->", false), arrow("->>", true), variantGet(),
                jsonPath("JSON_VALUE", ScalarType.VARCHAR), jsonPath("JSON_QUERY", ScalarType.VARCHAR),
                jsonPath("JSON_EXISTS", ScalarType.BOOLEAN), jsonPath("EXTRACTJSONFIELD", ScalarType.VARCHAR),
                parseJson(false), parseJson(true), toJson(), hasKey());
    }

    private static Fn arrow(String op, boolean asText) {
        String expected = "(VARIANT | VARCHAR json, VARCHAR key | INTEGER index)";
        return Fn.of(op, args -> {
            Args.count(op, expected, args, 2, 2);
            SqlType key = args.get(1).type();
            if (!Sig.fits("JSON", args.get(0).type()) || !(Args.isString(key) || Args.isExactInteger(key))) {
                throw Args.mismatch(op, expected, args);
            }
            return asText ? ScalarType.VARCHAR : ScalarType.VARIANT;
        }, (args, type) -> asText
                ? a -> JsonValues.text(JsonValues.step(JsonValues.asNode(a[0]), a[1]))
                : a -> JsonValues.step(JsonValues.asNode(a[0]), a[1]));
    }

    /**
     * PostgreSQL's {@code json ? key} (written {@code JSONB_EXISTS(json, key)} too): TRUE when the
     * object has the key at its top level, or the array holds that string; NULL for a NULL document.
     */
    private static Fn hasKey() {
        String expected = "(VARIANT | VARCHAR json, VARCHAR key)";
        return Fn.of("JSONB_EXISTS", args -> {
            Args.count("JSONB_EXISTS", expected, args, 2, 2);
            if (!Sig.fits("JSON", args.get(0).type()) || !Args.isString(args.get(1).type())) {
                throw Args.mismatch("JSONB_EXISTS", expected, args);
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> a -> {
            JsonNode node = JsonValues.asNode(a[0]);
            if (node == null || a[1] == null) {
                return null;
            }
            String key = a[1].toString();
            if (node.isObject()) {
                return node.has(key);
            }
            if (node.isArray()) {
                for (JsonNode e : node) {
                    if (e.isTextual() && e.asText().equals(key)) {
                        return true;
                    }
                }
            }
            return node.isTextual() && node.asText().equals(key);
        });
    }

    private static Fn variantGet() {
        String expected = "(VARIANT | VARCHAR json, constant VARCHAR path part, ...)";
        return Fn.of("VARIANT_GET", args -> {
            Args.count("VARIANT_GET", expected, args, 2, Integer.MAX_VALUE);
            if (!Sig.fits("JSON", args.get(0).type())) {
                throw Args.mismatch("VARIANT_GET", expected, args);
            }
            path(args);
            return ScalarType.VARIANT;
        }, (args, type) -> {
            Object[] path = path(args);
            return a -> {
                JsonNode node = JsonValues.asNode(a[0]);
                for (int i = 0; i < path.length && node != null; i++) {
                    node = JsonValues.step(node, path[i]);
                }
                return node;
            };
        });
    }

    private static Object[] path(List<Expr> args) {
        Object[] path = new Object[args.size() - 1];
        for (int i = 1; i < args.size(); i++) {
            Expr e = args.get(i);
            if (Args.isConstant(e) && Args.isExactInteger(e.type()) && Args.constantValue(e) != null) {
                path[i - 1] = Numbers.toLong(Args.constantValue(e));
            } else {
                path[i - 1] = Args.constantString("VARIANT_GET", args, i, "path part");
            }
        }
        return path;
    }

    /** A JSONPath subset: {@code $}, {@code .name}, {@code ['name']}, {@code [index]}. */
    static Object[] parsePath(String function, String path) {
        String p = path.trim();
        if (!p.startsWith("$")) {
            throw new FunctionException(function + " path must start with '$', got '" + path + "'");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    throw new FunctionException(function + " path '" + path + "' has an empty field name");
                }
                steps.add(p.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (end < 0) {
                    throw new FunctionException(function + " path '" + path + "' has an unclosed '['");
                }
                String inner = p.substring(i + 1, end).trim();
                if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
                        || inner.startsWith("\"") && inner.endsWith("\""))) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else {
                    try {
                        steps.add(Long.parseLong(inner));
                    } catch (NumberFormatException e) {
                        throw new FunctionException(function + " path '" + path + "' has an invalid index [" + inner + "]");
                    }
                }
                i = end + 1;
            } else {
                throw new FunctionException(function + " path '" + path + "' is not a supported JSONPath "
                        + "(use $.field, $['field'] and $[index])");
            }
        }
        return steps.toArray();
    }

    private static Fn jsonPath(String name, SqlType result) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "JSON", "VARCHAR");
            parsePath(name, Args.constantString(name, args, 1, "JSONPath"));
            return result;
        }, (args, type) -> {
            Object[] path = parsePath(name, Args.constantString(name, args, 1, "JSONPath"));
            boolean exactNumbers = name.equals("EXTRACTJSONFIELD"); // ksqlDB gives a number's text as written
            return a -> {
                JsonNode node = exactNumbers && a[0] instanceof String text ? JsonValues.parseExact(text)
                        : JsonValues.asNode(a[0]);
                for (int i = 0; i < path.length && node != null; i++) {
                    node = JsonValues.step(node, path[i]);
                }
                return switch (name) {
                    case "JSON_EXISTS" -> node != null;
                    // JSON_VALUE returns scalars only, JSON_QUERY containers only (SQL:2016).
                    case "JSON_VALUE" -> node == null || node.isContainerNode() ? null : JsonValues.text(node);
                    // ksqlDB's EXTRACTJSONFIELD: a scalar as text, an object or array as JSON text.
                    case "EXTRACTJSONFIELD" -> node == null || node.isNull() ? null
                            : node.isContainerNode() ? node.toString() : JsonValues.text(node);
                    default -> node == null || !node.isContainerNode() ? null : node.toString();
                };
            };
        });
    }

    private static Fn parseJson(boolean lenient) {
        String name = lenient ? "TRY_PARSE_JSON" : "PARSE_JSON";
        return Fn.of(name, args -> {
            Sig.check(name, args, "VARCHAR");
            return ScalarType.VARIANT;
        }, (args, type) -> a -> {
            try {
                return JsonValues.parse((String) a[0]);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    return null;
                }
                throw e;
            }
        });
    }

    private static Fn toJson() {
        return Fn.of("TO_JSON", args -> {
            Args.count("TO_JSON", "one value", args, 1, 1);
            return ScalarType.VARCHAR;
        }, (args, type) -> {
            SqlType t = args.get(0).type();
            return a -> {
                try {
                    return JsonValues.MAPPER.writeValueAsString(JsonValues.toNode(a[0], t));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("cannot write " + t.sql() + " as JSON: " + e.getOriginalMessage());
                }
            };
        }).withAliases("JSON_STRING");
    }
}
