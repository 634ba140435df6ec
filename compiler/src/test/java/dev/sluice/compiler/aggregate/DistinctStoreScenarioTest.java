package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.runtime.function.aggregate.PercentileRank;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DISTINCT calls whose values moved out of the state (state format 13): over a stream a DISTINCT
 * percentile, TOPK, TOPKDISTINCT, COUNT_DISTINCT or ATTR counts its values' first arrivals in
 * {@code <step>-values-store}; over a table a DISTINCT STDDEV/VAR_*, CORRELATION, COUNT_IF or
 * BOOL_AND/OR counts value → rows there, and its plain accumulator sees a value's first arrival and
 * last departure. Each test drives random input (duplicates, NULLs, FILTERs, out-of-order and late
 * records in windows, a table's updates, deletes and group moves) and checks every row the query
 * emits, in order, against the functions' definitions computed here over the group's distinct
 * values, with the record cache off and on; closed windows and emptied groups leave nothing behind.
 */
class DistinctStoreScenarioTest {
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");
    /** Late records leave through the processing exception handler; the driver's default would fail. */
    private static final Map<String, String> SKIP_LATE = Map.of("processing.exception.handler",
            "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler");
    private static final String STREAM_CALLS = "PERCENTILE_CONT(DISTINCT v, 0.5) AS med, "
            + "PERCENTILE_DISC(DISTINCT d, 0.9) AS p90, TOPK(DISTINCT v, 3) AS top3, TOPKDISTINCT(DISTINCT d, 2) AS top2, "
            + "COUNT_DISTINCT(DISTINCT v) AS cd, ATTR(DISTINCT d) AS attr_d, "
            + "TOPK(DISTINCT v, 2) FILTER (WHERE d > 1) AS top_f, COUNT(*) AS n";
    private static final String STREAM = "CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final long BASE = 3_600_000;
    /** The window aggregates' grace: the watermark's delay less 1 ms (Flink's rule in Kafka Streams' terms). */
    private static final long GRACE = 119_999;

    /** A row of the input: v BIGINT and d DOUBLE, either may be NULL. */
    private record In(Long v, Double d) {
    }

    private static In in(String v, String d) {
        return new In(v.equals("null") ? null : Long.valueOf(v), d.equals("null") ? null : Double.valueOf(d));
    }

    private static String num(Random r, int bound, boolean decimal) {
        if (r.nextInt(8) == 0) {
            return "null";
        }
        return decimal ? String.valueOf(r.nextInt(bound) / 2.0) : String.valueOf(r.nextInt(bound));
    }

    /** The stream calls' expected fields over a group's (or window's) rows. */
    private static Map<String, Object> expectedStream(List<In> rows) {
        List<Long> v = rows.stream().map(In::v).filter(Objects::nonNull).distinct().sorted().toList();
        List<Double> d = rows.stream().map(In::d).filter(Objects::nonNull).distinct().sorted().toList();
        Map<String, Object> out = new TreeMap<>();
        out.put("med", v.isEmpty() ? null
                : ((Number) PercentileRank.result(new BigDecimal("0.5"), true, v.size(), i -> v.get((int) i))).doubleValue());
        out.put("p90", d.isEmpty() ? null
                : ((Number) PercentileRank.result(new BigDecimal("0.9"), false, d.size(), i -> d.get((int) i))).doubleValue());
        out.put("top3", top(v, 3));
        out.put("top2", top(d, 2));
        out.put("cd", (long) v.size());
        Set<Double> attr = new LinkedHashSet<>();
        rows.forEach(r -> attr.add(r.d()));
        out.put("attr_d", attr.size() == 1 ? attr.iterator().next() : null);
        out.put("top_f", top(rows.stream().filter(r -> r.d() != null && r.d() > 1).map(In::v).filter(Objects::nonNull)
                .distinct().sorted().toList(), 2));
        out.put("n", (long) rows.size());
        return out;
    }

    private static List<String> top(List<? extends Number> ascending, int k) {
        List<String> out = new ArrayList<>();
        for (int i = ascending.size() - 1; i >= 0 && out.size() < k; i--) {
            out.add(String.valueOf(ascending.get(i).doubleValue()));
        }
        return out.isEmpty() ? null : out;
    }

    private static Map<String, Object> actualStream(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        out.put("med", dbl(row.get("med")));
        out.put("p90", dbl(row.get("p90")));
        for (String f : List.of("top3", "top2", "top_f")) {
            List<String> list = new ArrayList<>();
            row.get(f).forEach(e -> list.add(String.valueOf(e.asDouble())));
            out.put(f, row.get(f).isNull() ? null : list);
        }
        out.put("cd", row.get("cd").asLong());
        out.put("attr_d", dbl(row.get("attr_d")));
        out.put("n", row.get("n").asLong());
        return out;
    }

    private static Double dbl(JsonNode n) {
        return n.isNull() ? null : n.isTextual() ? Double.valueOf(n.asText()) : n.asDouble();
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> out = new HashMap<>(a);
        out.putAll(b);
        return out;
    }

    @Test
    void aStreamGroupByCountsFirstArrivalsOnlyWithTheCacheOffAndOn() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + STREAM_CALLS
                    + ", COUNT(DISTINCT v) AS kinds FROM s GROUP BY k", settings)) {
                // COUNT(DISTINCT) is still marked by <step>-distinct-store; the others are not
                assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-distinct-store")), d.stores().toString());
                Random random = new Random(5);
                Map<String, List<In>> groups = new TreeMap<>();
                for (int i = 0; i < 110; i++) {
                    String k = "k" + random.nextInt(3);
                    // a group's first rows are often alike (ATTR has one value, then loses it)
                    String v = num(random, i < 30 ? 2 : 9, false);
                    String dv = num(random, i < 30 ? 2 : 7, true);
                    d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + (BASE + i) + "}",
                            BASE + i);
                    List<In> group = groups.computeIfAbsent(k, x -> new ArrayList<>());
                    group.add(in(v, dv));
                    List<String> emitted = d.read();
                    assertEquals(1, emitted.size(), "step " + i + ": one update per record");
                    JsonNode row = ChangelogDriver.valueOf(emitted.get(0));
                    assertEquals(k, row.get("k").asText());
                    assertEquals(expectedStream(group), actualStream(row), "step " + i + ", " + settings);
                    assertEquals(group.stream().map(In::v).filter(Objects::nonNull).distinct().count(),
                            row.get("kinds").asLong());
                }
                // per group: one count per distinct value and call (7 calls over v or d)
                long expectedEntries = 0;
                for (List<In> group : groups.values()) {
                    long vs = group.stream().map(In::v).filter(Objects::nonNull).distinct().count();
                    long ds = group.stream().map(In::d).filter(Objects::nonNull).distinct().count();
                    long filtered = group.stream().filter(r -> r.d() != null && r.d() > 1).map(In::v)
                            .filter(Objects::nonNull).distinct().count();
                    boolean nulls = group.stream().anyMatch(r -> r.d() == null);
                    // counts; cursors of the two percentiles; notes of COUNT_DISTINCT and ATTR
                    expectedEntries += 3 * vs + 3 * ds + filtered + (vs > 0 ? 1 : 0) + (ds > 0 ? 1 : 0)
                            + (vs > 0 ? 1 : 0) + (ds > 0 || nulls ? 1 : 0);
                }
                assertEquals(expectedEntries, d.entries(d.store("-values-store")), settings.toString());
            }
        }
    }

    @Test
    void withOnlyStoreKeptDistinctCallsTheDistinctStoreIsGone() {
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + STREAM_CALLS
                + " FROM s GROUP BY k")) {
            assertFalse(d.stores().stream().anyMatch(s -> s.endsWith("-distinct-store")), d.stores().toString());
            d.pipe("s", "{\"k\":\"a\",\"v\":1,\"d\":2.0,\"ts\":" + BASE + "}", BASE);
            d.pipe("s", "{\"k\":\"a\",\"v\":1,\"d\":2.0,\"ts\":" + (BASE + 1) + "}", BASE + 1);
            d.pipe("s", "{\"k\":\"a\",\"v\":3,\"d\":null,\"ts\":" + (BASE + 2) + "}", BASE + 2);
            List<String> rows = d.read();
            assertEquals(3, rows.size());
            assertEquals(expectedStream(List.of(new In(1L, 2.0), new In(1L, 2.0))), actualStream(ChangelogDriver.valueOf(rows.get(1))));
            assertEquals(expectedStream(List.of(new In(1L, 2.0), new In(1L, 2.0), new In(3L, null))),
                    actualStream(ChangelogDriver.valueOf(rows.get(2))));
        }
    }

    /**
     * Records every 10 s with up to 100 s of disorder, every eighth up to 6 minutes back (late for
     * some or all of its windows), keys a and b, then one record of key z an hour later that
     * closes every window of a and b. {@code windowsOf}: the [start, end) of each window of a time.
     */
    private static Map<String, List<In>> windowed(ChangelogDriver d, java.util.function.LongFunction<List<long[]>> windowsOf,
                                                  long seed, Map<String, JsonNode> rows, boolean finalRows) {
        Random random = new Random(seed);
        Map<String, List<In>> windows = new TreeMap<>();
        long streamTime = 0;
        for (int i = 0; i < 110; i++) {
            long back = random.nextInt(8) == 0 ? random.nextInt(360) * 1_000L : random.nextInt(100) * 1_000L;
            long ts = BASE + i * 10_000L - back;
            streamTime = Math.max(streamTime, ts);
            String k = random.nextBoolean() ? "a" : "b";
            String v = num(random, 4, false);
            String dv = num(random, 5, true);
            d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"d\":" + dv + ",\"ts\":" + ts + "}", ts);
            for (long[] w : windowsOf.apply(ts)) {
                if (w[1] > streamTime - GRACE) {
                    windows.computeIfAbsent(key(k, w[0], w[1]), x -> new ArrayList<>()).add(in(v, dv));
                }
            }
            collect(d, rows, finalRows);
        }
        d.pipe("s", "{\"k\":\"z\",\"v\":1,\"d\":1.0,\"ts\":" + (streamTime + 3_600_000) + "}", streamTime + 3_600_000);
        collect(d, rows, finalRows);
        return windows;
    }

    private static String key(String k, long start, long end) {
        return k + "@" + java.time.Instant.ofEpochMilli(start) + "/" + java.time.Instant.ofEpochMilli(end);
    }

    /** Each emitted row in order: EMIT FINAL emits a window once; EMIT CHANGES rows replace the window's. */
    private static void collect(ChangelogDriver d, Map<String, JsonNode> rows, boolean finalRows) {
        for (String record : d.read()) {
            JsonNode row = ChangelogDriver.valueOf(record);
            if (row == null || row.get("k").asText().equals("z")) {
                continue;
            }
            String window = row.get("k").asText() + "@" + java.time.Instant.parse(row.get("window_start").asText()) + "/"
                    + java.time.Instant.parse(row.get("window_end").asText());
            JsonNode before = rows.put(window, row);
            assertTrue(!finalRows || before == null, "EMIT FINAL emitted " + window + " twice");
        }
    }

    private static void assertWindows(Map<String, List<In>> expected, Map<String, JsonNode> rows, String context) {
        assertEquals(expected.keySet(), rows.keySet(), context);
        for (var e : expected.entrySet()) {
            assertEquals(expectedStream(e.getValue()), actualStream(rows.get(e.getKey())), context + " " + e.getKey());
        }
    }

    private static java.util.function.LongFunction<List<long[]>> hops(long size, long slide) {
        return ts -> {
            List<long[]> out = new ArrayList<>();
            for (long start = ts - ts % slide; start > ts - size; start -= slide) {
                out.add(new long[] {start, start + size});
            }
            return out;
        };
    }

    @Test
    void tumblingWindowsDropLateRecordsAndClosedWindowsLeaveTheStore() {
        // the cache on: the cumulating windows' test
        for (Map<String, String> settings : List.of(SKIP_LATE)) {
            Map<String, JsonNode> rows = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, window_start, window_end, "
                    + STREAM_CALLS + " FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) "
                    + "GROUP BY k, window_start, window_end", settings)) {
                assertWindows(windowed(d, hops(60_000, 60_000), 1, rows, false), rows, settings.toString());
                // only z's open window is left (v 1, d 1.0, which the FILTER drops): a count for each
                // of the 6 unfiltered calls, 2 cursors, 2 notes, the window's index entry
                assertEquals(11, d.entries(d.store("-values-store")), settings.toString());
            }
        }
    }

    @Test
    void hoppingWindowsWithEmitFinalEmitEachWindowOnceWithItsDistinctValues() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE STREAM t AS SELECT k, window_start, window_end, "
                + STREAM_CALLS + ", COUNT(DISTINCT d) AS dk FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, "
                + "INTERVAL '3' MINUTE)) GROUP BY k, window_start, window_end EMIT FINAL", SKIP_LATE)) {
            Map<String, List<In>> expected = windowed(d, hops(180_000, 60_000), 2, rows, true);
            assertWindows(expected, rows, "hop");
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue().stream().map(In::d).filter(Objects::nonNull).distinct().count(),
                        rows.get(e.getKey()).get("dk").asLong(), e.getKey());
            }
            assertEquals(3 * 11, d.entries(d.store("-values-store")), "z's three open windows are left");
        }
    }

    @Test
    void cumulatingWindowsEndOnTheDistinctValuesUpToEachWindowsEnd() {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, window_start, window_end, "
                + STREAM_CALLS + " FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE)) "
                + "GROUP BY k, window_start, window_end", with(SKIP_LATE, CACHE_ON))) {
            assertWindows(windowed(d, ts -> {
                List<long[]> out = new ArrayList<>();
                long period = ts - ts % 180_000;
                for (long end = period + 60_000; end <= period + 180_000; end += 60_000) {
                    if (end > ts) {
                        out.add(new long[] {period, end});
                    }
                }
                return out;
            }, 3, rows, false), rows, "cumulate");
        }
    }

    private static final String TABLE_CALLS = "STDDEV_POP(DISTINCT d) AS sp, VAR_SAMP(DISTINCT d) AS vs, "
            + "STDDEV(DISTINCT v) AS ss, VAR_POP(DISTINCT v) AS vp, CORRELATION(DISTINCT v, d) AS corr, "
            + "COUNT_IF(DISTINCT d > 1) AS ci, BOOL_AND(DISTINCT d > 1) AS band, "
            + "BOOL_OR(DISTINCT v > 2) FILTER (WHERE d < 2) AS bor, COUNT(*) AS n";

    /** The table calls' expected fields over a group's live rows. */
    private static Map<String, Object> expectedTable(List<In> rows) {
        List<Double> d = rows.stream().map(In::d).filter(Objects::nonNull).distinct().toList();
        List<Double> v = rows.stream().map(In::v).filter(Objects::nonNull).distinct().map(Long::doubleValue).toList();
        Map<String, Object> out = new TreeMap<>();
        out.put("sp", variance(d, false, true));
        out.put("vs", variance(d, true, false));
        out.put("ss", variance(v, true, true));
        out.put("vp", variance(v, false, false));
        List<double[]> pairs = rows.stream().filter(r -> r.v() != null && r.d() != null)
                .map(r -> List.of(r.v().doubleValue(), r.d())).distinct().map(p -> new double[] {p.get(0), p.get(1)})
                .toList();
        double n = pairs.size();
        double x = 0;
        double y = 0;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (double[] p : pairs) {
            x += p[0];
            y += p[1];
            xx += p[0] * p[0];
            yy += p[1] * p[1];
            xy += p[0] * p[1];
        }
        out.put("corr", (n * xy - x * y) / Math.sqrt((n * xx - x * x) * (n * yy - y * y)));
        List<Boolean> above = d.stream().map(x1 -> x1 > 1).distinct().toList();
        out.put("ci", above.contains(true) ? 1L : 0L);
        out.put("band", above.isEmpty() ? null : !above.contains(false));
        List<Boolean> high = rows.stream().filter(r -> r.d() != null && r.d() < 2 && r.v() != null)
                .map(r -> r.v() > 2).distinct().toList();
        out.put("bor", high.isEmpty() ? null : high.contains(true));
        out.put("n", (long) rows.size());
        return out;
    }

    private static Double variance(List<Double> values, boolean sample, boolean root) {
        int n = values.size();
        if (n == 0 || sample && n == 1) {
            return null;
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        double m2 = values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        double var = m2 / (sample ? n - 1 : n);
        return root ? Math.sqrt(var) : var;
    }

    private static void assertTableRow(Map<String, Object> expected, JsonNode row, String context) {
        for (String f : List.of("sp", "vs", "ss", "vp", "corr")) {
            Double want = (Double) expected.get(f);
            Double got = dbl(row.get(f));
            if (want == null || got == null || want.isNaN()) {
                assertEquals(want, got, context + " " + f);
            } else {
                // incremental retraction rounds its last digits differently from this recomputation
                assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), context + " " + f + " " + row);
            }
        }
        assertEquals(expected.get("ci"), row.get("ci").asLong(), context);
        assertEquals(expected.get("band"), row.get("band").isNull() ? null : row.get("band").asBoolean(), context);
        assertEquals(expected.get("bor"), row.get("bor").isNull() ? null : row.get("bor").asBoolean(), context);
        assertEquals(expected.get("n"), row.get("n").asLong(), context);
    }

    @Test
    void aTableGroupByFollowsUpdatesDeletesAndMovesAndAnEmptiedGroupLeavesNothing() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            tableGroupBy(settings);
        }
    }

    private static void tableGroupBy(Map<String, String> settings) {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, d DOUBLE) "
                + "WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, " + TABLE_CALLS + " FROM users GROUP BY region";
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-values-store")), d.stores().toString());
            // a user moves between regions now and then: its values leave one group for another
            UsersByRegion<In> users = new UsersByRegion<>(d, new Random(23), 12, r -> r.nextInt(3) == 0 ? "us" : "eu");
            for (int i = 0; i < 110; i++) {
                users.step(1_000L * (i + 1), (random, out) -> {
                    String v = num(random, 5, false);
                    String dv = num(random, 6, true);
                    out.append(",\"v\":").append(v).append(",\"d\":").append(dv);
                    return in(v, dv);
                });
                String step = "step " + i;
                users.checkInOrder(step, (group, row) -> assertTableRow(expectedTable(group), row, step + ", " + settings));
            }
            users.deleteAll(1_000_000);
            assertEquals(0, d.entries(d.store("-values-store")), "every group emptied: no value is left");
        }
    }

    /** What sluice diff and the start-up guard compare: state format 13 is named in the store's description. */
    @Test
    void sluiceDiffSeesTheDistinctValuesInTheStoreExceptInSessions() {
        for (String window : List.of("", ", TUMBLE(ts, INTERVAL '1' MINUTE)", ", SESSION(ts, INTERVAL '1' MINUTE)")) {
            String store = aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, TOPK(DISTINCT v, 2) AS p "
                    + "FROM s GROUP BY k" + window);
            assertEquals(!window.contains("SESSION"), store.contains("DISTINCT values over <step>-values-store, "
                    + "state format 13"), window + ": " + store);
        }
        String table = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT) "
                + "WITH ('topic' = 'users', 'format' = 'json');\n";
        assertTrue(aggregateStore(table + "CREATE TABLE t AS SELECT region, STDDEV_POP(DISTINCT v) AS s FROM users "
                + "GROUP BY region").contains("state format 13"));
        // COUNT/SUM/AVG(DISTINCT) over a table and COUNT(DISTINCT) over a stream kept their format
        assertFalse(aggregateStore(table + "CREATE TABLE t AS SELECT region, SUM(DISTINCT v) AS s FROM users "
                + "GROUP BY region").contains("state format 13"));
        assertFalse(aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT(DISTINCT v) AS c FROM s GROUP BY k")
                .contains("state format 13"));
    }

    /** State format 22: a stream GROUP BY without a window keeps one distinct-store entry per group and value. */
    @Test
    void sluiceDiffSeesTheDistinctStoreKeyedPerValueWithoutAWindowOnly() {
        String perValue = "DISTINCT values one entry per group and value over <step>-distinct-store, state format 22";
        assertTrue(aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT(DISTINCT v) AS c, COUNT(DISTINCT v) "
                + "FILTER (WHERE v > 1) AS f FROM s GROUP BY k").contains(perValue));
        assertFalse(aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT(DISTINCT v) AS c FROM s "
                + "GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)").contains(perValue));
        assertFalse(aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT(v) AS c FROM s GROUP BY k")
                .contains(perValue));
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
