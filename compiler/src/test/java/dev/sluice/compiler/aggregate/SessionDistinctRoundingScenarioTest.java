package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.aggregate.SessionDistinctRoundingModel.In;
import dev.sluice.compiler.aggregate.SessionDistinctRoundingModel.Num;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 17: SESSION windows keep the values of STDDEV/VAR_*, STDDEV_SAMPLE and
 * CORRELATION(DISTINCT) in {@code <step>-distinct-store} (a merge retracts a value two sessions
 * held, up to rounding), count APPROX_PERCENTILE(DISTINCT)'s in {@code <step>-values-store} (exact,
 * KLL's rank rule) and run APPROX_COUNT_DISTINCT(DISTINCT) as its plain sketch. Random records of
 * three keys with up to five gaps of disorder (records bridging sessions that share values, late
 * records dead-lettered), NULLs, FILTERs and few distinct values, checked after every record against
 * {@link SessionDistinctRoundingModel}: EMIT CHANGES (the table the ordered changelog builds, cache
 * off and on) and EMIT FINAL. Floating-point results of a session some merge made may differ from
 * the model's in their last bits ({@link Num#ULPS}); every other result, and every result of a
 * session no merge made, must be equal. Expired sessions leave nothing in either store.
 */
class SessionDistinctRoundingScenarioTest {
    private static final long BASE = 3_600_000;
    private static final String SQL = "CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE, e DOUBLE, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE %s t AS SELECT k, SESSION_START(ts, INTERVAL '1' MINUTE) AS ss, "
            + "STDDEV_POP(DISTINCT e) AS sp, STDDEV_SAMP(DISTINCT e) FILTER (WHERE v > 3) AS ssf, "
            + "VAR_POP(DISTINCT e) AS vp, VARIANCE(DISTINCT e) AS vs, STDDEV_SAMPLE(DISTINCT e) AS ks, "
            + "CORRELATION(DISTINCT d, v) AS corr, APPROX_COUNT_DISTINCT(DISTINCT v) AS acd, "
            + "APPROX_PERCENTILE(DISTINCT e, 0.5) AS ap, APPROX_PERCENTILE(DISTINCT v, 0.9) FILTER (WHERE d > 1) AS apf, "
            + "COUNT(DISTINCT v) AS kinds, COUNT(*) AS n "
            + "FROM s GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT %s";
    /** Decimal fractions (rounded in binary), one outlier, a negative value. */
    private static final double[] E = {0.1, 0.2, 0.3, 0.7, 1.1, 2.9, 13.37, 5.5, -1.0, 0.01};

    private static Num num(JsonNode node) {
        if (node == null || node.isNull()) {
            return Num.of(null, false);
        }
        return Num.of(node.isTextual() ? Double.valueOf(node.asText()) : node.asDouble(), false);
    }

    private static Map<String, Object> actual(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        for (String f : List.of("sp", "ssf", "vp", "vs", "ks", "corr", "ap", "apf")) {
            out.put(f, num(row.get(f)));
        }
        for (String f : List.of("acd", "kinds", "n")) {
            out.put(f, row.get(f).asLong());
        }
        return out;
    }

    /**
     * 200 records of keys a, b, c every 5 s with up to 5 min 20 s of disorder (often a repeated
     * row: duplicates within and across sessions), then a record of key z an hour later, which
     * closes and expires every other session.
     */
    private static void run(ChangelogDriver d, long seed, BiConsumer<SessionModel<In>, List<String>> check) {
        Random random = new Random(seed);
        SessionModel<In> model = new SessionModel<>();
        int late = 0;
        int merges = 0;
        String previous = null;
        for (int i = 0; i < 200; i++) {
            long ts = BASE + i * 5_000L - random.nextInt(320) * 1_000L;
            String k = List.of("a", "b", "c").get(random.nextInt(3));
            Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(10);
            Double dv = random.nextInt(8) == 0 ? null : random.nextInt(8) / 2.0;
            Double e = random.nextInt(8) == 0 ? null : E[random.nextInt(E.length)];
            String row = "\"v\":" + v + ",\"d\":" + dv + ",\"e\":" + e;
            if (previous != null && random.nextInt(6) == 0) {
                row = previous; // a duplicate row
            }
            previous = row;
            d.pipe("s", "{\"k\":\"" + k + "\"," + row + ",\"ts\":" + ts + "}", ts);
            JsonNode parsed = ChangelogDriver.valueOf("x -> {" + row + "} @0");
            In in = new In(parsed.get("v").isNull() ? null : parsed.get("v").asLong(),
                    parsed.get("d").isNull() ? null : parsed.get("d").asDouble(),
                    parsed.get("e").isNull() ? null : parsed.get("e").asDouble());
            int before = model.sessions.getOrDefault(k, List.of()).size();
            SessionModel.Session<In> s = model.add(k, ts, in);
            late += s == null ? 1 : 0;
            merges += s != null && model.sessions.get(k).size() < before ? 1 : 0;
            check.accept(model, d.read());
        }
        long far = model.streamTime + 3_600_000;
        d.pipe("s", "{\"k\":\"z\",\"v\":7,\"d\":1.5,\"e\":0.3,\"ts\":" + far + "}", far);
        model.add("z", far, new In(7L, 1.5, 0.3));
        check.accept(model, d.read());
        assertTrue(late > 5 && merges > 10, "the input should have late records (" + late + ") and merges (" + merges + ")");
        // z's one session: STDDEV_POP, STDDEV_SAMP FILTER, VAR_POP, VARIANCE, STDDEV_SAMPLE, CORRELATION and
        // COUNT(DISTINCT): two index entries each
        assertEquals(14, d.entries(d.store("-distinct-store")), "expired sessions leave nothing in the distinct store");
        // the session's entry; per APPROX_PERCENTILE its value and its cursor
        assertEquals(5, d.entries(d.store("-values-store")), "expired sessions leave nothing in the values store");
        System.out.printf("%s: largest difference after a merge %.1f ulps%n",
                SessionDistinctRoundingScenarioTest.class.getSimpleName(), Num.worstUlps);
    }

