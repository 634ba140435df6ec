package dev.sluice.topologies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compares result rows as multisets (streams from several keys interleave in no guaranteed order),
 * with the tolerance the oracle's compare tool uses: numbers by value (1e-9 relative, so DECIMAL
 * 3.50 equals DOUBLE 3.5), timestamps by instant whatever their spelling.
 */
final class RowMatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?Z?");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSSSSSSSS][.SSSSSS][.SSS][.SS][.S]");

    private RowMatcher() {
    }

    static List<ObjectNode> parse(List<String> lines) {
        List<ObjectNode> rows = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                try {
                    rows.add((ObjectNode) JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("bad expected row: " + line, e);
                }
            }
        }
        return rows;
    }

    /** Empty when equal; otherwise a readable list of missing and unexpected rows. */
    static String diff(List<ObjectNode> expected, List<ObjectNode> actual) {
        List<ObjectNode> unmatched = new ArrayList<>(actual);
        List<ObjectNode> missing = new ArrayList<>();
        for (ObjectNode e : expected) {
            Iterator<ObjectNode> it = unmatched.iterator();
            boolean found = false;
            while (it.hasNext()) {
                if (rowEquals(e, it.next())) {
                    it.remove();
                    found = true;
                    break;
                }
            }
            if (!found) {
                missing.add(e);
            }
        }
        if (missing.isEmpty() && unmatched.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("expected " + expected.size() + " rows, got " + actual.size() + "\n");
        missing.forEach(m -> sb.append("  missing:    ").append(m).append('\n'));
        unmatched.forEach(u -> sb.append("  unexpected: ").append(u).append('\n'));
        return sb.toString();
    }

    /**
     * Empty when {@code actual} is {@code expected} in the same order (a changelog: each change in
     * its place); otherwise the first position where they part and both lists from there.
     */
    static String orderedDiff(List<ObjectNode> expected, List<ObjectNode> actual) {
        int n = Math.min(expected.size(), actual.size());
        int at = 0;
        while (at < n && rowEquals(expected.get(at), actual.get(at))) {
            at++;
        }
        if (at == n && expected.size() == actual.size()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("expected " + expected.size() + " changes, got " + actual.size()
                + "; they differ from change " + (at + 1) + "\n");
        expected.subList(at, Math.min(expected.size(), at + 8)).forEach(e -> sb.append("  expected: ").append(e).append('\n'));
        actual.subList(at, Math.min(actual.size(), at + 8)).forEach(a -> sb.append("  actual:   ").append(a).append('\n'));
        return sb.toString();
    }

    /**
     * As {@link #orderedDiff}, per key: the changes of each key (the first non-NULL value among
     * {@code keyColumns}) in the same order, and the same keys; changes of different keys may interleave.
     */
    static String orderedDiffPerKey(List<ObjectNode> expected, List<ObjectNode> actual, List<String> keyColumns) {
        Map<String, List<ObjectNode>> e = byKey(expected, keyColumns);
        Map<String, List<ObjectNode>> a = byKey(actual, keyColumns);
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(e.keySet());
        keys.addAll(a.keySet());
        for (String key : keys) {
            String diff = orderedDiff(e.getOrDefault(key, List.of()), a.getOrDefault(key, List.of()));
            if (!diff.isEmpty()) {
                sb.append("key ").append(key).append(": ").append(diff);
            }
        }
        return sb.toString();
    }

    private static Map<String, List<ObjectNode>> byKey(List<ObjectNode> changes, List<String> keyColumns) {
        Map<String, List<ObjectNode>> out = new java.util.LinkedHashMap<>();
        for (ObjectNode c : changes) {
            String key = "null";
            for (String column : keyColumns) {
                JsonNode v = c.get(column);
                if (v != null && !v.isNull()) {
                    key = v.asText();
                    break;
                }
            }
            out.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(c);
        }
        return out;
    }

    static boolean rowEquals(ObjectNode expected, ObjectNode actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!actual.has(f.getKey()) || !valueEquals(f.getValue(), actual.get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean valueEquals(JsonNode e, JsonNode a) {
        if (e.isObject() && e.has("approx_between") && a.isNumber()) {
            // an approximate aggregate (APPROX_PERCENTILE): any value within the documented error band
            double v = a.asDouble();
            return v >= e.get("approx_between").get(0).asDouble() && v <= e.get("approx_between").get(1).asDouble();
        }
        if (e.isNull() || a.isNull()) {
            return e.isNull() && a.isNull();
        }
        if (e.isNumber() && a.isNumber()) {
            return numbersEqual(e.decimalValue(), a.decimalValue());
        }
        if (e.isTextual() && a.isTextual()) {
            String x = e.asText();
            String y = a.asText();
            if (TIMESTAMP.matcher(x).matches() && TIMESTAMP.matcher(y).matches()) {
                return instant(x) == instant(y);
            }
            return x.equals(y);
        }
        if (e.isArray() && a.isArray() && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                if (!valueEquals(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return e.equals(a);
    }

    private static boolean numbersEqual(BigDecimal x, BigDecimal y) {
        if (x.compareTo(y) == 0) {
            return true;
        }
        BigDecimal diff = x.subtract(y).abs();
        BigDecimal scale = x.abs().max(y.abs());
        return diff.compareTo(scale.multiply(new BigDecimal("1e-9"))) <= 0;
    }

    static long instant(String text) {
        String t = text.replace('T', ' ');
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
