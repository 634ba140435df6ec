package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COUNT_DISTINCT and ATTR (over streams and tables), and over a table APPROX_COUNT_DISTINCT and
 * APPROX_PERCENTILE, keep value → count in {@code <step>-values-store} and only their result in
 * the state. Each test drives random input (duplicates, NULLs, FILTERs, a table's updates and
 * deletes, out-of-order records in windows) and checks every group's (or window's) row after each
 * record against the functions' definitions computed here from the group's live rows, with the
 * record cache off and on; emptied groups and closed windows leave nothing in the store.
 */
class DistinctCountsStoreScenarioTest {
    private static final String STREAM_CALLS = "COUNT_DISTINCT(v) AS cd, ATTR(v) AS attr_v, ATTR(d) AS attr_d, "
            + "COUNT_DISTINCT(v) FILTER (WHERE d > 1) AS cd_f, ATTR(v) FILTER (WHERE d > 1) AS attr_f, COUNT(*) AS n";
    private static final String TABLE_CALLS = STREAM_CALLS + ", APPROX_COUNT_DISTINCT(d) AS acd, "
            + "APPROX_PERCENTILE(v, 0.9) AS ap90, APPROX_PERCENTILE(d, 0.25) AS ap25, "
            + "TOPK(DISTINCT v, 2) AS top_d, APPROX_PERCENTILE(DISTINCT d, 0.5) AS ap_d";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    /** A row of the input: v BIGINT and d DOUBLE, either may be NULL. */
    private record In(Long v, Double d) {
        boolean filtered() {
            return d != null && d > 1;
        }
    }

    /** The expected row fields of a group holding {@code rows}; {@code table}: with the APPROX_* calls. */
    private static Map<String, Object> expected(List<In> rows, boolean table) {
        Map<String, Object> out = new TreeMap<>();
        List<In> filtered = rows.stream().filter(In::filtered).toList();
        out.put("cd", rows.stream().map(In::v).filter(Objects::nonNull).distinct().count());
        out.put("attr_v", attr(rows, In::v));
        out.put("attr_d", attr(rows, In::d));
        out.put("cd_f", filtered.stream().map(In::v).filter(Objects::nonNull).distinct().count());
        out.put("attr_f", attr(filtered, In::v));
        out.put("n", (long) rows.size());
        if (table) {
            out.put("acd", rows.stream().map(In::d).filter(Objects::nonNull).distinct().count());
            out.put("ap90", exactPercentile(rows.stream().map(In::v).filter(Objects::nonNull)
                    .map(Long::doubleValue).sorted().toList(), 0.9));
            out.put("ap25", exactPercentile(rows.stream().map(In::d).filter(Objects::nonNull).sorted().toList(), 0.25));
            List<Long> top = rows.stream().map(In::v).filter(Objects::nonNull).distinct()
                    .sorted(java.util.Comparator.reverseOrder()).limit(2).toList();
            out.put("top_d", top.isEmpty() ? null : top);
            out.put("ap_d", exactPercentile(rows.stream().map(In::d).filter(Objects::nonNull).distinct().sorted().toList(),
                    0.5));
        }
        return out;
    }

    /** ksqlDB's ATTR: the one value every row has (NULL included), else NULL. */
    private static Object attr(List<In> rows, Function<In, Object> column) {
        Set<Object> values = new LinkedHashSet<>();
        rows.forEach(r -> values.add(column.apply(r)));
        Object only = values.size() == 1 ? values.iterator().next() : null;
        return only == null ? null : ((Number) only).doubleValue();
    }

