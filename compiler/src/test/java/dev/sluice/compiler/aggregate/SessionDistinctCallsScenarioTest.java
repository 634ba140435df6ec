package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.sluice.compiler.aggregate.SessionModel.GAP;
import static dev.sluice.compiler.aggregate.SessionModel.GRACE;
import static dev.sluice.compiler.aggregate.SessionModel.id;
import static dev.sluice.compiler.aggregate.ScenarioSettings.json;
import static dev.sluice.compiler.aggregate.ScenarioSettings.deadLettering;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SESSION windows keep COUNT_DISTINCT and ATTR, and TOPK(DISTINCT), per session in
 * {@code <step>-values-store} ({@code SessionCollections}), and MIN, MAX, COUNT_IF, BOOL_AND,
 * BOOL_OR, COUNT(DISTINCT) and (since state format 17) STDDEV_POP(DISTINCT) in
 * {@code <step>-distinct-store} ({@code SessionDistinctValues}). Random records of three keys with disorder of
 * up to several gaps (out-of-order records bridge sessions that share values, some are late and
 * dead-lettered), few distinct values, NULLs and FILTERs, checked after every record against a
 * model of the sessions computed here: every session's row (EMIT CHANGES: the table the ordered
 * changelog builds, cache off and on; EMIT FINAL: each row when it comes out) equals the functions'
 * set definitions over the session's rows. Expired sessions must leave nothing in either store.
 */
class SessionDistinctCallsScenarioTest {
    private static final long BASE = 3_600_000;
    private static final String SQL = "CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE %s t AS SELECT k, SESSION_START(ts, INTERVAL '1' MINUTE) AS ss, "
            + "COUNT_DISTINCT(v) AS cd, ATTR(v) AS attr_v, ATTR(d) FILTER (WHERE v > 4) AS attr_f, "
            + "COUNT_DISTINCT(d) FILTER (WHERE v > 4) AS cd_f, TOPK(DISTINCT v, 3) AS top_d, "
            + "MIN(DISTINCT d) AS min_d, MAX(DISTINCT v) FILTER (WHERE d > 1) AS max_f, "
            + "COUNT_IF(DISTINCT v > 5) AS ci, BOOL_OR(DISTINCT v > 8) AS bo, BOOL_AND(DISTINCT d < 2) AS ba, "
            + "COUNT(DISTINCT v) AS kinds, SUM(DISTINCT v) FILTER (WHERE d > 1) AS total, AVG(DISTINCT v) AS mean, "
            + "STDDEV_POP(DISTINCT d) AS sd, COUNT(*) AS n "
            + "FROM s GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT %s";

    /** A row of the input: either value may be NULL. */
    private record In(Long v, Double d) {
    }

    /** ksqlDB's ATTR: the one value every row has (NULL included), else NULL. */
    private static Object attr(List<In> rows, Function<In, Object> f) {
        List<Object> distinct = rows.stream().map(f).distinct().toList();
        return distinct.size() == 1 ? distinct.get(0) : null;
    }

    /** The distinct non-NULL truth values of {@code test} over the rows' values. */
    private static List<Boolean> truths(List<In> rows, Function<In, Object> f, Predicate<Object> test) {
        return rows.stream().map(f).filter(Objects::nonNull).map(test::test).distinct().toList();
    }

