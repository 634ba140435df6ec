package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import static dev.sluice.compiler.aggregate.SessionModel.GAP;
import static dev.sluice.compiler.aggregate.SessionModel.GRACE;
import static dev.sluice.compiler.aggregate.SessionModel.id;
import static dev.sluice.compiler.aggregate.ScenarioSettings.json;
import static dev.sluice.compiler.aggregate.ScenarioSettings.deadLettering;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SESSION windows keep COLLECT_SET, HISTOGRAM (with and without DISTINCT), ARRAY_AGG with ORDER BY
 * and/or DISTINCT and FIRST/LAST(DISTINCT) per session in {@code <step>-values-store}
 * ({@code SessionOrderedElements}, state format 16), beside a plain ARRAY_AGG (format 8's elements)
 * and COUNT(DISTINCT) ({@code <step>-distinct-store}). Random records of three keys with disorder of
 * up to five gaps (out-of-order records bridge sessions that share values, some are late and
 * dead-lettered), few values, NULLs, duplicates and FILTERs, checked after every record against a
 * model of what the in-value accumulators gave: a merged session's rows are the merged sessions'
 * rows in start order, then the record (the state merger's order), a set lists each value at its
 * first occurrence there, ORDER BY sorts stably (ties in that order), FIRST/LAST(DISTINCT) take the
 * first/last non-NULL element of the set in that order. EMIT CHANGES (the table the ordered
 * changelog builds, cache off and on) and EMIT FINAL (each row when it comes out); expired sessions
 * must leave nothing in the store.
 */
class SessionOrderedCollectionsScenarioTest {
    private static final long BASE = 3_600_000;
    private static final String SQL = "CREATE STREAM s (k VARCHAR, v BIGINT, w VARCHAR, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE %s t AS SELECT k, SESSION_START(ts, INTERVAL '1' MINUTE) AS ss, "
            + "COLLECT_SET(w) AS cs, COLLECT_SET(DISTINCT v) FILTER (WHERE v > 2) AS csf, HISTOGRAM(w) AS h, "
            + "HISTOGRAM(DISTINCT w) AS hd, ARRAY_AGG(v ORDER BY w DESC) AS srt, ARRAY_AGG(DISTINCT v) AS ad, "
            + "ARRAY_AGG(DISTINCT w ORDER BY v) FILTER (WHERE v <> 3) AS ads, FIRST(DISTINCT w) AS fd, "
            + "LAST(DISTINCT v) AS ld, FIRST(DISTINCT w ORDER BY v DESC) AS fdo, LAST(DISTINCT w ORDER BY v) AS ldo, "
            + "ARRAY_AGG(v) AS vs, COUNT(DISTINCT v) AS kinds, COUNT(*) AS n "
            + "FROM s GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT %s";

    /** A row of the input: either value may be NULL. */
    private record In(Long v, String w) {
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    /** SQL ORDER BY of one key: NULL the largest value (last ascending, first descending). */
    private static <T extends Comparable<T>> Comparator<In> by(Function<In, T> key, boolean descending) {
        Comparator<In> ascending = Comparator.comparing(key, Comparator.nullsLast(Comparator.<T>naturalOrder()));
        return descending ? ascending.reversed() : ascending;
    }

    /** The distinct rows by {@code key} in first-occurrence order (the in-value set's order). */
    private static List<In> distinct(List<In> rows, Function<In, Object> key) {
        Map<Object, In> firsts = new LinkedHashMap<>();
        for (In r : rows) {
            firsts.putIfAbsent(key.apply(r), r);
        }
        return new ArrayList<>(firsts.values());
    }

    private static Object listOrNull(List<String> values) {
        return values.isEmpty() ? null : values;
    }

    /** A HISTOGRAM as its entries in order ("value=count"). */
    private static List<String> histogram(List<In> rows, boolean distinct) {
        Map<String, Long> counts = new LinkedHashMap<>();
        rows.stream().map(In::w).filter(Objects::nonNull).forEach(w -> counts.merge(w, 1L, Long::sum));
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + (distinct ? 1 : e.getValue())).toList();
    }

    private static Map<String, Object> expected(List<In> rows) {
        Map<String, Object> out = new TreeMap<>();
        out.put("cs", listOrNull(new ArrayList<>(new LinkedHashSet<>(rows.stream().map(In::w).toList()))));
        out.put("csf", listOrNull(rows.stream().filter(r -> r.v() != null && r.v() > 2).map(In::v).distinct()
                .map(SessionOrderedCollectionsScenarioTest::str).toList()));
        out.put("h", histogram(rows, false));
        out.put("hd", histogram(rows, true));
        List<In> sorted = new ArrayList<>(rows);
        sorted.sort(by(In::w, true)); // stable: ties in merge order
        out.put("srt", listOrNull(sorted.stream().map(r -> str(r.v())).toList()));
        out.put("ad", listOrNull(distinct(rows, In::v).stream().map(r -> str(r.v())).toList()));
        List<In> pairs = new ArrayList<>(distinct(rows.stream().filter(r -> r.v() != null && r.v() != 3).toList(),
                r -> r.w() + "|" + r.v()));
        pairs.sort(by(In::v, false));
        out.put("ads", listOrNull(pairs.stream().map(In::w).toList()));
        out.put("fd", rows.stream().map(In::w).filter(Objects::nonNull).findFirst().orElse(null));
        List<Long> vs = distinct(rows, In::v).stream().map(In::v).filter(Objects::nonNull).toList();
        out.put("ld", vs.isEmpty() ? null : str(vs.get(vs.size() - 1)));
        List<In> wv = new ArrayList<>(distinct(rows, r -> r.w() + "|" + r.v()).stream().filter(r -> r.w() != null).toList());
        wv.sort(by(In::v, true));
        out.put("fdo", wv.isEmpty() ? null : wv.get(0).w());
        wv.sort(by(In::v, false));
        out.put("ldo", wv.isEmpty() ? null : wv.get(wv.size() - 1).w());
        out.put("vs", rows.stream().map(r -> str(r.v())).toList());
        out.put("kinds", String.valueOf(rows.stream().map(In::v).filter(Objects::nonNull).distinct().count()));
        out.put("n", String.valueOf(rows.size()));
        return out;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isIntegralNumber() ? String.valueOf(node.asLong()) : node.asText();
    }

    private static Object array(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(e -> out.add(text(e)));
        return out;
    }

    private static Map<String, Object> actual(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        for (String f : List.of("cs", "csf", "srt", "ad", "ads", "vs")) {
            out.put(f, array(row.get(f)));
        }
        for (String f : List.of("h", "hd")) {
            List<String> entries = new ArrayList<>();
            row.get(f).fields().forEachRemaining(e -> entries.add(e.getKey() + "=" + e.getValue().asLong()));
            out.put(f, entries);
        }
        for (String f : List.of("fd", "ld", "fdo", "ldo", "kinds", "n")) {
            out.put(f, text(row.get(f)));
        }
        return out;
    }

    /**
     * 120 records of keys a, b, c every 5 s with up to 5 min 20 s (five gaps) of disorder, then a
     * record of key z an hour later, which closes and expires every other session.
     */
    private static void run(ChangelogDriver d, long seed, java.util.function.BiConsumer<SessionModel<In>, List<String>> check) {
        Random random = new Random(seed);
        SessionModel<In> model = new SessionModel<>();
        int late = 0;
        int merges = 0;
        for (int i = 0; i < 120; i++) {
            long ts = BASE + i * 5_000L - random.nextInt(320) * 1_000L;
            String k = List.of("a", "b", "c").get(random.nextInt(3));
            Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(6);
            String w = random.nextInt(7) == 0 ? null : List.of("p", "q", "r", "s").get(random.nextInt(4));
            d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"w\":" + (w == null ? "null" : "\"" + w + "\"")
                    + ",\"ts\":" + ts + "}", ts);
            int before = model.sessions.getOrDefault(k, List.of()).size();
            SessionModel.Session<In> s = model.add(k, ts, new In(v, w));
            late += s == null ? 1 : 0;
            merges += s != null && model.sessions.get(k).size() < before ? 1 : 0;
            check.accept(model, d.read());
        }
        long far = model.streamTime + 3_600_000;
        d.pipe("s", "{\"k\":\"z\",\"v\":7,\"w\":\"x\",\"ts\":" + far + "}", far);
        model.add("z", far, new In(7L, "x"));
        check.accept(model, d.read());
        assertTrue(late > 3 && merges >= 8, "the input should have late records (" + late + ") and merges (" + merges + ")");
        // z's one session: ten sets, each an element and an index entry; the sorted ARRAY_AGG's
        // element; the plain ARRAY_AGG's element; the session entry
        assertEquals(10 * 2 + 1 + 1 + 1, d.entries(d.store("-values-store")),
                "expired sessions leave nothing in the values store");
    }

    private static void emitChanges(boolean cache) {
        Map<String, JsonNode> table = new TreeMap<>();
        Map<SessionModel.Session<In>, Map<String, Object>> computed = new java.util.IdentityHashMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "TABLE", "CHANGES"), deadLettering(cache))) {
            run(d, 31, (model, records) -> {
                for (String record : records) {
                    JsonNode key = ChangelogDriver.valueOf("-> " + record.substring(0, record.indexOf(" -> ")) + " @0");
                    JsonNode value = ChangelogDriver.valueOf(record);
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
                model.sessions.forEach((k, list) -> list.forEach(s -> expected.put(id(k, s.start),
                        computed.computeIfAbsent(s, x -> expected(x.rows)))));
                table.forEach((id, row) -> actual.put(id, actual(row)));
                assertEquals(expected, actual, () -> "sessions after " + records);
            });
        }
    }

    @Test
    void emitChangesGivesEverySessionsCollectionsInTheInValueOrderThroughMerges() {
        emitChanges(false);
    }

    @Test
    void emitChangesWithTheRecordCacheOnGivesTheSameRows() {
        emitChanges(true);
    }

    @Test
    void emitFinalEmitsEachSessionWithItsCollectionsWhenDue() {
        Map<String, Map<String, Object>> emitted = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "STREAM", "FINAL"), deadLettering(true))) {
            java.util.concurrent.atomic.AtomicReference<SessionModel<In>> last = new java.util.concurrent.atomic.AtomicReference<>();
            run(d, 37, (m, records) -> {
                last.set(m);
                for (String record : records) {
                    JsonNode row = ChangelogDriver.valueOf(record);
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