    /** APPROX_PERCENTILE over a table: the smallest v with at least a fraction p of the values {@code <= v}. */
    private static Double exactPercentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        long k = Math.max(1, (long) Math.ceil(p * sorted.size() - 1e-9));
        return sorted.get((int) Math.min(k, sorted.size()) - 1);
    }

    private static Map<String, Object> actual(JsonNode row, boolean table) {
        Map<String, Object> out = new TreeMap<>();
        for (String f : List.of("cd", "cd_f", "n")) {
            out.put(f, row.get(f).asLong());
        }
        for (String f : table ? List.of("attr_v", "attr_d", "attr_f", "ap90", "ap25") : List.of("attr_v", "attr_d", "attr_f")) {
            out.put(f, row.get(f).isNull() ? null : row.get(f).asDouble());
        }
        if (table) {
            out.put("acd", row.get("acd").asLong());
            out.put("ap_d", row.get("ap_d").isNull() ? null : row.get("ap_d").asDouble());
            List<Long> top = new ArrayList<>();
            row.get("top_d").forEach(e -> top.add(e.asLong()));
            out.put("top_d", row.get("top_d").isNull() ? null : top);
        }
        return out;
    }

    private static String num(Random r, int bound, boolean decimal) {
        if (r.nextInt(8) == 0) {
            return "null";
        }
        return decimal ? String.valueOf(r.nextInt(bound) / 2.0) : String.valueOf(r.nextInt(bound));
    }

    private static In in(String v, String d) {
        return new In(v.equals("null") ? null : Long.valueOf(v), d.equals("null") ? null : Double.valueOf(d));
    }

    @Test
    void aTableGroupByFollowsUpdatesDeletesAndNullsAndAnEmptiedGroupLeavesNothing() {
        tableGroupBy(Map.of());
    }

    @Test
    void aTableGroupByWithTheRecordCacheOnGivesTheSameRows() {
        tableGroupBy(CACHE_ON);
    }

    private static void tableGroupBy(Map<String, String> settings) {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, d DOUBLE) "
                + "WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, " + TABLE_CALLS + " FROM users GROUP BY region";
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            UsersByRegion<In> users = new UsersByRegion<>(d, new Random(17), 10, r -> r.nextBoolean() ? "eu" : "us");
            for (int i = 0; i < 200; i++) {
                users.step(1_000L * (i + 1), (random, json) -> {
                    // few values, so that groups often hold one value (ATTR) and values come and go
                    String v = num(random, 3, false);
                    String dv = num(random, 5, true);
                    json.append(",\"v\":").append(v).append(",\"d\":").append(dv);
                    return in(v, dv);
                });
                users.check("step " + i, List.of("eu", "us"), group -> expected(group, true), row -> actual(row, true));
            }
            users.deleteAll(1_000_000);
            assertEquals(0, d.entries(d.store("-values-store")), "every group emptied: no value or note is left");
        }
    }

    private static final String STREAM = "CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final long BASE = 3_600_000;

    @Test
    void aStreamGroupByKeepsEveryGroupsDistinctValues() {
        streamGroupBy(Map.of());
    }

    @Test
    void aStreamGroupByWithTheRecordCacheOnGivesTheSameRows() {
        streamGroupBy(CACHE_ON);
    }

    private static void streamGroupBy(Map<String, String> settings) {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + STREAM_CALLS
                + ", COUNT(DISTINCT v) AS kinds FROM s GROUP BY k", settings)) {
            Random random = new Random(3);
            Map<String, List<In>> groups = new TreeMap<>();
            for (int i = 0; i < 150; i++) {
                String k = "k" + random.nextInt(4);
                // a group's first rows are often all alike: ATTR has one value, then loses it
                String v = num(random, i < 40 ? 2 : 6, false);
                String dv = num(random, 4, true);
                d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + (BASE + i) + "}", BASE + i);
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(in(v, dv));
                for (String record : d.read()) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    rows.put(row.get("k").asText(), row);
                }
                for (var group : groups.entrySet()) {
                    assertEquals(expected(group.getValue(), false), actual(rows.get(group.getKey()), false),
                            "step " + i + ", " + group.getKey());
                }
            }
        }
    }

    /**
     * Records every 10 s with up to 100 s of disorder (never late with 2 minutes of grace), keys a
     * and b, then one record of key z an hour later that closes every window of a and b.
     */
    private static Map<String, List<In>> windowed(ChangelogDriver d, long size, long slide, Map<String, JsonNode> rows,
                                                  boolean finalRows) {
        Random random = new Random(size);
        Map<String, List<In>> windows = new TreeMap<>();
        long last = 0;
        for (int i = 0; i < 100; i++) {
            long ts = BASE + i * 10_000L - random.nextInt(100) * 1_000L;
            last = Math.max(last, ts);
            String k = random.nextBoolean() ? "a" : "b";
            String v = num(random, 3, false);
            String dv = num(random, 4, true);
            d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + ts + "}", ts);
            for (long start = ts - ts % slide; start > ts - size; start -= slide) {
                windows.computeIfAbsent(k + "@" + java.time.Instant.ofEpochMilli(start), x -> new ArrayList<>())
                        .add(in(v, dv));
            }
            collect(d, rows, finalRows);
        }
        d.pipe("s", "{\"k\":\"z\",\"v\":1,\"d\":1.0,\"ts\":" + (last + 3_600_000) + "}", last + 3_600_000);
        collect(d, rows, finalRows);
        return windows;
    }

    private static void collect(ChangelogDriver d, Map<String, JsonNode> rows, boolean finalRows) {
        for (String record : d.read()) {
            JsonNode row = ChangelogDriver.valueOf(record);
            if (row == null || row.get("k").asText().equals("z")) {
                continue;
            }
            String window = row.get("k").asText() + "@" + java.time.Instant.parse(row.get("window_start").asText());
            JsonNode before = rows.put(window, row);
            assertTrue(!finalRows || before == null, "EMIT FINAL emitted " + window + " twice");
        }
    }

    private static void assertWindows(Map<String, List<In>> expected, Map<String, JsonNode> rows) {
        assertEquals(expected.keySet(), rows.keySet());
        for (var e : expected.entrySet()) {
            assertEquals(expected(e.getValue(), false), actual(rows.get(e.getKey()), false), e.getKey());
        }
    }

    @Test
    void tumblingWindowsWithEmitChangesEndOnEachWindowsValuesAndClosedWindowsLeaveTheStore() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            Map<String, JsonNode> rows = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, "
                    + "TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, " + STREAM_CALLS
                    + " FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)", settings)) {
                Map<String, List<In>> expected = windowed(d, 60_000, 60_000, rows, false);
                assertWindows(expected, rows);
                // only z's open window is left (v 1, d 1.0, which the FILTERs drop): a value and a
                // note for each of COUNT_DISTINCT(v), ATTR(v), ATTR(d), and the window's index entry
                assertEquals(7, d.entries(d.store("-values-store")), settings.toString());
            }
        }
    }

    @Test
    void hoppingWindowsWithEmitFinalEmitEachWindowOnceWithItsValues() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE STREAM t AS SELECT k, "
                + "HOP_START(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE) AS window_start, " + STREAM_CALLS
                + " FROM s GROUP BY k, HOP(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE) EMIT FINAL")) {
            Map<String, List<In>> expected = windowed(d, 180_000, 60_000, rows, true);
            assertWindows(expected, rows);
            assertEquals(3 * 7, d.entries(d.store("-values-store")), "z's three open windows are left");
        }
    }

    /** What sluice diff and the start-up guard compare: state format 7 is named in the store's description. */
    @Test
    void sluiceDiffSeesThatCountsKeepTheirValuesInTheStoreExceptInSessions() {
        for (String window : List.of("", ", TUMBLE(ts, INTERVAL '1' MINUTE)", ", SESSION(ts, INTERVAL '1' MINUTE)")) {
            String sql = STREAM + "CREATE TABLE t AS SELECT k, COUNT_DISTINCT(v) AS c, APPROX_PERCENTILE(v, 0.5) AS p "
                    + "FROM s GROUP BY k" + window;
            String store = aggregateStore(sql);
            boolean session = window.contains("SESSION");
            assertEquals(!session, store.contains("COUNT_DISTINCT, ATTR, APPROX_* over <step>-values-store, state format 7"),
                    window + ": " + store);
        }
        // over a stream the APPROX_* calls keep their sketches: no change there
        assertTrue(!aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, APPROX_PERCENTILE(v, 0.5) AS p FROM s GROUP BY k")
                .contains("state format 7"));
        assertTrue(aggregateStore("CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT) "
                + "WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE TABLE t AS SELECT region, APPROX_PERCENTILE(v, 0.5) AS p FROM users GROUP BY region")
                .contains("state format 7"));
    }

    private static String aggregateStore(String sql) {
        List<dev.sluice.compiler.optimizer.StateResources.Resource> resources =
                dev.sluice.compiler.optimizer.StateResources.of(new dev.sluice.compiler.SluiceCompiler(
                        dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock())
                        .compile(sql, "t", dev.sluice.runtime.build.BuildOptions.PRODUCTION));
        return resources.stream().filter(r -> r.name().endsWith("-aggregate-store")).findFirst()
                .orElseThrow(() -> new AssertionError(resources.toString())).value();
    }
}