    private static Map<String, Object> expected(List<In> rows) {
        Map<String, Object> out = new TreeMap<>();
        List<In> bigV = rows.stream().filter(r -> r.v() != null && r.v() > 4).toList();
        out.put("cd", rows.stream().map(In::v).filter(Objects::nonNull).distinct().count());
        out.put("attr_v", attr(rows, In::v) == null ? null : String.valueOf(attr(rows, In::v)));
        out.put("attr_f", attr(bigV, In::d) == null ? null : String.valueOf(attr(bigV, In::d)));
        out.put("cd_f", bigV.stream().map(In::d).filter(Objects::nonNull).distinct().count());
        List<String> top = rows.stream().map(In::v).filter(Objects::nonNull).distinct()
                .sorted(Comparator.reverseOrder()).limit(3).map(String::valueOf).toList();
        out.put("top_d", top.isEmpty() ? null : top);
        out.put("min_d", rows.stream().map(In::d).filter(Objects::nonNull).min(Double::compare)
                .map(String::valueOf).orElse(null));
        out.put("max_f", rows.stream().filter(r -> r.d() != null && r.d() > 1).map(In::v).filter(Objects::nonNull)
                .max(Long::compare).map(String::valueOf).orElse(null));
        out.put("ci", truths(rows, In::v, v -> (Long) v > 5).stream().filter(b -> b).count());
        List<Boolean> bo = truths(rows, In::v, v -> (Long) v > 8);
        out.put("bo", bo.isEmpty() ? null : String.valueOf(bo.contains(true)));
        List<Boolean> ba = truths(rows, In::d, d -> (Double) d < 2);
        out.put("ba", ba.isEmpty() ? null : String.valueOf(!ba.contains(false)));
        out.put("kinds", rows.stream().map(In::v).filter(Objects::nonNull).distinct().count());
        List<Long> sumOf = rows.stream().filter(r -> r.d() != null && r.d() > 1).map(In::v).filter(Objects::nonNull)
                .distinct().toList();
        out.put("total", sumOf.isEmpty() ? null : String.valueOf(sumOf.stream().mapToLong(Long::longValue).sum()));
        List<Long> vs = rows.stream().map(In::v).filter(Objects::nonNull).distinct().toList();
        out.put("mean", vs.isEmpty() ? null : String.valueOf((double) vs.stream().mapToLong(Long::longValue).sum() / vs.size()));
        List<Double> ds = rows.stream().map(In::d).filter(Objects::nonNull).distinct().toList();
        double mean = ds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        out.put("sd", ds.isEmpty() ? null
                : String.format("%.9f", Math.sqrt(ds.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / ds.size())));
        out.put("n", (long) rows.size());
        return out;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isIntegralNumber() ? String.valueOf(node.asLong()) : node.isNumber() ? String.valueOf(node.asDouble())
                : node.asText();
    }

    private static Map<String, Object> actual(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        for (String f : List.of("cd", "cd_f", "ci", "kinds", "n")) {
            out.put(f, row.get(f).asLong());
        }
        for (String f : List.of("attr_v", "attr_f", "min_d", "max_f", "bo", "ba", "total", "mean")) {
            out.put(f, text(row.get(f)));
        }
        List<String> top = new ArrayList<>();
        row.get("top_d").forEach(e -> top.add(text(e)));
        out.put("top_d", row.get("top_d").isNull() ? null : top);
        out.put("sd", row.get("sd").isNull() ? null : String.format("%.9f", row.get("sd").asDouble()));
        return out;
    }

    /** Few values, sometimes NULL, so that sessions share values and ATTR often has one. */
    private static String num(Random r, int bound, boolean decimal) {
        if (r.nextInt(8) == 0) {
            return "null";
        }
        return decimal ? String.valueOf(r.nextInt(bound) / 2.0) : String.valueOf(r.nextInt(bound));
    }

