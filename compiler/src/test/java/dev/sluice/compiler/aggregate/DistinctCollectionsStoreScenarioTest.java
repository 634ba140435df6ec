package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
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
 * State format 18: DISTINCT collections, and collections beside DISTINCT calls, in
 * {@code <step>-elements-store}. Over a stream (without window, TUMBLE, HOP, CUMULATE, both emit
 * modes, cache off and on) {@code ARRAY_AGG(DISTINCT v [ORDER BY w DESC])}, COLLECT_SET and
 * HISTOGRAM with DISTINCT list the values {@code DistinctValues} marked first; the ordered changelog
 * equals that of the same calls kept in the value ({@link InValueCollections}), and at the end the
 * store holds only the open windows (without window: the model's count of each group's entries).
 * Over a table COLLECT_SET(DISTINCT w) and HISTOGRAM(DISTINCT w) (FILTER, NULL, updates, deletes,
 * rows moving between groups) follow a model of the in-value DISTINCT accumulators after every
 * change, and the store is empty once every row is deleted.
 */
class DistinctCollectionsStoreScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, w VARCHAR, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String CALLS = "ARRAY_AGG(DISTINCT v) AS d, ARRAY_AGG(DISTINCT v ORDER BY w DESC) AS ds, "
            + "COLLECT_SET(DISTINCT w) AS cs, HISTOGRAM(DISTINCT w) AS hd, ARRAY_AGG(v) FILTER (WHERE v > 1) AS f, "
            + "COLLECT_SET(v) AS cv, HISTOGRAM(w) AS h, COUNT(DISTINCT w) AS words, COUNT(*) AS n";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    /** {@code lastWindows}: how many windows hold the last record (0: no window). */
    @ParameterizedTest(name = "{0}{1} cache {3}")
    @CsvSource({
            "'', '', 0, false",
            "'', '', 0, true",
            "'TUMBLE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE)', ' EMIT CHANGES', 1, true",
            "'HOP(TABLE x, DESCRIPTOR(ts), INTERVAL ''30'' SECOND, INTERVAL ''2'' MINUTE)', ' EMIT CHANGES', 4, false",
            "'CUMULATE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE, INTERVAL ''3'' MINUTE)', '', 3, false",
    })
    void aStreamsDistinctCollectionsInTheStoreGiveTheChangelogOfTheValue(String window, String emit, int lastWindows,
                                                                        boolean cache) {
        String u = S.replace("STREAM s ", "STREAM u ").replace("'s'", "'u'");
        boolean windowed = !window.isEmpty();
        String columns = windowed ? "k, window_start, " + CALLS : "k, " + CALLS;
        String group = windowed ? " GROUP BY k, window_start, window_end" + emit + ";\n" : " GROUP BY k;\n";
        String from = windowed ? "TABLE(" + window + ")" : "x";
        try (ChangelogDriver d = new ChangelogDriver(S + u
                + "CREATE TABLE stored AS SELECT " + columns + " FROM " + from.replace("x", "s") + group
                + "CREATE TABLE inValue AS SELECT " + columns + InValueCollections.PAD + " FROM "
                + from.replace("x", "u") + group, cache ? CACHE_ON : Map.of())) {
            String store = "stored-aggregate-elements-store";
            assertTrue(d.stores().contains(store), d.stores().toString());
            assertFalse(d.stores().contains("invalue-aggregate-elements-store"), d.stores().toString());
            Random random = new Random(window.hashCode() + emit.hashCode() + (cache ? 1 : 0));
            String[] words = {"a", "ab", "b", "", null, "b"};
            Map<String, Model> groups = new TreeMap<>();
            long now = 3_600_000;
            for (int i = 0; i < 70; i++) {
                // mostly a few seconds on, sometimes ten minutes (closing every open window)
                now += random.nextInt(15) == 0 ? 600_000 : random.nextInt(4_000);
                // up to 110 s back, within the grace (the watermark is 2 minutes behind)
                long time = now - (random.nextInt(10) == 0 ? random.nextInt(110_000) : 0);
                Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(5);
                String w = words[random.nextInt(words.length)];
                String k = "k" + random.nextInt(3);
                String json = "{\"k\":\"" + k + "\",\"v\":" + v + ",\"w\":" + (w == null ? "null" : "\"" + w + "\"")
                        + ",\"ts\":" + time + "}";
                d.pipe("s", json, time);
                d.pipe("u", json, time);
                groups.computeIfAbsent(k, x -> new Model()).add(v, w);
            }
            if (!windowed) {
                // the last row of each group against the model of the in-value accumulators
                Map<String, JsonNode> last = new TreeMap<>();
                List<String> stored = d.output("stored");
                for (String r : stored) {
                    JsonNode row = ChangelogDriver.valueOf(r + " @");
                    last.put(row.get("k").asText(), row);
                }
                for (var g : groups.entrySet()) {
                    assertEquals(g.getValue().expected(), Model.actual(last.get(g.getKey())), g.getKey());
                }
                List<String> inValue = d.output("inValue").stream().map(InValueCollections::strip).toList();
                assertEquals(inValue, stored);
                long expected = 0;
                for (Model m : groups.values()) {
                    expected += m.entries();
                }
                assertEquals(expected, d.entries(store));
                return;
            }
            // 10 s into an hour at least an hour later: every earlier window closes
            long end = (now / 3_600_000 + 2) * 3_600_000 + 10_000;
            d.pipe("s", "{\"k\":\"end\",\"v\":1,\"w\":\"z\",\"ts\":" + end + "}", end);
            d.pipe("u", "{\"k\":\"end\",\"v\":1,\"w\":\"z\",\"ts\":" + end + "}", end);
            List<String> stored = d.output("stored");
            List<String> inValue = d.output("inValue").stream().map(InValueCollections::strip).toList();
            assertTrue(stored.size() >= 10, "rows: " + stored.size());
            assertTrue(stored.stream().anyMatch(r -> r.contains("\"hd\":{\"")), "HISTOGRAM(DISTINCT) counts words");
            assertEquals(inValue, stored);
            // per open window: its entry, an element of d and of ds, the word "z" of cs, hd and h and the
            // value 1 of cv each an element and an index entry (f: 1 is filtered out); EMIT CHANGES: a closing entry
            assertEquals(lastWindows * (emit.isEmpty() ? 11 : 12), d.entries(store));
        }
    }

    /** One stream group's calls as the in-value accumulators keep them (first-seen order). */
    private static final class Model {
        final Set<Long> d = new java.util.LinkedHashSet<>();
        final List<Object[]> ds = new ArrayList<>();
        final Set<String> cs = new java.util.LinkedHashSet<>();
        final List<Long> f = new ArrayList<>();
        final Set<Long> cv = new java.util.LinkedHashSet<>();
        final Map<String, Long> h = new LinkedHashMap<>();
        long n;

        void add(Long v, String w) {
            n++;
            d.add(v);
            if (ds.stream().noneMatch(e -> Objects.equals(e[0], v) && Objects.equals(e[1], w))) {
                ds.add(new Object[] {v, w});
            }
            cs.add(w);
            if (v != null && v > 1) {
                f.add(v);
            }
            cv.add(v);
            if (w != null) {
                h.merge(w, 1L, Long::sum);
            }
        }

        /** Its entries in the store: the group's, each element, a set's index entries. */
        long entries() {
            long words = cs.stream().filter(Objects::nonNull).count();
            return 1 + d.size() + ds.size() + 2L * cs.size() + 2 * words + f.size() + 2L * cv.size() + 2 * words;
        }

        String expected() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("d", new ArrayList<>(d));
            List<Object[]> sorted = new ArrayList<>(ds);
            // DESC: NULL first, then the largest; stable, so ties keep arrival order
            sorted.sort(java.util.Comparator.comparing((Object[] e) -> (String) e[1],
                    java.util.Comparator.nullsLast(java.util.Comparator.<String>naturalOrder()).reversed()));
            out.put("ds", sorted.stream().map(e -> e[0]).toList());
            out.put("cs", new ArrayList<>(cs));
            Map<String, Long> hd = new LinkedHashMap<>();
            cs.stream().filter(Objects::nonNull).forEach(w -> hd.put(w, 1L));
            out.put("hd", hd);
            out.put("f", f.isEmpty() ? null : f);
            out.put("cv", new ArrayList<>(cv));
            out.put("h", h);
            out.put("words", (long) hd.size());
            out.put("n", n);
            return JSON.valueToTree(out).toString();
        }

        static String actual(JsonNode row) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String c : List.of("d", "ds", "cs", "hd", "f", "cv", "h", "words", "n")) {
                out.put(c, row.get(c));
            }
            return JSON.valueToTree(out).toString();
        }
    }

    @Test
    void aTablesDistinctSetsFollowUpdatesAndDeletesWithTheCacheOffAndOn() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, w VARCHAR) "
                    + "WITH ('topic' = 'users', 'format' = 'json');\n"
                    + "CREATE STREAM c AS SELECT region, COLLECT_SET(DISTINCT w) AS cs, HISTOGRAM(DISTINCT w) AS hd, "
                    + "HISTOGRAM(DISTINCT w) FILTER (WHERE v > 1) AS hf, COUNT(*) AS n FROM users GROUP BY region";
            Random random = new Random(23);
            Map<String, Long> vOf = new HashMap<>();
            Map<String, String> wOf = new HashMap<>();
            Map<String, String> regionOf = new HashMap<>();
            Map<String, TableModel> groups = new TreeMap<>();
            Map<String, JsonNode> rows = new TreeMap<>();
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                String store = d.store("-elements-store");
                for (int i = 0; i < 160; i++) {
                    String user = "u" + random.nextInt(12);
                    long t = 1_000L * (i + 1);
                    if (regionOf.containsKey(user)) {
                        groups.get(regionOf.get(user)).apply(vOf.get(user), wOf.get(user), -1);
                    }
                    if (random.nextInt(6) == 0) {
                        d.pipe("users", user, null, t);
                        regionOf.remove(user);
                    } else {
                        String region = random.nextInt(3) == 0 ? "eu" : "us";
                        Long v = random.nextInt(7) == 0 ? null : (long) random.nextInt(4);
                        String w = random.nextInt(6) == 0 ? null : "w" + random.nextInt(5);
                        d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\",\"v\":" + v
                                + ",\"w\":" + (w == null ? "null" : "\"" + w + "\"") + "}", t);
                        regionOf.put(user, region);
                        vOf.put(user, v);
                        wOf.put(user, w);
                        groups.computeIfAbsent(region, x -> new TableModel()).apply(v, w, 1);
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
                            assertEquals(g.getValue().expected(), TableModel.actual(rows.get(g.getKey())),
                                    "step " + i + ", " + g.getKey());
                        }
                    }
                }
                for (String user : new ArrayList<>(regionOf.keySet())) {
                    d.pipe("users", user, null, 1_000_000);
                }
                d.read();
                assertEquals(0, d.entries(store), "every group emptied: no value is left");
            }
        }
    }

    /** A table group: live rows per value in the order values last became live, as the in-value DISTINCT map. */
    private static final class TableModel {
        final Map<String, Integer> words = new LinkedHashMap<>();
        final Map<String, Integer> filtered = new LinkedHashMap<>();
        long n;

        void apply(Long v, String w, int delta) {
            n += delta;
            count(words, w, delta);
            if (v != null && v > 1) {
                count(filtered, w, delta);
            }
        }

        private static void count(Map<String, Integer> counts, String w, int delta) {
            counts.merge(w, delta, Integer::sum);
            if (counts.get(w) == 0) {
                counts.remove(w);
            }
        }

        private static Map<String, Long> ones(Map<String, Integer> counts) {
            Map<String, Long> out = new LinkedHashMap<>();
            counts.keySet().stream().filter(Objects::nonNull).forEach(w -> out.put(w, 1L));
            return out;
        }

        String expected() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cs", words.isEmpty() ? null : new ArrayList<>(words.keySet()));
            out.put("hd", ones(words));
            out.put("hf", ones(filtered));
            out.put("n", n);
            return JSON.valueToTree(out).toString();
        }

        static String actual(JsonNode row) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String c : List.of("cs", "hd", "hf", "n")) {
                out.put(c, row.get(c));
            }
            return JSON.valueToTree(out).toString();
        }
    }
}
