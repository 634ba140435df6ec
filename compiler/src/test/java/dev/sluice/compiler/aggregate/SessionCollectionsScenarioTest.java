package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.runtime.function.aggregate.PercentileRank;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static dev.sluice.compiler.aggregate.SessionModel.GAP;
import static dev.sluice.compiler.aggregate.SessionModel.GRACE;
import static dev.sluice.compiler.aggregate.SessionModel.id;
import static dev.sluice.compiler.aggregate.ScenarioSettings.json;
import static dev.sluice.compiler.aggregate.ScenarioSettings.deadLettering;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SESSION windows keep PERCENTILE_CONT/DISC, TOPK/TOPKDISTINCT and ARRAY_AGG (with FILTER) per
 * session in {@code <step>-values-store} ({@code SessionCollections}), moving the smaller sessions'
 * entries into the largest when a record bridges them. Random input with disorder (out-of-order
 * records fill gaps and merge sessions, some records are late) is checked after every record
 * against a model of the sessions computed here: every session's row (EMIT CHANGES: the table after
 * each record; EMIT FINAL: each row when it comes out, once) equals the functions' definitions over
 * the session's rows, its arrays in the order the state merger gave (the merged sessions' arrays in
 * start order, then the record). Expired sessions must leave nothing in the store.
 */
class SessionCollectionsScenarioTest {
    private static final long BASE = 3_600_000;
    private static final String SQL = "CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE %s t AS SELECT k, SESSION_START(ts, INTERVAL '1' MINUTE) AS ss, "
            + "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v) AS med, "
            + "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY d) AS p95, "
            + "PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY v) AS p90, "
            + "TOPK(v, 3) AS top3, TOPKDISTINCT(d, 2) AS top2, ARRAY_AGG(v) AS vs, "
            + "ARRAY_AGG(d) FILTER (WHERE v > 4) AS ds, COUNT(*) AS n, COUNT(DISTINCT v) AS kinds "
            + "FROM s GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT %s";

    private static Map<String, Object> expected(List<Object[]> rows) {
        List<Long> v = rows.stream().map(r -> (Long) r[0]).filter(Objects::nonNull).sorted().toList();
        List<Double> d = rows.stream().map(r -> (Double) r[1]).filter(Objects::nonNull).sorted().toList();
        Map<String, Object> out = new TreeMap<>();
        out.put("med", v.isEmpty() ? null : PercentileRank.result(new BigDecimal("0.5"), true, v.size(), i -> v.get((int) i)));
        out.put("p95", d.isEmpty() ? null : PercentileRank.result(new BigDecimal("0.95"), true, d.size(), i -> d.get((int) i)));
        out.put("p90", v.isEmpty() ? null : PercentileRank.result(new BigDecimal("0.9"), false, v.size(), i -> v.get((int) i)));
        List<String> top3 = v.stream().sorted(Comparator.reverseOrder()).limit(3).map(Object::toString).toList();
        out.put("top3", top3.isEmpty() ? null : top3);
        List<String> top2 = d.stream().distinct().sorted(Comparator.reverseOrder()).limit(2).map(Object::toString).toList();
        out.put("top2", top2.isEmpty() ? null : top2);
        out.put("vs", rows.stream().map(r -> String.valueOf(r[0])).toList());
        List<String> ds = rows.stream().filter(r -> r[0] != null && (Long) r[0] > 4).map(r -> String.valueOf(r[1])).toList();
        out.put("ds", ds.isEmpty() ? null : ds);
        out.put("n", (long) rows.size());
        out.put("kinds", v.stream().distinct().count());
        return out;
    }

    private static Map<String, Object> actual(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        out.put("med", row.get("med").isNull() ? null : row.get("med").asDouble());
        out.put("p95", row.get("p95").isNull() ? null : row.get("p95").asDouble());
        out.put("p90", row.get("p90").isNull() ? null : row.get("p90").asLong());
        for (String f : List.of("top3", "top2", "vs", "ds")) {
            List<String> list = new ArrayList<>();
            row.get(f).forEach(e -> list.add(e.isNull() ? "null" : e.isIntegralNumber() ? String.valueOf(e.asLong())
                    : String.valueOf(e.asDouble())));
            out.put(f, row.get(f).isNull() ? null : list);
        }
        out.put("n", row.get("n").asLong());
        out.put("kinds", row.get("kinds").asLong());
        return out;
    }

