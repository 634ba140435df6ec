package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table GROUP BY's {@code ARRAY_AGG(x ORDER BY k [DESC])}, {@code ARRAY_AGG(DISTINCT x)},
 * {@code ARRAY_AGG(DISTINCT x ORDER BY k)}, {@code FIRST/LAST(x ORDER BY k)} and
 * {@code LAST(DISTINCT x)} in {@code <step>-elements-store} ({@code TableElements}, state format
 * 11): random updates, deletes, rows moving between groups, duplicate values, NULL values and sort
 * keys, ties in the sort key, checked after every record against the accumulators' definitions
 * kept here (arrival order with the first equal entry retracted, as Flink's ARRAY_AGG does: the
 * script is Flink's; for FIRST/LAST the latest with an equal event time too; then a stable sort, NULL keys
 * last ascending and first descending; DISTINCT: the live values in the order they last became
 * live), with the record cache off and on. Once every row is deleted the store is empty.
 */
class SortedTableElementsScenarioTest {
    private static final String STORE = "c-aggregate-elements-store";

    /**
     * One live input row: its element and its sort key (either may be NULL), and its event time,
     * which FIRST/LAST's retraction matches too (0 where only the element and key count).
     */
    private record Entry(Long v, String k, long ts) {
        Entry untimed() {
            return new Entry(v, k, 0);
        }
    }

    @Test
    void sortedAndDistinctListsFollowUpdatesAndDeletesWithTheCacheOff() {
        run(Map.of());
    }

    @Test
    void sortedAndDistinctListsFollowUpdatesAndDeletesWithTheCacheOn() {
        run(Map.of("statestore.cache.max.bytes", "10485760"));
    }

    private static final Comparator<String> ASCENDING = Comparator.nullsLast(Comparator.<String>naturalOrder());

    /** The elements of {@code entries} sorted stably by their keys ({@code descending}: reversed, NULLs first). */
    private static List<Long> sorted(List<Entry> entries, boolean descending) {
        List<Entry> copy = new ArrayList<>(entries);
        Comparator<String> keys = descending ? ASCENDING.reversed() : ASCENDING;
        copy.sort(Comparator.comparing(Entry::k, keys));
        return copy.stream().map(Entry::v).toList();
    }

    private static String expected(List<Entry> arrivals, List<Entry> candidates, Map<Long, Integer> distinct,
                                   Map<Entry, Integer> distinctPairs) {
        List<Entry> nonNull = candidates.stream().filter(e -> e.v() != null).toList();
        List<Long> firstCandidates = sorted(nonNull, false);
        List<Entry> pairs = new ArrayList<>(distinctPairs.keySet());
        List<Long> distinctValues = new ArrayList<>(distinct.keySet());
        Long lastDistinct = null;
        for (Long v : distinctValues) {
            if (v != null) {
                lastDistinct = v;
            }
        }
        return "asc=" + sorted(arrivals, false) + " desc=" + sorted(arrivals, true)
                + " dist=" + distinctValues + " distsorted=" + sorted(pairs, true)
                + " first=" + (firstCandidates.isEmpty() ? null : firstCandidates.get(0))
                + " last=" + (firstCandidates.isEmpty() ? null : firstCandidates.get(firstCandidates.size() - 1))
                + " lastdist=" + lastDistinct;
    }

    private static String actual(JsonNode row) {
        return "asc=" + list(row.get("asc")) + " desc=" + list(row.get("dsc")) + " dist=" + list(row.get("dist"))
                + " distsorted=" + list(row.get("ds")) + " first=" + value(row.get("f")) + " last=" + value(row.get("l"))
                + " lastdist=" + value(row.get("ld"));
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

    private static <K> void countIn(Map<K, Integer> counts, K key) {
        counts.merge(key, 1, Integer::sum);
    }

    private static <K> void countOut(Map<K, Integer> counts, K key) {
        int n = counts.get(key);
        if (n == 1) {
            counts.remove(key);
        } else {
            counts.put(key, n - 1);
        }
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

    private static void run(Map<String, String> settings) {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, k VARCHAR, "
                + "ts TIMESTAMP ROWTIME) WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, ARRAY_AGG(v ORDER BY k) AS asc, "
                + "COLLECT_LIST(v ORDER BY k DESC) AS dsc, ARRAY_AGG(DISTINCT v) AS dist, "
                + "ARRAY_AGG(DISTINCT v ORDER BY k DESC) AS ds, FIRST(v ORDER BY k) AS f, LAST(v ORDER BY k) AS l, "
                + "LAST(DISTINCT v) AS ld, COUNT(*) AS n FROM users GROUP BY region";
        Random random = new Random(31);
        Map<String, Entry> live = new HashMap<>();
        Map<String, String> regionOf = new HashMap<>();
        Map<String, List<Entry>> arrivals = new TreeMap<>();
        Map<String, List<Entry>> candidates = new TreeMap<>();
        Map<String, Map<Long, Integer>> distinct = new TreeMap<>();
        Map<String, Map<Entry, Integer>> distinctPairs = new TreeMap<>();
        Map<String, JsonNode> rows = new TreeMap<>();
        // keys with a shared prefix, an empty one and NULL: VARCHAR order and NULL placement
        String[] keys = {"a", "ab", "b", "", null, "b"};
        try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
            assertTrue(d.stores().contains(STORE), d.stores().toString());
            for (int i = 0; i < 250; i++) {
                String user = "u" + random.nextInt(10);
                if (live.containsKey(user)) {
                    Entry gone = live.remove(user);
                    String region = regionOf.get(user);
                    remove(arrivals.get(region), gone.untimed(), true);
                    remove(candidates.get(region), gone, false);
                    countOut(distinct.get(region), gone.v());
                    countOut(distinctPairs.get(region), gone.untimed());
                }
                if (random.nextInt(6) == 0) {
                    d.pipe("users", user, null, 1_000L * i);
                    regionOf.remove(user);
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
                    arrivals.computeIfAbsent(region, r -> new ArrayList<>()).add(e.untimed());
                    candidates.computeIfAbsent(region, r -> new ArrayList<>()).add(e);
                    countIn(distinct.computeIfAbsent(region, r -> new LinkedHashMap<>()), v);
                    countIn(distinctPairs.computeIfAbsent(region, r -> new LinkedHashMap<>()), e.untimed());
                }
                for (String record : d.read()) {
                    JsonNode row = ChangelogDriver.valueOf(record);
                    switch (row.get("op").asText()) {
                        case "+I", "+U" -> rows.put(row.get("region").asText(), row);
                        case "-D" -> rows.remove(row.get("region").asText());
                        default -> { }
                    }
                }
                for (String region : List.of("eu", "us")) {
                    List<Entry> in = arrivals.getOrDefault(region, List.of());
                    if (in.isEmpty()) {
                        assertFalse(rows.containsKey(region), "step " + i + ": " + region + " should have no row");
                    } else {
                        assertEquals(expected(in, candidates.get(region), distinct.get(region), distinctPairs.get(region)),
                                actual(rows.get(region)), "step " + i + ", " + region + " " + in);
                    }
                }
            }
            for (String user : new ArrayList<>(live.keySet())) {
                d.pipe("users", user, null, 1_000_000);
            }
            d.read();
            assertEquals(0, d.entries(STORE), "every group emptied: no element, value or counter is left");
        }
    }
}
