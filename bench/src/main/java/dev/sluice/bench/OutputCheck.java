package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks that two runs wrote the same rows: keys and values parsed as JSON (a key that is not JSON is
 * compared as text), as multisets, numbers equal within a relative 1e-9 (sums of doubles may be added
 * in another order). Empty output fails: a benchmark of nothing proves nothing.
 */
public final class OutputCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-9;

    private OutputCheck() {
    }

    /** Null when the outputs match, else what differs. */
    public static String compare(List<TestRecord<byte[], byte[]>> sluice, List<TestRecord<byte[], byte[]>> hand) {
        if (sluice.isEmpty()) {
            return "Sluice wrote no rows";
        }
        if (sluice.size() != hand.size()) {
            return "Sluice wrote " + sluice.size() + " rows, hand-written " + hand.size() + firstRows(sluice, hand);
        }
        List<Parsed> a = sorted(sluice);
        List<Parsed> b = sorted(hand);
        int mismatches = 0;
        String first = null;
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i).value, b.get(i).value) || !same(a.get(i).key, b.get(i).key)) {
                mismatches++;
                if (first == null) {
                    first = "\n  sluice: " + a.get(i) + "\n  hand:   " + b.get(i);
                }
            }
        }
        return mismatches == 0 ? null : mismatches + " of " + a.size() + " rows differ, first:" + first;
    }

    private record Parsed(JsonNode key, JsonNode value, String sortKey) {
        @Override
        public String toString() {
            return "key=" + key + " value=" + value;
        }
    }

    private static List<Parsed> sorted(List<TestRecord<byte[], byte[]>> records) {
        List<Parsed> out = new ArrayList<>(records.size());
        for (TestRecord<byte[], byte[]> r : records) {
            JsonNode key = parse(r.key());
            JsonNode value = parse(r.value());
            out.add(new Parsed(key, value, canonical(value) + "|" + canonical(key)));
        }
        out.sort(Comparator.comparing(Parsed::sortKey));
        return out;
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return new TextNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** A text form for sorting: field order ignored, doubles rounded so near-equal values sort together. */
    private static String canonical(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                sb.append(name).append('=').append(canonical(n.get(name))).append(',');
            }
            return sb.append('}').toString();
        }
        if (n.isNumber()) {
            return new BigDecimal(n.asText()).round(new MathContext(8)).stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null || a.isNull() || b.isNull()) {
            return (a == null || a.isNull()) && (b == null || b.isNull());
        }
        if (a.isNumber() && b.isNumber()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return Math.abs(x - y) <= TOLERANCE * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y)));
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!b.has(f.getKey()) || !same(f.getValue(), b.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static String firstRows(List<TestRecord<byte[], byte[]>> a, List<TestRecord<byte[], byte[]>> b) {
        return "\n  sluice first: " + (a.isEmpty() ? "-" : show(a.get(0))) + "\n  hand first:   "
                + (b.isEmpty() ? "-" : show(b.get(0)));
    }

    private static String show(TestRecord<byte[], byte[]> r) {
        return "key=" + parse(r.key()) + " value=" + parse(r.value());
    }
}
