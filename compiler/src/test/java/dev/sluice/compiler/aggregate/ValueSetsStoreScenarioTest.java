package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COLLECT_SET and HISTOGRAM keep their values in {@code <step>-elements-store} by value, with their
 * first arrival's sequence number (ValueSets), and only a row count in the state. Each test drives
 * random input (duplicates, NULLs, FILTERs, out-of-order records; over a table updates, deletes and
 * rows moving between groups) with the record cache off and on, and checks the rows against a
 * model (first-seen order; over a table a value whose last row leaves is forgotten and, if it comes
 * back, listed last) and, over streams, the ordered changelog against the same query whose sets
 * stay in the value ({@link InValueCollections}); at the end the store holds
 * only the groups or open windows that are left.
 */
class ValueSetsStoreScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALLS = "COLLECT_SET(v) AS vs, HISTOGRAM(s) AS h, "
            + "COLLECT_SET(s) FILTER (WHERE v > 1) AS ss_f, HISTOGRAM(s) FILTER (WHERE v > 1) AS h_f, COUNT(*) AS n";
    private static final String STREAM = "CREATE STREAM s (k VARCHAR, v BIGINT, s VARCHAR, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    /** A row: v BIGINT and s VARCHAR, either may be NULL. */
    private record In(Long v, String s) {
        boolean filtered() {
            return v != null && v > 1;
        }
    }

    /** The model of one group's calls: value → count in first-seen order, as the in-value accumulator keeps it. */
    private static final class Group {
        final Map<Object, Long> vs = new LinkedHashMap<>();
        final Map<Object, Long> h = new LinkedHashMap<>();
        final Map<Object, Long> ssF = new LinkedHashMap<>();
        final Map<Object, Long> hF = new LinkedHashMap<>();
        long n;

        void apply(In row, int delta) {
            n += delta;
            count(vs, row.v(), delta);
            if (row.s() != null) {
                count(h, row.s(), delta);
            }
            if (row.filtered()) {
                count(ssF, row.s(), delta);
                if (row.s() != null) {
                    count(hF, row.s(), delta);
                }
            }
        }

        private static void count(Map<Object, Long> counts, Object value, int delta) {
            if (delta > 0) {
                counts.merge(value, 1L, Long::sum);
            } else {
                counts.computeIfPresent(value, (x, c) -> c > 1 ? c - 1 : null);
            }
        }

        String expected() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("vs", vs.isEmpty() ? null : new ArrayList<>(vs.keySet()));
            out.put("h", h);
            out.put("ss_f", ssF.isEmpty() ? null : new ArrayList<>(ssF.keySet()));
            out.put("h_f", hF);
            out.put("n", n);
            return JSON.valueToTree(out).toString();
        }
    }

    private static String actual(JsonNode row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : List.of("vs", "h", "ss_f", "h_f", "n")) {
            out.put(f, row.get(f));
        }
        return JSON.valueToTree(out).toString();
    }

    private static In randomRow(Random r) {
        Long v = r.nextInt(7) == 0 ? null : (long) r.nextInt(4);
        String s = r.nextInt(6) == 0 ? null : "s" + r.nextInt(5);
        return new In(v, s);
    }

    private static String json(In row) {
        return "\"v\":" + row.v() + ",\"s\":" + (row.s() == null ? "null" : "\"" + row.s() + "\"");
    }

    @Test
    void aStreamGroupByListsFirstSeenValuesAndEqualsTheSetsInTheValue() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String u = STREAM.replace("STREAM s ", "STREAM u ").replace("'s'", "'u'");
            try (ChangelogDriver d = new ChangelogDriver(STREAM + u
                    + "CREATE TABLE inValue AS SELECT k, " + CALLS + InValueCollections.PAD + " FROM u GROUP BY k;\n"
                    + "CREATE TABLE stored AS SELECT k, " + CALLS + " FROM s GROUP BY k", settings)) {
                String store = "stored-aggregate-elements-store";
                assertTrue(d.stores().contains(store), d.stores().toString());
                assertFalse(d.stores().contains("invalue-aggregate-elements-store"), d.stores().toString());
                Random random = new Random(11);
                Map<String, Group> groups = new TreeMap<>();
                Map<String, JsonNode> rows = new TreeMap<>();
                List<String> inValue = new ArrayList<>();
                List<String> stored = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    String k = "k" + random.nextInt(3);
                    In row = randomRow(random);
                    long ts = 3_600_000L + i * 1_000L - random.nextInt(30) * 1_000L;
                    String record = "{\"k\":\"" + k + "\"," + json(row) + ",\"ts\":" + ts + "}";
                    d.pipe("s", record, ts);
                    d.pipe("u", record, ts);
                    groups.computeIfAbsent(k, x -> new Group()).apply(row, 1);
                    List<String> out = d.output("stored");
                    for (String r : out) {
                        JsonNode node = ChangelogDriver.valueOf(r + " @");
                        rows.put(node.get("k").asText(), node);
                    }
                    for (var g : groups.entrySet()) {
                        assertEquals(g.getValue().expected(), actual(rows.get(g.getKey())), "step " + i + ", " + g.getKey());
                    }
                    d.output("inValue").forEach(r -> inValue.add(InValueCollections.strip(r)));
                    stored.addAll(out);
                }
                assertEquals(inValue, stored, settings.toString());
                // per group: its entry, and per distinct value of each call an element and an index entry
                long expected = 0;
                for (Group g : groups.values()) {
                    expected += 1 + 2L * (g.vs.size() + g.h.size() + g.ssF.size() + g.hF.size());
                }
                assertEquals(expected, d.entries(store), settings.toString());
            }
        }
    }

    /** {@code lastWindows}: how many windows hold the last record; {@code final}: EMIT FINAL. */
    @ParameterizedTest(name = "{0}{1}")
    @CsvSource({
            "'TUMBLE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE)', ' EMIT CHANGES', 1",
            "'TUMBLE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE)', '', 1",
            "'HOP(TABLE x, DESCRIPTOR(ts), INTERVAL ''30'' SECOND, INTERVAL ''2'' MINUTE)', ' EMIT CHANGES', 4",
            "'CUMULATE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE, INTERVAL ''3'' MINUTE)', '', 3",
    })
    void windowsGiveTheChangelogOfTheSetsInTheValueAndClosedWindowsLeaveTheStore(String window, String emit,
                                                                                int lastWindows) {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String u = STREAM.replace("STREAM s ", "STREAM u ").replace("'s'", "'u'");
            String group = " GROUP BY k, window_start, window_end" + emit + ";\n";
            try (ChangelogDriver d = new ChangelogDriver(STREAM + u
                    + "CREATE TABLE stored AS SELECT k, window_start, " + CALLS + " FROM TABLE("
                    + window.replace("TABLE x", "TABLE s") + ")" + group
                    + "CREATE TABLE inValue AS SELECT k, window_start, " + CALLS + InValueCollections.PAD + " FROM TABLE("
                    + window.replace("TABLE x", "TABLE u") + ")" + group, settings)) {
                String store = "stored-aggregate-elements-store";
                assertTrue(d.stores().contains(store), d.stores().toString());
                Random random = new Random(window.hashCode() + emit.hashCode());
                long now = 3_600_000;
                for (int i = 0; i < 80; i++) {
                    // mostly a few seconds on, sometimes ten minutes (closing every open window)
                    now += random.nextInt(15) == 0 ? 600_000 : random.nextInt(4_000);
                    // up to 110 s back, within the grace (the watermark is 2 minutes behind)
                    long time = now - (random.nextInt(8) == 0 ? random.nextInt(110_000) : 0);
                    String json = "{\"k\":\"k" + random.nextInt(3) + "\"," + json(randomRow(random)) + ",\"ts\":" + time
                            + "}";
                    d.pipe("s", json, time);
                    d.pipe("u", json, time);
                }
                // 10 s into an hour at least an hour later: every earlier window closes
                long end = (now / 3_600_000 + 2) * 3_600_000 + 10_000;
                d.pipe("s", "{\"k\":\"end\",\"v\":1,\"s\":\"x\",\"ts\":" + end + "}", end);
                d.pipe("u", "{\"k\":\"end\",\"v\":1,\"s\":\"x\",\"ts\":" + end + "}", end);
                List<String> stored = d.output("stored");
                List<String> inValue = new ArrayList<>();
                for (String r : d.output("inValue")) {
                    inValue.add(InValueCollections.strip(r));
                }
                assertTrue(stored.size() >= 10, "rows: " + stored.size());
                assertTrue(stored.stream().anyMatch(r -> r.contains("null")), "NULL values are listed");
                assertEquals(inValue, stored, settings.toString());
                // left: the last record's open windows, each an entry, the value 1 of vs and "x" of h
                // (the FILTERs drop v 1), each an element and an index entry; EMIT CHANGES: a closing entry
                assertEquals(lastWindows * (emit.isEmpty() ? 5 : 6), d.entries(store), settings.toString());
            }
        }
    }

    /** Equal maps built in different orders are one value, listed as it first arrived (Map#equals, as the in-value set). */
    @Test
    void equalMapsInAnotherOrderAreOneValue() {
        try (ChangelogDriver d = new ChangelogDriver("CREATE STREAM m (k VARCHAR, v MAP<VARCHAR, BIGINT>) "
                + "WITH ('topic' = 'm', 'format' = 'json');\n"
                + "CREATE TABLE t AS SELECT k, COLLECT_SET(v) AS vs FROM m GROUP BY k")) {
            d.pipe("m", "{\"k\":\"a\",\"v\":{\"x\":1,\"y\":2}}", 1);
            d.pipe("m", "{\"k\":\"a\",\"v\":{\"y\":2,\"x\":1}}", 2);
            d.pipe("m", "{\"k\":\"a\",\"v\":{\"y\":3,\"x\":1}}", 3);
            List<String> out = d.output("t");
            // the second record changes nothing: no row (an unchanged update is dropped)
            assertEquals(2, out.size(), out.toString());
            assertTrue(out.get(1).endsWith("{\"k\":\"a\",\"vs\":[{\"x\":1,\"y\":2},{\"y\":3,\"x\":1}]}"), out.toString());
            assertEquals(1 + 2 * 2, d.entries("t-aggregate-elements-store"), d.stores().toString());
        }
    }

    /**
     * SESSION windows keep COLLECT_SET and HISTOGRAM per session in their own store too
     * ({@code SessionOrderedElements}, see SessionOrderedCollectionsScenarioTest) beside an ARRAY_AGG
     * whose elements are in the session store: a bridged session still lists each value once.
     */
    @Test
    void sessionsKeepTheSetsPerSessionBesideAStoredArray() {
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE STREAM t AS SELECT k, "
                + "COLLECT_SET(v) AS vs, HISTOGRAM(s) AS h, ARRAY_AGG(v) AS all_v FROM s "
                + "GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT FINAL")) {
            long t = 3_600_000;
            d.pipe("s", "{\"k\":\"a\",\"v\":1,\"s\":\"x\",\"ts\":" + t + "}", t);
            d.pipe("s", "{\"k\":\"a\",\"v\":2,\"s\":\"y\",\"ts\":" + (t + 100_000) + "}", t + 100_000);
            // bridges the two sessions
            d.pipe("s", "{\"k\":\"a\",\"v\":1,\"s\":\"x\",\"ts\":" + (t + 50_000) + "}", t + 50_000);
            d.pipe("s", "{\"k\":\"b\",\"v\":3,\"s\":null,\"ts\":" + (t + 3_600_000) + "}", t + 3_600_000);
            List<String> out = d.output("t");
            assertEquals(1, out.size(), out.toString());
            JsonNode row = ChangelogDriver.valueOf(out.get(0) + " @");
            assertEquals(2, row.get("vs").size(), row.toString());
            assertTrue(row.get("vs").toString().contains("1") && row.get("vs").toString().contains("2"), row.toString());
            try {
                // field order aside (the sessions' merge order decides it)
                assertEquals(JSON.readTree("{\"x\":2,\"y\":1}"), row.get("h"));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertEquals(3, row.get("all_v").size());
        }
    }

    @Test
    void aTableGroupByForgetsAValueWithItsLastRowAndListsItLastWhenItComesBack() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, s VARCHAR) "
                    + "WITH ('topic' = 'users', 'format' = 'json');\n"
                    + "CREATE STREAM c AS SELECT region, " + CALLS + " FROM users GROUP BY region";
            Random random = new Random(17);
            Map<String, In> live = new HashMap<>();
            Map<String, String> regionOf = new HashMap<>();
            Map<String, Group> groups = new TreeMap<>();
            Map<String, JsonNode> rows = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                String store = d.stores().stream().filter(x -> x.endsWith("-elements-store")).findFirst()
                        .orElseThrow(() -> new AssertionError(d.stores().toString()));
                for (int i = 0; i < 160; i++) {
                    String user = "u" + random.nextInt(12);
                    long t = 1_000L * (i + 1);
                    if (live.containsKey(user)) {
                        // the old row leaves its group first, as the aggregate retracts before it adds
                        groups.get(regionOf.get(user)).apply(live.get(user), -1);
                    }
                    if (random.nextInt(6) == 0) {
                        d.pipe("users", user, null, t);
                        live.remove(user);
                        regionOf.remove(user);
                    } else {
                        String region = random.nextInt(3) == 0 ? "eu" : "us";
                        In row = randomRow(random);
                        d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\","
                                + json(row) + "}", t);
                        live.put(user, row);
                        regionOf.put(user, region);
                        groups.computeIfAbsent(region, x -> new Group()).apply(row, 1);
                    }
                    for (String record : d.read()) {
                        JsonNode row = ChangelogDriver.valueOf(record);
                        switch (row.get("op").asText()) {
                            case "+I", "+U" -> rows.put(row.get("region").asText(), row);
                            case "-D" -> rows.remove(row.get("region").asText());
                            default -> { }
                        }
                    }
                    for (var g : groups.entrySet()) {
                        if (g.getValue().n == 0) {
                            assertFalse(rows.containsKey(g.getKey()), "step " + i + ": " + g.getKey() + " has no row");
                        } else {
                            assertEquals(g.getValue().expected(), actual(rows.get(g.getKey())),
                                    "step " + i + ", " + g.getKey());
                        }
                    }
                }
                for (String user : new ArrayList<>(live.keySet())) {
                    d.pipe("users", user, null, 1_000_000);
                }
                d.read();
                assertEquals(0, d.entries(store), "every group emptied: no value is left");
            }
        }
    }
}