    private static void emitChanges(boolean cache) {
        Map<String, JsonNode> table = new TreeMap<>();
        Map<SessionModel.Session<In>, Map<String, Object>> computed = new IdentityHashMap<>();
        Map<JsonNode, Map<String, Object>> parsed = new IdentityHashMap<>();
        int[] mergedSessionsSeen = new int[1];
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "TABLE", "CHANGES"), ScenarioSettings.deadLettering(cache))) {
            run(d, 17, (model, records) -> {
                for (String record : records) {
                    JsonNode value = ChangelogDriver.valueOf(record);
                    JsonNode k = json(record.substring(0, record.indexOf(" -> ")));
                    String id = SessionModel.id(k.get("k").asText(), java.time.Instant.parse(k.get("window_start").asText())
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
                model.sessions.forEach((k, list) -> list.forEach(s -> {
                    expected.put(SessionModel.id(k, s.start), computed.computeIfAbsent(s, SessionDistinctRoundingModel::expected));
                    mergedSessionsSeen[0] += s.merged ? 1 : 0;
                }));
                table.forEach((id, row) -> actual.put(id, parsed.computeIfAbsent(row,
                        SessionDistinctRoundingScenarioTest::actual)));
                assertEquals(expected, actual, () -> "sessions after " + records);
            });
        }
        assertTrue(mergedSessionsSeen[0] > 100, "merged sessions were compared: " + mergedSessionsSeen[0]);
    }

    private static JsonNode json(String text) {
        return ChangelogDriver.valueOf("x -> " + text + " @0");
    }

    /** {@code sluice diff} and the start-up guard see the new layout, so a state of format 2 or 12 is not resumed. */
    @Test
    void theAggregatesStoreFormatNamesStateFormat17() {
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "TABLE", "CHANGES"))) {
            List<String> formats = dev.sluice.compiler.optimizer.StateResources.of(d.script()).stream()
                    .map(dev.sluice.compiler.optimizer.StateResources.Resource::value)
                    .filter(v -> v != null && v.contains("state format 1")).toList();
            assertTrue(formats.stream().anyMatch(v -> v.contains("APPROX_* with DISTINCT over <step>-distinct-store and"
                    + " <step>-values-store, state format 17)") && !v.contains("state format 12")), formats.toString());
        }
    }

    @Test
    void emitChangesGivesEverySessionsDistinctResultsAfterEachRecordThroughMerges() {
        emitChanges(false);
    }

    @Test
    void emitChangesWithTheRecordCacheOnGivesTheSameRows() {
        emitChanges(true);
    }

    @Test
    void emitFinalEmitsEachSessionWithItsDistinctResultsWhenDue() {
        Map<String, Map<String, Object>> emitted = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(String.format(SQL, "STREAM", "FINAL"), ScenarioSettings.deadLettering(true))) {
            java.util.concurrent.atomic.AtomicReference<SessionModel<In>> last = new java.util.concurrent.atomic.AtomicReference<>();
            run(d, 23, (m, records) -> {
                last.set(m);
                for (String record : records) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    String k = row.get("k").asText();
                    long start = java.time.Instant.parse(row.get("ss").asText()).toEpochMilli();
                    SessionModel.Session<In> s = m.sessions.get(k).stream().filter(x -> x.start == start).findFirst()
                            .orElseThrow(() -> new AssertionError("no session " + SessionModel.id(k, start) + " for " + record));
                    assertTrue(s.end + SessionModel.GAP + SessionModel.GRACE
                            <= m.streamTime, "emitted before due: " + record);
                    assertEquals(SessionDistinctRoundingModel.expected(s), actual(row), record);
                    emitted.put(SessionModel.id(k, start), actual(row));
                }
            });
            last.get().sessions.forEach((k, list) -> list.stream().filter(x -> !k.equals("z"))
                    .forEach(x -> assertEquals(SessionDistinctRoundingModel.expected(x), emitted.get(SessionModel.id(k, x.start)),
                            SessionModel.id(k, x.start))));
        }
    }
}