    private static String store(ChangelogDriver d, String suffix) {
        return d.stores().stream().filter(s -> s.endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + suffix + " in " + d.stores()));
    }

    /**
     * 200 records of keys a, b, c every 5 s with up to 5 min 20 s (five gaps) of disorder, then a
     * record of key z an hour later, which closes and expires every other session.
     */
    private static void run(ChangelogDriver d, long seed, java.util.function.BiConsumer<SessionModel<In>, List<String>> check) {
        Random random = new Random(seed);
        SessionModel<In> model = new SessionModel<>();
        int late = 0;
        int merges = 0;
        for (int i = 0; i < 200; i++) {
            long ts = BASE + i * 5_000L - random.nextInt(320) * 1_000L;
            String k = List.of("a", "b", "c").get(random.nextInt(3));
            // a session's first rows are often alike, so that ATTR has one value and then loses it
            String v = num(random, i % 40 < 10 ? 2 : 12, false);
            String dv = num(random, 8, true);
            d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + ts + "}", ts);
            int before = model.sessions.getOrDefault(k, List.of()).size();
            SessionModel.Session<In> s = model.add(k, ts, new In(v.equals("null") ? null : Long.valueOf(v),
                    dv.equals("null") ? null : Double.valueOf(dv)));
            late += s == null ? 1 : 0;
            merges += s != null && model.sessions.get(k).size() < before ? 1 : 0;
            check.accept(model, d.read());
        }
        long far = model.streamTime + 3_600_000;
        d.pipe("s", "{\"k\":\"z\",\"v\":7,\"d\":1.5,\"ts\":" + far + "}", far);
        model.add("z", far, new In(7L, 1.5));
        check.accept(model, d.read());
        assertTrue(late > 5 && merges > 10, "the input should have late records (" + late + ") and merges (" + merges + ")");
        // z's one session: COUNT_DISTINCT(v), ATTR(v), ATTR(d) and COUNT_DISTINCT(d) FILTER: a value
        // and a note each; TOPK(DISTINCT v): a value; the session's entry
        assertEquals(10, d.entries(store(d, "-values-store")), "expired sessions leave nothing in the values store");
        // z's value of MIN(d), MAX(v) FILTER, COUNT_IF, BOOL_OR, BOOL_AND, COUNT(DISTINCT v), SUM(DISTINCT v)
        // FILTER, AVG(DISTINCT v), STDDEV_POP(DISTINCT d): two index entries each
        assertEquals(18, d.entries(store(d, "-distinct-store")), "expired sessions leave nothing in the distinct store");
    }

    private static void emitChanges(boolean cache) {
        Map<String, JsonNode> table = new TreeMap<>();
        Map<SessionModel.Session<In>, Map<String, Object>> computed = new java.util.IdentityHashMap<>();
        Map<JsonNode, Map<String, Object>> parsed = new java.util.IdentityHashMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "TABLE", "CHANGES"), deadLettering(cache))) {
            run(d, 17, (model, records) -> {
                for (String record : records) {
                    JsonNode key = json(record.substring(0, record.indexOf(" -> ")));
                    JsonNode value = json(record.substring(record.indexOf(" -> ") + 4, record.lastIndexOf(" @")));
                    String id = id(key.get("k").asText(), java.time.Instant.parse(key.get("window_start").asText())
                            .toEpochMilli());
                    if (value == null) {
                        table.remove(id);
                    } else {
                        table.put(id, value);
                    }
                }
                Map<String, Map<String, Object>> expected = new TreeMap<>();
                Map<String, Map<String, Object>> actual = new TreeMap<>();
                // a model session never changes once made (a record makes a new one), so its row is computed once
                model.sessions.forEach((k, list) -> list.forEach(s -> expected.put(id(k, s.start),
                        computed.computeIfAbsent(s, x -> expected(x.rows)))));
                table.forEach((id, row) -> actual.put(id, parsed.computeIfAbsent(row, SessionDistinctCallsScenarioTest::actual)));
                // one comparison of every session's row (a message built only on failure)
                assertEquals(expected, actual, () -> "sessions after " + records);
            });
        }
    }

    @Test
    void emitChangesGivesEverySessionsSetResultsAfterEachRecordThroughMergesOfSessionsSharingValues() {
        emitChanges(false);
    }

    @Test
    void emitChangesWithTheRecordCacheOnGivesTheSameRows() {
        emitChanges(true);
    }

    @Test
    void emitFinalEmitsEachSessionWithItsSetResultsWhenDue() {
        Map<String, Map<String, Object>> emitted = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "STREAM", "FINAL"), deadLettering(true))) {
            java.util.concurrent.atomic.AtomicReference<SessionModel<In>> last = new java.util.concurrent.atomic.AtomicReference<>();
            run(d, 23, (m, records) -> {
                last.set(m);
                for (String record : records) {
                    JsonNode row = json(record.substring(record.indexOf(" -> ") + 4, record.lastIndexOf(" @")));
                    String k = row.get("k").asText();
                    long start = java.time.Instant.parse(row.get("ss").asText()).toEpochMilli();
                    SessionModel.Session<In> s = m.sessions.get(k).stream().filter(x -> x.start == start).findFirst()
                            .orElseThrow(() -> new AssertionError("no session " + id(k, start) + " for " + record));
                    assertTrue(s.end + GAP + GRACE <= m.streamTime, "emitted before due: " + record);
                    assertEquals(expected(s.rows), actual(row), record);
                    emitted.put(id(k, start), actual(row));
                }
            });
            last.get().sessions.forEach((k, list) -> list.stream().filter(x -> !k.equals("z"))
                    .forEach(x -> assertEquals(expected(x.rows), emitted.get(id(k, x.start)), id(k, x.start))));
        }
    }
}
