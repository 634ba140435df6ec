package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DISTINCT calls over a MAP (and an ARRAY of MAPs) count maps that differ only in the order of
 * their entries once: {@code <step>-distinct-store}, a table's {@code <step>-values-store} and a
 * session's distinct store key them by equality key, not by their arrival-ordered encoding. Random
 * input drawn from a few maps, each in several spellings, checked after every record against the
 * calls' definitions over the group's rows: a stream GROUP BY, tumbling windows, a table with
 * updates and deletes (a retracted spelling must retract the value the other spelling added), and
 * sessions that merge (a merge finds the values two sessions share whatever their spelling).
 */
class DistinctMapKeysScenarioTest {
    /** Per map value: its spellings (the entries in each order). Index = the value's identity. */
    private static final List<List<String>> MAPS = List.of(
            List.of("{\"p\":1,\"q\":2}", "{\"q\":2,\"p\":1}"),
            List.of("{\"p\":1,\"q\":3,\"r\":4}", "{\"r\":4,\"p\":1,\"q\":3}", "{\"q\":3,\"r\":4,\"p\":1}"),
            List.of("{\"p\":1}"),
            List.of("{}"));
    private static final String CALLS = "COUNT(DISTINCT m) AS cd_m, COUNT(DISTINCT am) AS cd_am, "
            + "SUM(DISTINCT v) AS sd_v, COUNT(*) AS n";
    private static final String TYPES = "m MAP<VARCHAR, BIGINT>, am ARRAY<MAP<VARCHAR, BIGINT>>, v BIGINT";
    private static final String STREAM = "CREATE STREAM s (k VARCHAR, " + TYPES + ", ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final long BASE = 3_600_000;

    /** A row: the identities of m (-1: NULL) and of am's elements (null: NULL array), and v. */
    private record In(int m, List<Integer> am, long v) {
        static In random(Random random, StringBuilder json) {
            int m = random.nextInt(6) == 0 ? -1 : random.nextInt(MAPS.size());
            List<Integer> am = random.nextInt(6) == 0 ? null
                    : List.of(random.nextInt(2), random.nextInt(2)).subList(0, 1 + random.nextInt(2));
            long v = random.nextInt(3);
            json.append(",\"m\":").append(m < 0 ? "null" : spelling(random, m)).append(",\"am\":");
            if (am == null) {
                json.append("null");
            } else {
                List<String> elements = new ArrayList<>();
                am.forEach(e -> elements.add(spelling(random, e)));
                json.append("[").append(String.join(",", elements)).append("]");
            }
            json.append(",\"v\":").append(v);
            return new In(m, am, v);
        }
    }

    private static String spelling(Random random, int map) {
        List<String> spellings = MAPS.get(map);
        return spellings.get(random.nextInt(spellings.size()));
    }

    private static Map<String, Long> expected(List<In> rows) {
        Map<String, Long> out = new TreeMap<>();
        out.put("cd_m", rows.stream().filter(r -> r.m() >= 0).map(In::m).distinct().count());
        out.put("cd_am", rows.stream().map(In::am).filter(Objects::nonNull).distinct().count());
        out.put("sd_v", rows.stream().map(In::v).distinct().mapToLong(Long::longValue).sum());
        out.put("n", (long) rows.size());
        return out;
    }

    private static Map<String, Long> actual(JsonNode row) {
        Map<String, Long> out = new TreeMap<>();
        for (String column : List.of("cd_m", "cd_am", "sd_v", "n")) {
            out.put(column, row.get(column).asLong());
        }
        return out;
    }

