package dev.sluice.topologies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What one query wrote to its sink topic, decoded: for a table, each key's values in the order they
 * were written (null for a tombstone); for a stream, its rows. Doubles are rounded to 10 significant
 * digits: a sum or average over the same rows in another order of additions and retractions (the
 * record cache folds updates of an upstream table, so a downstream aggregate sees fewer retractions)
 * differs in the last bits, 3.05 against 3.049999999999998, and nothing else. Columns of an
 * approximate aggregate (APPROX_PERCENTILE: a KLL sketch whose compaction flips random coins, so two
 * replays of one input can differ) are compared by presence only; the case's expected rows bound
 * them ({@code approx_between}) in {@link PipelinesTest}.
 */
final class SinkChangelog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MathContext DIGITS = new MathContext(10);

    private final CompiledQuery query;
    private final Deserializer<Row> keys;
    private final Deserializer<Row> values;
    private final Serializer<Row> keyJson;
    private final Serializer<Row> valueJson;
    private final String topic;
    /** Table: key → values in order (null = tombstone). Stream: one entry per row, keyed by position. */
    private final Map<String, List<String>> byKey = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    private final java.util.Set<String> approximate;

    SinkChangelog(CompiledQuery query, java.util.Set<String> approximate) {
        this.query = query;
        this.approximate = approximate;
        FormatSpec format = query.plan().sink().orElseThrow();
        this.topic = format.topic();
        FormatSerdeFactory serdes = new FormatSerdeFactory();
        this.keys = serdes.key(query.keySchema(), format).deserializer();
        this.values = serdes.value(query.schema(), format).deserializer();
        FormatOptions json = new FormatOptions(topic, Map.of("format", "json"));
        this.keyJson = query.keySchema().size() == 0 ? null : Formats.valueSerde(query.keySchema(), json).serializer();
        this.valueJson = Formats.valueSerde(query.schema(), json).serializer();
    }

    String topic() {
        return topic;
    }

    /** A stream's first {@code n} rows (a streaming LIMIT passes those and ends). */
    SinkChangelog limitedTo(long n) {
        SinkChangelog out = new SinkChangelog(query, approximate);
        out.rows.addAll(rows.subList(0, (int) Math.min(n, rows.size())));
        return out;
    }

    void add(byte[] key, byte[] value) {
        String v = value == null ? null : canonical(valueJson.serialize(topic, values.deserialize(topic, value)), approximate);
        if (!query.table()) {
            if (v != null) {
                rows.add(v);
            }
            return;
        }
        String k = keyJson == null || key == null ? "" : canonical(keyJson.serialize(topic, keys.deserialize(topic, key)), java.util.Set.of());
        byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    /**
     * Null when {@code run} (a run on a broker with the record cache on) is what this replay allows,
     * else what differs. A stream's rows must be the same multiset. A table must end with the same
     * row for every key, and each key's updates on the broker must be a subsequence of replay's, in
     * replay's order: the cache may fold consecutive updates of a key into the last one, never
     * reorder them or invent a value.
     */
    String differences(SinkChangelog run, boolean ordered) {
        if (!query.table() && retractingChangeRecords()) {
            // A changelog written to a stream (+I, -U/+U, -D): the record cache folds a table's updates
            // before they become records, so the broker writes fewer changes than replay; what both
            // must agree on is the table the changes describe.
            List<String> expected = applied(rows);
            List<String> actual = applied(run.rows);
            List<String> missing = new ArrayList<>(expected);
            actual.forEach(missing::remove);
            List<String> extra = new ArrayList<>(actual);
            expected.forEach(extra::remove);
            return missing.isEmpty() && extra.isEmpty() ? null
                    : query.id() + ": the changes describe " + actual.size() + " rows, replay's " + expected.size()
                    + "; missing " + head(missing) + "; extra " + head(extra);
        }
        if (!query.table()) {
            List<String> missing = new ArrayList<>(rows);
            run.rows.forEach(missing::remove);
            List<String> extra = new ArrayList<>(run.rows);
            rows.forEach(extra::remove);
            return missing.isEmpty() && extra.isEmpty() ? null
                    : query.id() + ": " + run.rows.size() + " rows, replay " + rows.size() + "; missing " + head(missing)
                    + "; extra " + head(extra);
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> expected = finals();
        Map<String, String> actual = run.finals();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                problems.add("key " + k + " ends with " + actual.get(k) + ", replay " + v);
            }
        });
        actual.forEach((k, v) -> {
            if (!expected.containsKey(k)) {
                problems.add("key " + k + " ends with " + v + ", replay has no row");
            }
        });
        if (ordered) {
            run.byKey.forEach((k, updates) -> {
                List<String> allowed = byKey.getOrDefault(k, List.of());
                if (!subsequence(updates, allowed)) {
                    problems.add("key " + k + ": updates " + updates + " are not replay's " + allowed + " in order");
                }
            });
        }
        return problems.isEmpty() ? null : query.id() + ": " + head(problems);
    }

    private boolean retractingChangeRecords() {
        return query.plan().changeRecords() && query.plan().changeForm() == dev.sluice.runtime.plan.QueryPlan.ChangeForm.RETRACT;
    }

    /** The rows a retracting changelog leaves: +I and +U add their row, -U and -D take theirs back. */
    private static List<String> applied(List<String> changes) {
        List<String> table = new ArrayList<>();
        for (String change : changes) {
            try {
                ObjectNode row = (ObjectNode) JSON.readTree(change);
                String op = row.path("op").asText();
                row.remove("op");
                String plain = JSON.writeValueAsString(row);
                if (op.equals("+I") || op.equals("+U")) {
                    table.add(plain);
                } else if (!table.remove(plain)) {
                    table.add("(" + op + " of a row not there) " + plain);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return table;
    }

    /** Each key's last value, deleted keys left out. */
    private Map<String, String> finals() {
        Map<String, String> out = new LinkedHashMap<>();
        byKey.forEach((k, updates) -> {
            String last = updates.get(updates.size() - 1);
            if (last != null) {
                out.put(k, last);
            }
        });
        return out;
    }

    private static boolean subsequence(List<String> part, List<String> whole) {
        Iterator<String> it = whole.iterator();
        for (String p : part) {
            boolean found = false;
            while (it.hasNext()) {
                if (java.util.Objects.equals(it.next(), p)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static String canonical(byte[] json, java.util.Set<String> approximate) {
        try {
            JsonNode node = round(JSON.readTree(json));
            if (node instanceof ObjectNode o) {
                for (String column : approximate) {
                    if (o.has(column) && !o.get(column).isNull()) {
                        o.put(column, "(approximate)");
                    }
                }
            }
            return node.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode round(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, round(o.get(name)));
            }
            return o;
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, round(a.get(i)));
            }
            return a;
        }
        if (node.isFloatingPointNumber()) {
            return JSON.getNodeFactory().numberNode(new BigDecimal(node.asText()).round(DIGITS).stripTrailingZeros());
        }
        return node;
    }

    private static String head(List<String> items) {
        return items.size() <= 3 ? items.toString() : items.subList(0, 3) + " and " + (items.size() - 3) + " more";
    }
}
