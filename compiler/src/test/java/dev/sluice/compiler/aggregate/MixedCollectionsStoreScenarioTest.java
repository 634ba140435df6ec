package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * COLLECT_SET and HISTOGRAM ({@code ValueSets}) beside ARRAY_AGG with ORDER BY or DISTINCT and
 * FIRST/LAST with ORDER BY in one GROUP BY: both kinds of entries share {@code <step>-elements-store}
 * (the sets' index keys start with 0x53, the sorted elements are kind 1 with a sort key, a table's
 * DISTINCT values kind 5), and the step writes state format 14.
 *
 * <p>Over a stream (without window, TUMBLE, HOP, CUMULATE, both emit modes, cache off and on) the
 * ordered changelog equals that of the same calls in the value: the second query also has
 * {@code ARRAY_AGG(DISTINCT v)} and is kept in the value ({@link InValueCollections}; a stream's
 * DISTINCT ARRAY_AGG in the store: {@code DistinctCollectionsStoreScenarioTest}); the queries read two streams with
 * the same records, so that the optimizer shares no aggregate. Over a table every call, DISTINCT
 * included, is in the store and the rows are checked after every change against a model of the
 * in-value accumulators. At the end the store holds only the open windows (without window: every
 * group's entries; over a table, once every row is deleted: nothing).
 */
class MixedCollectionsStoreScenarioTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, w VARCHAR, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String CALLS = "COLLECT_SET(v) AS cs, HISTOGRAM(w) AS h, ARRAY_AGG(v ORDER BY w DESC) AS srt, "
            + "FIRST(v ORDER BY w) AS f, LAST(v ORDER BY w) AS l, ARRAY_AGG(v) AS plain, COUNT(*) AS n";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    /** {@code lastWindows}: how many windows hold the last record (0: no window). */
    @ParameterizedTest(name = "{0} {1} cache {3}")
    @CsvSource({
            "'', '', 0, true",
            "'TUMBLE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE)', ' EMIT CHANGES', 1, false",
            "'HOP(TABLE x, DESCRIPTOR(ts), INTERVAL ''30'' SECOND, INTERVAL ''2'' MINUTE)', ' EMIT CHANGES', 4, true",
            "'CUMULATE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE, INTERVAL ''3'' MINUTE)', '', 3, false",
    })
    void aStreamsSetsAndSortedListsInTheStoreGiveTheChangelogOfTheValue(String window, String emit, int lastWindows,
                                                                      boolean cache) {
        String u = S.replace("STREAM s ", "STREAM u ").replace("'s'", "'u'");
        boolean windowed = !window.isEmpty();
        String columns = windowed ? "k, window_start, " + CALLS : "k, " + CALLS;
        String group = windowed ? " GROUP BY k, window_start, window_end" + emit + ";\n" : " GROUP BY k;\n";
        String from = windowed ? "TABLE(" + window + ")" : "x";
        try (ChangelogDriver d = new ChangelogDriver(S + u
                + "CREATE TABLE stored AS SELECT " + columns + " FROM " + from.replace("x", "s") + group
                + "CREATE TABLE inValue AS SELECT " + columns + ", ARRAY_AGG(DISTINCT v) AS dist" + InValueCollections.PAD + " FROM "
                + from.replace("x", "u") + group, cache ? CACHE_ON : Map.of())) {
            String store = "stored-aggregate-elements-store";
            assertTrue(d.stores().contains(store), d.stores().toString());
            assertFalse(d.stores().contains("invalue-aggregate-elements-store"), d.stores().toString());
            Random random = new Random(window.hashCode() + emit.hashCode() + (cache ? 1 : 0));
            String[] keys = {"a", "ab", "b", "", null, "b"};
            Map<String, Integer> records = new HashMap<>();
            Map<String, Set<Long>> values = new HashMap<>();
            Map<String, Set<String>> words = new HashMap<>();
            long now = 3_600_000;
            for (int i = 0; i < 60; i++) {
                // mostly a few seconds on, sometimes ten minutes (closing every open window)
                now += random.nextInt(15) == 0 ? 600_000 : random.nextInt(4_000);
                // up to 110 s back, within the grace (the watermark is 2 minutes behind)
                long time = now - (random.nextInt(10) == 0 ? random.nextInt(110_000) : 0);
                Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(5);
                String w = keys[random.nextInt(keys.length)];
                String k = "k" + random.nextInt(3);
                String json = "{\"k\":\"" + k + "\",\"v\":" + v + ",\"w\":" + (w == null ? "null" : "\"" + w + "\"")
                        + ",\"ts\":" + time + "}";
                d.pipe("s", json, time);
                d.pipe("u", json, time);
                records.merge(k, 1, Integer::sum);
                values.computeIfAbsent(k, x -> new HashSet<>()).add(v);
                if (w != null) {
                    words.computeIfAbsent(k, x -> new HashSet<>()).add(w);
                }
            }
            // 10 s into an hour at least an hour later: every earlier window closes
            long end = (now / 3_600_000 + 2) * 3_600_000 + 10_000;
            d.pipe("s", "{\"k\":\"end\",\"v\":1,\"w\":\"z\",\"ts\":" + end + "}", end);
            d.pipe("u", "{\"k\":\"end\",\"v\":1,\"w\":\"z\",\"ts\":" + end + "}", end);
            List<String> stored = d.output("stored");
            List<String> inValue = new ArrayList<>();
            for (String r : d.output("inValue")) {
                inValue.add(InValueCollections.strip(r).replaceAll(",\"dist\":(null|\\[[^\\]]*\\])", ""));
            }
            assertTrue(stored.size() >= 10, "rows: " + stored.size());
            assertTrue(stored.stream().anyMatch(r -> r.contains("\"h\":{\"")), "HISTOGRAM counts words");
            assertEquals(inValue, stored);
            long expected;
            if (windowed) {
                // per open window: its entry, one sorted and one plain element, the value 1 and the
                // word "z" each as an element and an index entry; EMIT CHANGES: a closing entry
                expected = lastWindows * (emit.isEmpty() ? 7 : 8);
            } else {
                // per group: its entry, two elements per record, an element and an index entry per
                // distinct value (NULL one of them) and per distinct word
                expected = 1 + 2 + 2 + 2;
                for (String k : records.keySet()) {
                    expected += 1 + 2L * records.get(k) + 2L * values.get(k).size()
                            + 2L * words.getOrDefault(k, Set.of()).size();
                }
            }
            assertEquals(expected, d.entries(store));
        }
    }

    @Test
    void aTablesSetsDistinctAndSortedCallsFollowUpdatesAndDeletesWithTheCacheOff() {
        runTable(Map.of());
    }

    @Test
    void aTablesSetsDistinctAndSortedCallsFollowUpdatesAndDeletesWithTheCacheOn() {
        runTable(CACHE_ON);
    }

    /** One live input row: its value and sort key (either may be NULL) and its event time (FIRST/LAST's retraction). */
    private record Entry(Long v, String k, long ts) {
        Entry untimed() {
            return new Entry(v, k, 0);
        }
    }

    private static final Comparator<String> ASCENDING = Comparator.nullsLast(Comparator.<String>naturalOrder());

    private static List<Long> sorted(List<Entry> entries) {
        List<Entry> copy = new ArrayList<>(entries);
        copy.sort(Comparator.comparing(Entry::k, ASCENDING));
        return copy.stream().map(Entry::v).toList();
    }

    /** Takes the latest arrival equal to {@code e} out, or the first ({@code first}: a Flink-dialect ARRAY_AGG). */
    private static void remove(List<Entry> list, Entry e, boolean first) {
        for (int j = 0; j < list.size(); j++) {
            int i = first ? j : list.size() - 1 - j;
            if (Objects.equals(list.get(i), e)) {
                list.remove(i);
                return;
            }
        }
        throw new AssertionError("no " + e + " in " + list);
    }

    private static <K> void count(Map<K, Integer> counts, K key, int delta) {
        counts.merge(key, delta, Integer::sum);
        if (counts.get(key) == 0) {
            counts.remove(key);
        }
    }

    /** The model of one group: the accumulators' definitions, as the in-value code keeps them. */
    private static final class Group {
        final List<Entry> arrivals = new ArrayList<>();
        final List<Entry> candidates = new ArrayList<>();
        /** COLLECT_SET(v) and ARRAY_AGG(DISTINCT v): the live values in the order they last became live, NULL too. */
        final Map<Long, Integer> values = new LinkedHashMap<>();
        /** HISTOGRAM(k): the live non-NULL keys, same order. */
        final Map<String, Integer> keys = new LinkedHashMap<>();

        void add(Entry e) {
            arrivals.add(e.untimed());
            candidates.add(e);
            count(values, e.v(), 1);
            if (e.k() != null) {
                count(keys, e.k(), 1);
            }
        }

        void retract(Entry e) {
            remove(arrivals, e.untimed(), true);
            remove(candidates, e, false);
            count(values, e.v(), -1);
            if (e.k() != null) {
                count(keys, e.k(), -1);
            }
        }

        String expected() {
            List<Long> firstCandidates = sorted(candidates.stream().filter(e -> e.v() != null).toList());
            return "cs=" + new ArrayList<>(values.keySet()) + " h=" + keys + " asc=" + sorted(arrivals)
                    + " dist=" + new ArrayList<>(values.keySet())
                    + " first=" + (firstCandidates.isEmpty() ? null : firstCandidates.get(0))
                    + " last=" + (firstCandidates.isEmpty() ? null : firstCandidates.get(firstCandidates.size() - 1))
                    + " n=" + arrivals.size();
        }
    }

    private static String actual(JsonNode row) {
        Map<String, Integer> histogram = new LinkedHashMap<>();
        row.get("h").fields().forEachRemaining(e -> histogram.put(e.getKey(), e.getValue().asInt()));
        return "cs=" + list(row.get("cs")) + " h=" + histogram + " asc=" + list(row.get("asc"))
                + " dist=" + list(row.get("dist")) + " first=" + value(row.get("f")) + " last=" + value(row.get("l"))
                + " n=" + row.get("n").asLong();
    }

    private static Long value(JsonNode node) {
        return node.isNull() ? null : node.asLong();
    }

    private static List<Long> list(JsonNode array) {
        if (array.isNull()) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        array.forEach(e -> out.add(e.isNull() ? null : e.asLong()));
        return out;
    }

    private static void runTable(Map<String, String> settings) {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, k VARCHAR, "
                + "ts TIMESTAMP ROWTIME) WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, COLLECT_SET(v) AS cs, HISTOGRAM(k) AS h, "
                + "ARRAY_AGG(v ORDER BY k) AS asc, ARRAY_AGG(DISTINCT v) AS dist, FIRST(v ORDER BY k) AS f, "
                + "LAST(v ORDER BY k) AS l, COUNT(*) AS n FROM users GROUP BY region";
        Random random = new Random(43);
        Map<String, Entry> live = new HashMap<>();
        Map<String, String> regionOf = new HashMap<>();
        Map<String, Group> groups = new TreeMap<>();
        Map<String, JsonNode> rows = new TreeMap<>();
        String[] keys = {"a", "ab", "b", "", null, "b"};
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            String store = "c-aggregate-elements-store";
            assertTrue(d.stores().contains(store), d.stores().toString());
            for (int i = 0; i < 120; i++) {
                String user = "u" + random.nextInt(10);
                if (live.containsKey(user)) {
                    // the old row leaves its group first, as the aggregate retracts before it adds
                    groups.get(regionOf.remove(user)).retract(live.remove(user));
                }
                if (random.nextInt(6) == 0) {
                    d.pipe("users", user, null, 1_000L * i);
                } else {
                    String region = random.nextBoolean() ? "eu" : "us";
                    Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(4);
                    String k = keys[random.nextInt(keys.length)];
                    d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\",\"v\":" + v
                            + ",\"k\":" + (k == null ? "null" : "\"" + k + "\"") + ",\"ts\":" + 1_000L * i + "}",
                            1_000L * i);
                    Entry e = new Entry(v, k, 1_000L * i);
                    live.put(user, e);
                    regionOf.put(user, region);
                    groups.computeIfAbsent(region, r -> new Group()).add(e);
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
                    if (g.getValue().arrivals.isEmpty()) {
                        assertFalse(rows.containsKey(g.getKey()), "step " + i + ": " + g.getKey() + " has no row");
                    } else {
                        assertEquals(g.getValue().expected(), actual(rows.get(g.getKey())), "step " + i + ", " + g.getKey());
                    }
                }
            }
            for (String user : new ArrayList<>(live.keySet())) {
                d.pipe("users", user, null, 1_000_000);
            }
            d.read();
            assertEquals(0, d.entries(store), "every group emptied: no element, value, index entry or counter is left");
        }
    }
}