    @Test
    void aStreamGroupByCountsAMapOnceWhateverItsEntryOrder() {
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + CALLS
                + " FROM s GROUP BY k", Map.of("statestore.cache.max.bytes", "10485760"))) {
            Random random = new Random(7);
            Map<String, List<In>> groups = new TreeMap<>();
            Map<String, JsonNode> rows = new TreeMap<>();
            for (int i = 0; i < 40; i++) {
                String k = "k" + random.nextInt(2);
                StringBuilder json = new StringBuilder("{\"k\":\"" + k + "\",\"ts\":" + (BASE + i));
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(In.random(random, json));
                d.pipe("s", json.append("}").toString(), BASE + i);
                for (String record : d.read()) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    rows.put(row.get("k").asText(), row);
                }
                for (var group : groups.entrySet()) {
                    assertEquals(expected(group.getValue()), actual(rows.get(group.getKey())), "step " + i + ", " + group.getKey());
                }
            }
            // per group at most 4 maps and NULL, 2 + 4 arrays of maps and NULL, 3 values of v
            long entries = d.entries(d.store("-distinct-store"));
            assertTrue(entries > 0 && entries <= 2 * (5 + 7 + 3), "one entry per distinct value: " + entries);
        }
    }

    @Test
    void tumblingWindowsCountAMapOnceWhateverItsEntryOrder() {
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, "
                + "TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, " + CALLS
                + " FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)")) {
            Random random = new Random(60);
            Map<String, List<In>> windows = new TreeMap<>();
            Map<String, JsonNode> rows = new TreeMap<>();
            for (int i = 0; i < 40; i++) {
                long ts = BASE + i * 5_000L;
                String k = random.nextBoolean() ? "a" : "b";
                StringBuilder json = new StringBuilder("{\"k\":\"" + k + "\",\"ts\":" + ts);
                windows.computeIfAbsent(k + "@" + java.time.Instant.ofEpochMilli(ts - ts % 60_000), x -> new ArrayList<>())
                        .add(In.random(random, json));
                d.pipe("s", json.append("}").toString(), ts);
                collect(d, rows);
            }
            // a record far ahead closes every window (their results are final then)
            long far = BASE + 3_600_000;
            d.pipe("s", "{\"k\":\"z\",\"m\":{},\"am\":null,\"v\":0,\"ts\":" + far + "}", far);
            collect(d, rows);
            assertEquals(windows.keySet(), rows.keySet());
            windows.forEach((w, in) -> assertEquals(expected(in), actual(rows.get(w)), w));
        }
    }

    private static void collect(ChangelogDriver d, Map<String, JsonNode> rows) {
        for (String record : d.read()) {
            JsonNode row = ChangelogDriver.valueOf(record);
            if (row != null && !row.get("k").asText().equals("z")) {
                rows.put(row.get("k").asText() + "@" + java.time.Instant.parse(row.get("window_start").asText()), row);
            }
        }
    }

    @Test
    void aTableRetractsTheValueAnotherSpellingAdded() {
        for (Map<String, String> settings : List.of(Map.of("statestore.cache.max.bytes", "10485760"))) {
            String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, " + TYPES + ") "
                    + "WITH ('topic' = 'users', 'format' = 'json');\n"
                    + "CREATE STREAM c AS SELECT region, " + CALLS + " FROM users GROUP BY region";
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                UsersByRegion<In> users = new UsersByRegion<>(d, new Random(15), 6, r -> r.nextInt(4) == 0 ? "us" : "eu");
                for (int i = 0; i < 50; i++) {
                    users.step(1_000L * (i + 1), In::random);
                    users.check("step " + i, List.of("eu", "us"), DistinctMapKeysScenarioTest::expected,
                            DistinctMapKeysScenarioTest::actual);
                }
                users.deleteAll(1_000_000);
                assertEquals(0, d.entries(d.store("-values-store")), "every group emptied: no value is left");
            }
        }
    }

    /** Sessions of one minute's gap; bursts whose third record often merges the first two. */
    @Test
    void mergingSessionsCountASharedMapOnceWhateverItsEntryOrder() {
        try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + CALLS
                + " FROM s GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT CHANGES")) {
            Random random = new Random(12);
            Map<String, List<Object[]>> sessions = new TreeMap<>();
            Map<String, JsonNode> table = new TreeMap<>();
            int merges = 0;
            for (int i = 0; i < 45; i++) {
                long burst = BASE + (i / 3) * 200_000L;
                long ts = burst + random.nextInt(5) * 1_000L + switch (i % 3) {
                    case 0 -> 0L;
                    case 1 -> 100_000L;
                    default -> random.nextInt(4) == 0 ? 150_000L : 50_000L;
                };
                String k = (i / 3) % 2 == 0 ? "a" : "b";
                StringBuilder json = new StringBuilder("{\"k\":\"" + k + "\",\"ts\":" + ts);
                In in = In.random(random, json);
                d.pipe("s", json.append("}").toString(), ts);
                List<Object[]> all = sessions.computeIfAbsent(k, x -> new ArrayList<>());
                List<Object[]> reached = all.stream()
                        .filter(s -> (long) s[1] >= ts - 60_000 && (long) s[0] <= ts + 60_000).toList();
                List<In> merged = new ArrayList<>();
                long start = ts;
                long end = ts;
                for (Object[] s : reached) {
                    start = Math.min(start, (long) s[0]);
                    end = Math.max(end, (long) s[1]);
                    @SuppressWarnings("unchecked") List<In> held = (List<In>) s[2];
                    merged.addAll(held);
                }
                merges += reached.size() > 1 ? 1 : 0;
                merged.add(in);
                all.removeAll(reached);
                all.add(new Object[] {start, end, merged});
                for (String record : d.read()) {
                    String key = record.substring(0, record.indexOf(" -> "));
                    String value = record.substring(record.indexOf(" -> ") + 4, record.lastIndexOf(" @"));
                    JsonNode keyNode = ChangelogDriver.valueOf("x -> " + key + " @0");
                    String id = keyNode.get("k").asText() + "@" + java.time.Instant.parse(keyNode.get("window_start").asText());
                    if (value.equals("null")) {
                        table.remove(id);
                    } else {
                        table.put(id, ChangelogDriver.valueOf("x -> " + value + " @0"));
                    }
                }
                Map<String, Map<String, Long>> expected = new TreeMap<>();
                Map<String, Map<String, Long>> actual = new TreeMap<>();
                sessions.forEach((key, list) -> list.forEach(s -> {
                    @SuppressWarnings("unchecked") List<In> held = (List<In>) s[2];
                    expected.put(key + "@" + java.time.Instant.ofEpochMilli((long) s[0]), expected(held));
                }));
                table.forEach((id, row) -> actual.put(id, actual(row)));
                assertEquals(expected, actual, "step " + i);
            }
            assertTrue(merges > 5, "the input should merge sessions: " + merges);
        }
    }

    /** What sluice diff and the start-up guard compare: the new keys are state format 15. */
    @Test
    void sluiceDiffSeesTheEqualityKeys() {
        for (String window : List.of("", ", TUMBLE(ts, INTERVAL '1' MINUTE)", ", SESSION(ts, INTERVAL '1' MINUTE)")) {
            String store = aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT(DISTINCT m) AS x FROM s GROUP BY k"
                    + window);
            assertTrue(store.contains("DISTINCT values of MAP or VARIANT by equality key"), window + ": " + store);
        }
        assertTrue(aggregateStore("CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, " + TYPES + ") "
                + "WITH ('topic' = 'users', 'format' = 'json');\nCREATE TABLE c AS SELECT region, COUNT(DISTINCT am) AS x "
                + "FROM users GROUP BY region").contains("state format 15"));
        assertFalse(aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT(DISTINCT v) AS x FROM s GROUP BY k")
                .contains("state format 15"));
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
