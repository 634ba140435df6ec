package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ARRAY_AGG(v ORDER BY w [DESC], ...)} over a stream in {@code <step>-elements-store},
 * keyed by sort key then arrival (state format 11), against the list kept and sorted in the
 * aggregate's value, on random out-of-order input with ties and NULLs in the sort keys and jumps
 * of stream time, with and without window, both emit modes, the record cache off and on: the same
 * ordered changelog. The second query keeps its lists in the value
 * ({@link InValueCollections}); the queries read two streams with the same records, so that
 * the optimizer does not share one aggregate. At the end, once every earlier window closed, the
 * store holds only the open windows' entries (without window: every group's elements).
 */
class SortedArrayAggStoreScenarioTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, w VARCHAR, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String CALLS = "ARRAY_AGG(v ORDER BY w) AS up, "
            + "COLLECT_LIST(v ORDER BY w DESC, v) FILTER (WHERE v < 3) AS down, ARRAY_AGG(v) AS plain, COUNT(*) AS n";

    /** {@code lastWindows}: how many windows hold the last record (0: no window). */
    @ParameterizedTest(name = "{0} {1} cache {3}")
    @CsvSource({
            "'', '', 0, false",
            "'', '', 0, true",
            "'TUMBLE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE)', ' EMIT CHANGES', 1, true",
            "'TUMBLE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE)', '', 1, true",
            "'HOP(TABLE x, DESCRIPTOR(ts), INTERVAL ''30'' SECOND, INTERVAL ''2'' MINUTE)', ' EMIT CHANGES', 4, true",
            "'CUMULATE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE, INTERVAL ''3'' MINUTE)', '', 3, false",
    })
    void theSortedStoreAndTheListInTheValueGiveTheSameChangelog(String window, String emit, int lastWindows,
                                                              boolean cache) {
        String u = S.replace("STREAM s ", "STREAM u ").replace("'s'", "'u'");
        boolean windowed = !window.isEmpty();
        String columns = windowed ? "k, window_start, " + CALLS : "k, " + CALLS;
        String group = windowed ? " GROUP BY k, window_start, window_end" + emit + ";\n" : " GROUP BY k;\n";
        String from = windowed ? "TABLE(" + window + ")" : "x";
        Map<String, String> settings = cache ? Map.of("statestore.cache.max.bytes", "10485760") : Map.of();
        try (ChangelogDriver d = new ChangelogDriver(S + u
                + "CREATE TABLE stored AS SELECT " + columns + " FROM " + from.replace("x", "s") + group
                + "CREATE TABLE inValue AS SELECT " + columns + InValueCollections.PAD + " FROM "
                + from.replace("x", "u") + group, settings)) {
            String store = "stored-aggregate-elements-store";
            assertTrue(d.stores().contains(store), d.stores().toString());
            assertFalse(d.stores().contains("invalue-aggregate-elements-store"), d.stores().toString());
            Random random = new Random(window.hashCode() + emit.hashCode() + (cache ? 1 : 0));
            String[] keys = {"a", "ab", "b", "", null, "b"};
            Map<String, Integer> perGroup = new HashMap<>();
            long now = 3_600_000;
            for (int i = 0; i < 80; i++) {
                // mostly a few seconds on, sometimes ten minutes (closing every open window)
                now += random.nextInt(15) == 0 ? 600_000 : random.nextInt(4_000);
                // up to 110 s back, within the grace (the watermark is 2 minutes behind): the driver
                // has no handler for the late records the guard would dead-letter
                long time = now - (random.nextInt(10) == 0 ? random.nextInt(110_000) : 0);
                Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(6);
                String w = keys[random.nextInt(keys.length)];
                String k = "k" + random.nextInt(3);
                String json = "{\"k\":\"" + k + "\",\"v\":" + v + ",\"w\":" + (w == null ? "null" : "\"" + w + "\"")
                        + ",\"ts\":" + time + "}";
                d.pipe("s", json, time);
                d.pipe("u", json, time);
                // elements: up and plain always, down when v < 3 (a NULL v fails the filter)
                perGroup.merge(k, v != null && v < 3 ? 3 : 2, Integer::sum);
            }
            // 10 s into an hour at least an hour later: every earlier window closes
            long end = (now / 3_600_000 + 2) * 3_600_000 + 10_000;
            d.pipe("s", "{\"k\":\"end\",\"v\":1,\"w\":\"z\",\"ts\":" + end + "}", end);
            d.pipe("u", "{\"k\":\"end\",\"v\":1,\"w\":\"z\",\"ts\":" + end + "}", end);
            List<String> stored = d.output("stored");
            List<String> inValue = new ArrayList<>();
            for (String r : d.output("inValue")) {
                inValue.add(InValueCollections.strip(r));
            }
            assertTrue(stored.size() >= 8, "rows: " + stored.size());
            assertTrue(stored.stream().anyMatch(r -> r.contains("null,")), "NULL elements are kept");
            assertEquals(inValue, stored);
            if (windowed) {
                // left: the last record's windows (open), each an entry and its three elements, with
                // EMIT CHANGES also a closing index entry
                assertEquals(lastWindows * (emit.isEmpty() ? 4 : 5), d.entries(store));
            } else {
                // a group's elements live as long as the group: one entry per group and its elements
                int elements = perGroup.values().stream().mapToInt(Integer::intValue).sum();
                assertEquals(perGroup.size() + 1 + elements + 3, d.entries(store));
            }
        }
    }
}
