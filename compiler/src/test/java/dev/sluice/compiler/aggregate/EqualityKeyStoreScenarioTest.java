package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
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
 * COUNT_DISTINCT and ATTR over ARRAY, MAP, STRUCT and BYTES keep their values in
 * {@code <step>-values-store} under their equality key, as over ordered types. Random input with
 * few distinct values (so values repeat, a group often holds one, and MAPs arrive with their
 * entries in either order), NULL values and NULL elements, checked after every record against the
 * functions' definitions over the group's rows (values compared as canonical JSON: a MAP is equal
 * to one with its entries in another order), with the record cache off and on: a table's updates
 * and deletes, a stream's GROUP BY and tumbling windows, and sessions that merge. Emptied groups,
 * closed windows and expired sessions leave nothing in the store; the state is format 15.
 */
class EqualityKeyStoreScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("a", "m", "r", "b");
    private static final String CALLS = "COUNT_DISTINCT(a) AS cd_a, ATTR(a) AS attr_a, COUNT_DISTINCT(m) AS cd_m, "
            + "ATTR(m) AS attr_m, COUNT_DISTINCT(r) AS cd_r, ATTR(r) AS attr_r, COUNT_DISTINCT(b) AS cd_b, "
            + "ATTR(b) AS attr_b, COUNT_DISTINCT(DISTINCT m) AS cdd_m, ATTR(DISTINCT a) AS attrd_a, COUNT(*) AS n";
    private static final String TYPES = "a ARRAY<BIGINT>, m MAP<VARCHAR, BIGINT>, r STRUCT<x BIGINT, y VARCHAR>, b BYTES";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    private static final List<String> ARRAYS = List.of("[]", "[1]", "[1,2]", "[2,1]", "[null]", "[1,null]");
    private static final List<String> STRUCTS = List.of("{\"x\":1,\"y\":\"a\"}", "{\"x\":null,\"y\":\"a\"}",
            "{\"x\":1,\"y\":null}", "{\"x\":2,\"y\":\"\"}");
    /** Base64 of no bytes, {0}, {0, 0}, {1}: a prefix and a concatenation of each other. */
    private static final List<String> BYTES = List.of("\"\"", "\"AA==\"", "\"AAA=\"", "\"AQ==\"");

    /** One random value of column {@code column} as JSON text (NULL one time in eight). */
    private static String value(Random random, String column, int variety) {
        if (random.nextInt(8) == 0) {
            return "null";
        }
        return switch (column) {
            case "a" -> ARRAYS.get(random.nextInt(Math.min(variety, ARRAYS.size())));
            case "r" -> STRUCTS.get(random.nextInt(Math.min(variety, STRUCTS.size())));
            case "b" -> BYTES.get(random.nextInt(Math.min(variety, BYTES.size())));
            default -> {
                // keys p, q (q: 2 or 3), each present or not, in a random order
                List<String> entries = new ArrayList<>();
                if (random.nextBoolean()) {
                    entries.add("\"p\":1");
                }
                if (variety > 1 && random.nextBoolean()) {
                    entries.add(random.nextBoolean() ? "\"q\":2" : "\"q\":3");
                }
                Collections.shuffle(entries, random);
                yield "{" + String.join(",", entries) + "}";
            }
        };
    }

    /** A row of the input: its four values as canonical JSON (null for NULL). */
    private record In(Map<String, String> values) {
        static In parse(Map<String, String> texts) {
            Map<String, String> out = new HashMap<>();
            texts.forEach((c, t) -> out.put(c, t.equals("null") ? null : canonical(json(t))));
            return new In(out);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    /** The node's JSON text with every object's fields sorted by name (a MAP's entry order is no part of it). */
    private static String canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(Comparator.naturalOrder());
            List<String> fields = new ArrayList<>();
            for (String name : names) {
                fields.add(JSON.valueToTree(name) + ":" + canonical(node.get(name)));
            }
            return "{" + String.join(",", fields) + "}";
        }
        if (node.isArray()) {
            List<String> elements = new ArrayList<>();
            node.forEach(e -> elements.add(canonical(e)));
            return "[" + String.join(",", elements) + "]";
        }
        return node.toString();
    }

    private static Map<String, Object> expected(List<In> rows) {
        Map<String, Object> out = new TreeMap<>();
        for (String c : COLUMNS) {
            out.put("cd_" + c, rows.stream().map(r -> r.values().get(c)).filter(Objects::nonNull).distinct().count());
            Set<String> values = new LinkedHashSet<>();
            rows.forEach(r -> values.add(r.values().get(c)));
            out.put("attr_" + c, values.size() == 1 ? values.iterator().next() : null);
        }
        out.put("cdd_m", out.get("cd_m"));
        out.put("attrd_a", out.get("attr_a"));
        out.put("n", (long) rows.size());
        return out;
    }

    private static Map<String, Object> actual(JsonNode row) {
        Map<String, Object> out = new TreeMap<>();
        for (String c : COLUMNS) {
            out.put("cd_" + c, row.get("cd_" + c).asLong());
            out.put("attr_" + c, row.get("attr_" + c).isNull() ? null : canonical(row.get("attr_" + c)));
        }
        out.put("cdd_m", row.get("cdd_m").asLong());
        out.put("attrd_a", row.get("attrd_a").isNull() ? null : canonical(row.get("attrd_a")));
        out.put("n", row.get("n").asLong());
        return out;
    }

    /** The JSON fields of a random row (after {@code prefix}) and its model. */
    private static In row(Random random, int variety, StringBuilder json) {
        Map<String, String> texts = new HashMap<>();
        for (String c : COLUMNS) {
            texts.put(c, value(random, c, variety));
            json.append(",\"").append(c).append("\":").append(texts.get(c));
        }
        return In.parse(texts);
    }

    @Test
    void aTableGroupByFollowsUpdatesAndDeletesAndAnEmptiedGroupLeavesNothing() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, " + TYPES + ") "
                    + "WITH ('topic' = 'users', 'format' = 'json');\n"
                    + "CREATE STREAM c AS SELECT region, " + CALLS + " FROM users GROUP BY region";
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                UsersByRegion<In> users = new UsersByRegion<>(d, new Random(15), 8, r -> r.nextBoolean() ? "eu" : "us");
                for (int i = 0; i < 100; i++) {
                    int variety = i < 30 ? 2 : 6;
                    users.step(1_000L * (i + 1), (random, json) -> row(random, variety, json));
                    users.check("step " + i, List.of("eu", "us"), EqualityKeyStoreScenarioTest::expected,
                            EqualityKeyStoreScenarioTest::actual);
                }
                assertTrue(d.entries(d.store("-values-store")) > 0, "the values are in the store");
                users.deleteAll(1_000_000);
                assertEquals(0, d.entries(d.store("-values-store")), "every group emptied: no value or note is left");
            }
        }
    }

    private static final String STREAM = "CREATE STREAM s (k VARCHAR, " + TYPES + ", ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final long BASE = 3_600_000;

    @Test
    void aStreamGroupByCountsEachGroupsDistinctValues() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            Map<String, JsonNode> rows = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + CALLS
                    + " FROM s GROUP BY k", settings)) {
                Random random = new Random(3);
                Map<String, List<In>> groups = new TreeMap<>();
                for (int i = 0; i < 120; i++) {
                    String k = "k" + random.nextInt(3);
                    StringBuilder json = new StringBuilder("{\"k\":\"" + k + "\",\"ts\":" + (BASE + i));
                    // a group's first rows are often all alike: ATTR has one value, then loses it
                    In in = row(random, i < 30 ? 1 : 6, json);
                    d.pipe("s", json.append("}").toString(), BASE + i);
                    groups.computeIfAbsent(k, x -> new ArrayList<>()).add(in);
                    for (String record : d.read()) {
                        JsonNode row = ChangelogDriver.valueOf(record);
                        rows.put(row.get("k").asText(), row);
                    }
                    for (var group : groups.entrySet()) {
                        assertEquals(expected(group.getValue()), actual(rows.get(group.getKey())),
                                "step " + i + ", " + group.getKey());
                    }
                }
                // per group at most: 4 columns' values (≤ 6 each, MAP ≤ 6) twice (DISTINCT calls) and notes
                long entries = d.entries(d.store("-values-store"));
                assertTrue(entries > 0 && entries <= 3 * (10 * 6 + 10), "bounded by the distinct values: " + entries);
            }
        }
    }

    @Test
    void tumblingWindowsEndOnEachWindowsValuesAndClosedWindowsLeaveTheStore() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            Map<String, JsonNode> rows = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, "
                    + "TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, " + CALLS
                    + " FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)", settings)) {
                Random random = new Random(60);
                Map<String, List<In>> windows = new TreeMap<>();
                long last = 0;
                for (int i = 0; i < 60; i++) {
                    long ts = BASE + i * 10_000L - random.nextInt(100) * 1_000L;
                    last = Math.max(last, ts);
                    String k = random.nextBoolean() ? "a" : "b";
                    StringBuilder json = new StringBuilder("{\"k\":\"" + k + "\",\"ts\":" + ts);
                    In in = row(random, 3, json);
                    d.pipe("s", json.append("}").toString(), ts);
                    windows.computeIfAbsent(k + "@" + java.time.Instant.ofEpochMilli(ts - ts % 60_000), x -> new ArrayList<>())
                            .add(in);
                    collect(d, rows);
                }
                long far = last + 3_600_000;
                d.pipe("s", "{\"k\":\"z\",\"a\":[7],\"m\":{},\"r\":null,\"b\":null,\"ts\":" + far + "}", far);
                collect(d, rows);
                assertEquals(windows.keySet(), rows.keySet());
                windows.forEach((w, in) -> assertEquals(expected(in), actual(rows.get(w)), w));
                // z's window only: a value and a note for each call over a ([7]) and m ({}), six calls;
                // a NULL note for ATTR(r) and ATTR(b) (COUNT_DISTINCT skips NULL); the window's index entry
                assertEquals(6 * 2 + 2 + 1, d.entries(d.store("-values-store")), settings.toString());
            }
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

    /** Sessions of one minute's gap that merge (never late), with the values of both moving into one. */
    @Test
    void sessionsMergeTheirValuesAndExpiredSessionsLeaveNothing() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            Map<String, JsonNode> table = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(STREAM + "CREATE TABLE t AS SELECT k, " + CALLS
                    + " FROM s GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT CHANGES", settings)) {
                Random random = new Random(12);
                // per key, its sessions: [start, end] and rows
                Map<String, List<Object[]>> sessions = new TreeMap<>();
                long last = 0;
                int merges = 0;
                for (int i = 0; i < 60; i++) {
                    // bursts of three records of one key 200 s apart: two sessions 100 s apart, then
                    // (mostly) a record between them that merges them, else one that extends the second
                    long burst = BASE + (i / 3) * 200_000L;
                    long ts = burst + random.nextInt(5) * 1_000L + switch (i % 3) {
                        case 0 -> 0L;
                        case 1 -> 100_000L;
                        default -> random.nextInt(4) == 0 ? 150_000L : 50_000L;
                    };
                    last = Math.max(last, ts);
                    String k = (i / 3) % 2 == 0 ? "a" : "b";
                    StringBuilder json = new StringBuilder("{\"k\":\"" + k + "\",\"ts\":" + ts);
                    In in = row(random, 3, json);
                    d.pipe("s", json.append("}").toString(), ts);
                    List<Object[]> all = sessions.computeIfAbsent(k, x -> new ArrayList<>());
                    List<Object[]> reached = all.stream().filter(s -> (long) s[1] >= ts - 60_000 && (long) s[0] <= ts + 60_000)
                            .toList();
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
                        JsonNode keyNode = json(key);
                        String id = keyNode.get("k").asText() + "@" + java.time.Instant.parse(keyNode.get("window_start").asText());
                        if (value.equals("null")) {
                            table.remove(id);
                        } else {
                            table.put(id, json(value));
                        }
                    }
                    Map<String, Map<String, Object>> expected = new TreeMap<>();
                    Map<String, Map<String, Object>> actual = new TreeMap<>();
                    sessions.forEach((key, list) -> list.forEach(s -> {
                        @SuppressWarnings("unchecked") List<In> held = (List<In>) s[2];
                        expected.put(key + "@" + java.time.Instant.ofEpochMilli((long) s[0]), expected(held));
                    }));
                    table.forEach((id, row) -> actual.put(id, actual(row)));
                    assertEquals(expected, actual, "step " + i);
                }
                assertTrue(merges > 10, "the input should merge sessions: " + merges);
                long far = last + 3_600_000;
                d.pipe("s", "{\"k\":\"z\",\"a\":null,\"m\":null,\"r\":null,\"b\":null,\"ts\":" + far + "}", far);
                d.read();
                // z's session: the NULL notes of the five ATTR calls (COUNT_DISTINCT skips NULL), its session entry
                assertTrue(d.entries(d.store("-values-store")) <= 6, "expired sessions leave nothing behind: "
                        + d.entries(d.store("-values-store")));
            }
        }
    }

    /** What sluice diff and the start-up guard compare: state format 15 is named in the store's description. */
    @Test
    void sluiceDiffSeesTheEqualityKeys() {
        for (String window : List.of("", ", TUMBLE(ts, INTERVAL '1' MINUTE)", ", SESSION(ts, INTERVAL '1' MINUTE)")) {
            String store = aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, ATTR(m) AS x FROM s GROUP BY k" + window);
            assertTrue(store.contains("by equality key over <step>-values-store, state format 15"), window + ": " + store);
        }
        assertFalse(aggregateStore(STREAM + "CREATE TABLE t AS SELECT k, COUNT_DISTINCT(k) AS x FROM s GROUP BY k")
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