    private static String num(Random r, int bound, boolean decimal) {
        if (r.nextInt(10) == 0) {
            return "null";
        }
        return decimal ? String.valueOf(r.nextInt(bound) / 4.0) : String.valueOf(r.nextInt(bound));
    }

    /**
     * Feeds 300 records of keys a, b, c every 5 s with up to 5 min 20 s of disorder, then a record
     * of key z an hour later, which closes and expires every session of a, b and c; after each
     * record {@code check} sees the model and the records emitted for it.
     */
    private static SessionModel<Object[]> run(ChangelogDriver d, long seed, java.util.function.BiConsumer<SessionModel<Object[]>, List<String>> check) {
        Random random = new Random(seed);
        SessionModel<Object[]> model = new SessionModel<>();
        int late = 0;
        int merges = 0;
        for (int i = 0; i < 300; i++) {
            long ts = BASE + i * 5_000L - random.nextInt(320) * 1_000L;
            String k = List.of("a", "b", "c").get(random.nextInt(3));
            String v = num(random, 10, false);
            String dv = num(random, 10, true);
            d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + ts + "}", ts);
            int before = model.sessions.getOrDefault(k, List.of()).size();
            SessionModel.Session<Object[]> s = model.add(k, ts,
                    new Object[] {v.equals("null") ? null : Long.valueOf(v), dv.equals("null") ? null : Double.valueOf(dv)});
            late += s == null ? 1 : 0;
            merges += s != null && model.sessions.get(k).size() < before ? 1 : 0;
            check.accept(model, d.read());
        }
        long far = model.streamTime + 3_600_000;
        d.pipe("s", "{\"k\":\"z\",\"v\":7,\"d\":1.0,\"ts\":" + far + "}", far);
        model.add("z", far, new Object[] {7L, 1.0});
        check.accept(model, d.read());
        assertTrue(late > 5 && merges > 20, "the input should have late records (" + late + ") and merges (" + merges + ")");
        // z's one session: 5 counted values, 3 percentile cursors, its session entry and 2 elements
        assertEquals(11, d.entries(d.store("-values-store")), "expired sessions leave nothing behind");
        return model;
    }

    private static void emitChanges(boolean cache) {
        Map<String, JsonNode> table = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "TABLE", "CHANGES"), deadLettering(cache))) {
            run(d, 11, (model, records) -> {
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
                model.sessions.forEach((k, list) -> list.forEach(s -> expected.put(id(k, s.start), expected(s.rows))));
                table.forEach((id, row) -> actual.put(id, actual(row)));
                assertEquals(expected.keySet(), actual.keySet(), "sessions after " + records);
                expected.forEach((id, row) -> assertEquals(row, actual.get(id), id + " after " + records));
            });
        }
    }

    @Test
    void emitChangesGivesEverySessionsRowAfterEachRecordThroughMergesAndLateRecords() {
        emitChanges(false);
    }

    @Test
    void emitChangesWithTheRecordCacheOnGivesTheSameRows() {
        emitChanges(true);
    }

    @Test
    void emitFinalEmitsEachSessionOnceWhenDueWithItsWholeCollections() {
        Map<String, Map<String, Object>> emitted = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "STREAM", "FINAL"),
                deadLettering(true))) {
            SessionModel<Object[]> model = run(d, 5, (m, records) -> {
                for (String record : records) {
                    JsonNode row = json(record.substring(record.indexOf(" -> ") + 4, record.lastIndexOf(" @")));
                    String k = row.get("k").asText();
                    long start = java.time.Instant.parse(row.get("ss").asText()).toEpochMilli();
                    SessionModel.Session<Object[]> s = m.sessions.get(k).stream().filter(x -> x.start == start).findFirst()
                            .orElseThrow(() -> new AssertionError("no session " + id(k, start) + " for " + record));
                    assertTrue(s.end + GAP + GRACE <= m.streamTime, "emitted before due: " + record);
                    assertEquals(expected(s.rows), actual(row), record);
                    // a record within one gap after an emitted session's end can still extend it
                    // (its merged end is not late): the session comes out again, with its new end
                    emitted.put(id(k, start), actual(row));
                }
            });
            // every session but z's (due an hour after it) came out, last with its final rows; a
            // session emitted when due and merged into another later came out too (checked above)
            model.sessions.forEach((k, list) -> list.stream().filter(x -> !k.equals("z"))
                    .forEach(x -> assertEquals(expected(x.rows), emitted.get(id(k, x.start)), id(k, x.start))));
        }
    }
}
