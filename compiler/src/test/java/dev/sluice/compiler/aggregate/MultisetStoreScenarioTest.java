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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PERCENTILE_CONT/DISC and TOPK/TOPKDISTINCT keep their values in {@code <step>-values-store}
 * (value in SQL order → count, with a cursor at each percentile's rank) and their latest result in
 * the state. Each test drives random input (duplicates, NULLs, out-of-order records, a table's
 * updates and deletes) and checks every group's (or window's) row after each record against the
 * functions' definitions computed here from the group's live values; it also checks that closed
 * windows and emptied groups leave nothing in the store.
 */
class MultisetStoreScenarioTest {
    private static final String CALLS = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v) AS med, "
            + "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY d) AS p95, "
            + "PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY v) AS p90, "
            + "TOPK(v, 3) AS top3, TOPKDISTINCT(d, 2) AS top2, COUNT(*) AS n";

    /** The expected row fields of a group holding {@code rows} (each {v, d}, either may be null). */
    private static Map<String, Object> expected(List<Object[]> rows) {
        List<Long> v = rows.stream().map(r -> (Long) r[0]).filter(Objects::nonNull).sorted().toList();
        List<Double> d = rows.stream().map(r -> (Double) r[1]).filter(Objects::nonNull).sorted().toList();
        Map<String, Object> out = new TreeMap<>();
        out.put("med", v.isEmpty() ? null : PercentileRank.result(new BigDecimal("0.5"), true, v.size(), i -> v.get((int) i)));
        out.put("p95", d.isEmpty() ? null : PercentileRank.result(new BigDecimal("0.95"), true, d.size(), i -> d.get((int) i)));
        out.put("p90", v.isEmpty() ? null : PercentileRank.result(new BigDecimal("0.9"), false, v.size(), i -> v.get((int) i)));
        List<Long> top3 = v.stream().sorted(Comparator.reverseOrder()).limit(3).toList();
        out.put("top3", top3.isEmpty() ? null : top3.stream().map(Object::toString).toList());
        List<Double> top2 = d.stream().distinct().sorted(Comparator.reverseOrder()).limit(2).toList();
        out.put("top2", top2.isEmpty() ? null : top2.stream().map(Object::toString).toList());
        out.put("n", (long) rows.size());
        return out;
    }

    private static Map<String, Object> actual(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        out.put("med", row.get("med").isNull() ? null : row.get("med").asDouble());
        out.put("p95", row.get("p95").isNull() ? null : row.get("p95").asDouble());
        out.put("p90", row.get("p90").isNull() ? null : row.get("p90").asLong());
        for (String f : List.of("top3", "top2")) {
            List<String> list = new ArrayList<>();
            row.get(f).forEach(e -> list.add(e.isIntegralNumber() ? String.valueOf(e.asLong()) : String.valueOf(e.asDouble())));
            out.put(f, row.get(f).isNull() ? null : list);
        }
        out.put("n", row.get("n").asLong());
        return out;
    }

    private static String num(Random r, int bound, boolean decimal) {
        if (r.nextInt(10) == 0) {
            return "null";
        }
        return decimal ? String.valueOf(r.nextInt(bound) / 4.0) : String.valueOf(r.nextInt(bound));
    }

    @Test
    void aTableGroupByFollowsUpdatesDeletesAndNullsAndAnEmptiedGroupLeavesNothing() {
        tableGroupBy(Map.of());
    }

    /**
     * The same with the record cache on (the values store is cached): every row stays right. (It
     * does not reproduce KAFKA-18326's deleted keys in a cached reverse scan, which ValueCounts
     * guards against with a point read: it passes without that guard too.)
     */
    @Test
    void aTableGroupByWithTheRecordCacheOnSkipsDeletedValuesInReverseScans() {
        tableGroupBy(Map.of("statestore.cache.max.bytes", "10485760"));
    }

    private static void tableGroupBy(Map<String, String> settings) {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, d DOUBLE) "
                + "WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, " + CALLS + " FROM users GROUP BY region";
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            UsersByRegion<Object[]> users = new UsersByRegion<>(d, new Random(17), 12, r -> r.nextBoolean() ? "eu" : "us");
            for (int i = 0; i < 160; i++) {
                users.step(1_000L * (i + 1), (random, json) -> {
                    String v = num(random, 8, false);
                    String dv = num(random, 8, true);
                    json.append(",\"v\":").append(v).append(",\"d\":").append(dv);
                    return new Object[] {v.equals("null") ? null : Long.valueOf(v), dv.equals("null") ? null : Double.valueOf(dv)};
                });
                if (i == 80) {
                    loseEveryPercentileCursor(d);
                }
                users.check("step " + i, List.of("eu", "us"), MultisetStoreScenarioTest::expected, MultisetStoreScenarioTest::actual);
            }
            users.deleteAll(1_000_000);
            assertEquals(0, d.entries(d.store("-values-store")), "every group emptied: no value or cursor is left");
        }
    }

    /**
     * Deletes the cursors (keys whose call byte has the high bit set), as a store restored from a
     * changelog cut between a count and its cursor could lose them: the next update of each call
     * must rebuild its cursor from the counts, and every row after stay right.
     */
    private static void loseEveryPercentileCursor(ChangelogDriver d) {
        var store = d.keyValueStore(d.store("-values-store"));
        List<Object> cursors = new ArrayList<>();
        try (var it = store.all()) {
            while (it.hasNext()) {
                byte[] key = ((org.apache.kafka.common.utils.Bytes) it.next().key).get();
                int groupLength = java.nio.ByteBuffer.wrap(key).getInt();
                if ((key[4 + groupLength] & 0x80) != 0) {
                    cursors.add(org.apache.kafka.common.utils.Bytes.wrap(key));
                }
            }
        }
        assertTrue(!cursors.isEmpty(), "no cursor to lose");
        cursors.forEach(store::delete);
    }

    private static final String STREAM = "CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final long BASE = 3_600_000;

    /**
     * Records every 10 s with up to 100 s of disorder (never late with 2 minutes of grace), keys a
     * and b, then one record of key z an hour later that closes every window of a and b.
     */
    private static Map<String, List<Object[]>> windowed(ChangelogDriver d, long size, long slide,
                                                         Map<String, JsonNode> rows, boolean finalRows) {
        return windowed(d, ts -> {
            List<long[]> out = new ArrayList<>();
            for (long start = ts - ts % slide; start > ts - size; start -= slide) {
                out.add(new long[] {start, start + size});
            }
            return out;
        }, size, rows, finalRows);
    }

    /** As above; {@code windowsOf}: the [start, end) of each window a timestamp lies in. */
    private static Map<String, List<Object[]>> windowed(ChangelogDriver d,
                                                         java.util.function.LongFunction<List<long[]>> windowsOf,
                                                         long size, Map<String, JsonNode> rows, boolean finalRows) {
        Random random = new Random(size);
        Map<String, List<Object[]>> windows = new TreeMap<>();
        long last = 0;
        for (int i = 0; i < 100; i++) {
            long ts = BASE + i * 10_000L - random.nextInt(100) * 1_000L;
            last = Math.max(last, ts);
            String k = random.nextBoolean() ? "a" : "b";
            String v = num(random, 10, false);
            String dv = num(random, 10, true);
            d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + ts + "}", ts);
            Object[] row = {v.equals("null") ? null : Long.valueOf(v), dv.equals("null") ? null : Double.valueOf(dv)};
            for (long[] w : windowsOf.apply(ts)) {
                windows.computeIfAbsent(k + "@" + java.time.Instant.ofEpochMilli(w[0]) + "/"
                        + java.time.Instant.ofEpochMilli(w[1]), x -> new ArrayList<>()).add(row);
            }
            collect(d, rows, size, finalRows);
        }
        d.pipe("s", "{\"k\":\"z\",\"v\":1,\"d\":1.0,\"ts\":" + (last + 3_600_000) + "}", last + 3_600_000);
        collect(d, rows, size, finalRows);
        return windows;
    }

    private static void collect(ChangelogDriver d, Map<String, JsonNode> rows, long size, boolean finalRows) {
        for (String record : d.read()) {
            JsonNode row = ChangelogDriver.valueOf(record);
            if (row == null || row.get("k").asText().equals("z")) {
                continue;
            }
            java.time.Instant start = java.time.Instant.parse(row.get("window_start").asText());
            java.time.Instant end = row.has("window_end") ? java.time.Instant.parse(row.get("window_end").asText())
                    : start.plusMillis(size);
            String window = row.get("k").asText() + "@" + start + "/" + end;
            JsonNode before = rows.put(window, row);
            assertTrue(!finalRows || before == null, "EMIT FINAL emitted " + window + " twice");
        }
    }

    private static void assertWindows(Map<String, List<Object[]>> expected, Map<String, JsonNode> rows) {
        assertEquals(expected.keySet(), rows.keySet());
        for (var e : expected.entrySet()) {
            assertEquals(expected(e.getValue()), actual(rows.get(e.getKey())), e.getKey());
        }
    }

    @Test
    void tumblingWindowsWithEmitChangesEndOnEachWindowsValuesAndClosedWindowsLeaveTheStore() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, "
                + "TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, " + CALLS
                + " FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)")) {
            Map<String, List<Object[]>> expected = windowed(d, 60_000, 60_000, rows, false);
            assertWindows(expected, rows);
            // only z's one open window is left: one value per call (5), a cursor per percentile (3), its index entry
            assertEquals(9, d.entries(d.store("-values-store")));
        }
    }

    @Test
    void hoppingWindowsWithEmitFinalEmitEachWindowOnceWithItsValues() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE STREAM t AS SELECT k, "
                + "HOP_START(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE) AS window_start, " + CALLS
                + " FROM s GROUP BY k, HOP(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE) EMIT FINAL")) {
            Map<String, List<Object[]>> expected = windowed(d, 180_000, 60_000, rows, true);
            assertWindows(expected, rows);
            // z's three open windows are left
            assertEquals(3 * 9, d.entries(d.store("-values-store")));
        }
    }

    @Test
    void cumulatingWindowsEndOnTheValuesUpToEachWindowsEnd() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, window_start, window_end, "
                + CALLS + " FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE)) "
                + "GROUP BY k, window_start, window_end")) {
            Map<String, List<Object[]>> expected = windowed(d, ts -> {
                List<long[]> out = new ArrayList<>();
                long period = ts - ts % 180_000;
                for (long end = period + 60_000; end <= period + 180_000; end += 60_000) {
                    if (end > ts) {
                        out.add(new long[] {period, end});
                    }
                }
                return out;
            }, 180_000, rows, false);
            assertWindows(expected, rows);
        }
    }

    @Test
    void aStreamGroupByWithDistinctAndFilteredCallsKeepsEveryGroupsValues() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + CALLS
                + ", COUNT(DISTINCT v) AS kinds, TOPK(v, 2) FILTER (WHERE v > 4) AS high"
                + " FROM s GROUP BY k")) {
            Random random = new Random(3);
            Map<String, List<Object[]>> groups = new TreeMap<>();
            for (int i = 0; i < 150; i++) {
                String k = "k" + random.nextInt(3);
                String v = num(random, 12, false);
                String dv = num(random, 12, true);
                d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + (BASE + i) + "}", BASE + i);
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(
                        new Object[] {v.equals("null") ? null : Long.valueOf(v), dv.equals("null") ? null : Double.valueOf(dv)});
                for (String record : d.read()) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    rows.put(row.get("k").asText(), row);
                }
                List<Object[]> in = groups.get(k);
                assertEquals(expected(in), actual(rows.get(k)), "step " + i);
                assertEquals(in.stream().map(r -> r[0]).filter(Objects::nonNull).distinct().count(),
                        rows.get(k).get("kinds").asLong());
                List<String> high = in.stream().map(r -> (Long) r[0]).filter(x -> x != null && x > 4)
                        .sorted(Comparator.reverseOrder()).limit(2).map(Object::toString).toList();
                List<String> got = new ArrayList<>();
                rows.get(k).get("high").forEach(e -> got.add(e.asText()));
                assertEquals(high, got, "step " + i);
            }
        }
    }

    /** What sluice diff and the start-up guard compare: a state of format 6 does not read as an older one. */
    @Test
    void sluiceDiffSeesThatPercentilesKeepTheirValuesInTheStoreAndSessionsInTheirOwnFormat() {
        for (String window : List.of("", ", TUMBLE(ts, INTERVAL '1' MINUTE)", ", SESSION(ts, INTERVAL '1' MINUTE)")) {
            String sql = STREAM + "CREATE TABLE t AS SELECT k, PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY v) AS m "
                    + "FROM s GROUP BY k" + window;
            List<dev.sluice.compiler.optimizer.StateResources.Resource> resources =
                    dev.sluice.compiler.optimizer.StateResources.of(new dev.sluice.compiler.SluiceCompiler(
                            dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock())
                            .compile(sql, "t", dev.sluice.runtime.build.BuildOptions.PRODUCTION));
            String store = resources.stream().filter(r -> r.name().endsWith("-aggregate-store")).findFirst()
                    .orElseThrow(() -> new AssertionError(resources.toString())).value();
            boolean session = window.contains("SESSION");
            assertEquals(!session, store.contains(" (percentiles and TOPK over <step>-values-store)"), window + ": " + store);
            // sessions keep them per session (state format 8)
            assertEquals(session, store.contains("session percentiles, TOPK and ARRAY_AGG over <step>-values-store,"
                    + " state format 8"), window + ": " + store);
            assertTrue(resources.stream().anyMatch(r -> r.name().endsWith("-aggregate-values-store")),
                    window + ": " + resources);
        }
    }
}
