package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.replay.OutputRecord;

import java.util.Iterator;
import java.util.Map;

/**
 * Compares one expected QTT output record with an actual one: key and value always, timestamp and
 * window when the expected record gives them. Numbers compare by value (1 equals 1.0), as JSON has
 * one number type; a DECIMAL expected as text compares with its scale; everything else compares
 * exactly, field names included.
 */
final class JsonMatch {
    private JsonMatch() {
    }

    /** Null when they match, else what differs. */
    static String difference(JsonNode expected, OutputRecord actual) {
        JsonNode key = expected.get("key");
        if (!same(key == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : key, actual.keyJson())) {
            return "key differs";
        }
        if (!same(expected.get("value"), actual.valueJson())) {
            return "value differs";
        }
        if (expected.has("timestamp") && expected.get("timestamp").asLong() != actual.timestamp()) {
            return "timestamp differs";
        }
        if (expected.has("window")) {
            JsonNode w = expected.get("window");
            if (actual.window().isEmpty()) {
                return "no window in the key";
            }
            if (w.path("start").asLong() != actual.window().get().start()
                    || w.path("end").asLong() != actual.window().get().end()) {
                return "window differs";
            }
        }
        return null;
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || a.isNull()) {
            return b == null || b.isNull();
        }
        if (b == null || b.isNull()) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            if (a.isFloat() || a.isDouble() || b.isFloat() || b.isDouble()) {
                // a DOUBLE column: ksqlDB's runner reads the expected number as the column's double
                return a.doubleValue() == b.doubleValue();
            }
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!same(e.getValue(), field(b, e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isTextual() && b.isBigDecimal()) {
            return sameDecimal(a.asText(), b.decimalValue());
        }
        if (a.isTextual() && b.isNumber() || a.isNumber() && b.isTextual()) {
            return false;
        }
        return a.equals(b);
    }

    /**
     * An expected DECIMAL given as text ("3.40") matches only a value of that scale, as in ksqlDB's
     * runner, which compares the text's BigDecimal with the value read at the column's scale.
     */
    private static boolean sameDecimal(String expected, java.math.BigDecimal actual) {
        try {
            return new java.math.BigDecimal(expected).equals(actual);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A field by exact name, else ignoring case: ksqlDB's runner reads an expected JSON value
     * through the sink's deserializer, which matches field names ignoring case (so an expected
     * {@code "json_v"} matches the column {@code JSON_V}).
     */
    private static JsonNode field(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
