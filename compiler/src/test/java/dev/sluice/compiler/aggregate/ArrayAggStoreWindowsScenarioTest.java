package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARRAY_AGG / COLLECT_LIST in {@code <step>-elements-store} against the list kept in the
 * aggregate's value, in hopping and cumulating windows, with the record cache on, on random
 * out-of-order input with jumps of stream time: the same ordered changelog. The second
 * query keeps its lists in the value ({@link InValueCollections}); the
 * queries read two streams with the same records, so that the optimizer does not share one
 * aggregate. (TUMBLE with either emit mode and HOP with EMIT FINAL: {@link ArrayAggStoreCacheScenarioTest}.)
 * At the end, once every earlier window closed, the store holds only the open ones.
 */
class ArrayAggStoreWindowsScenarioTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String COLUMNS = "k, window_start, ARRAY_AGG(v) AS vs, "
            + "COLLECT_LIST(v) FILTER (WHERE v < 3) AS small, COUNT(*) AS n";

    /** {@code lastWindows}: how many windows hold a record 10 s into an hour. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "'HOP(TABLE x, DESCRIPTOR(ts), INTERVAL ''30'' SECOND, INTERVAL ''2'' MINUTE)', ' EMIT CHANGES', 4",
            "'CUMULATE(TABLE x, DESCRIPTOR(ts), INTERVAL ''1'' MINUTE, INTERVAL ''3'' MINUTE)', '', 3",
    })
    void theStoreAndTheListInTheValueGiveTheSameChangelog(String window, String emit, int lastWindows) {
        String u = S.replace("STREAM s ", "STREAM u ").replace("'s'", "'u'");
        String group = " GROUP BY k, window_start, window_end" + emit + ";\n";
        try (ChangelogDriver d = new ChangelogDriver(S + u
                + "CREATE TABLE stored AS SELECT " + COLUMNS + " FROM TABLE(" + window.replace("TABLE x", "TABLE s")
                + ")" + group
                + "CREATE TABLE inValue AS SELECT " + COLUMNS + InValueCollections.PAD + " FROM TABLE("
                + window.replace("TABLE x", "TABLE u") + ")" + group,
                Map.of("statestore.cache.max.bytes", "10485760"))) {
            String store = "stored-aggregate-elements-store";
            assertTrue(d.stores().contains(store), d.stores().toString());
            assertFalse(d.stores().contains("invalue-aggregate-elements-store"), d.stores().toString());
            Random random = new Random(window.hashCode() + emit.hashCode());
            long now = 3_600_000;
            for (int i = 0; i < 60; i++) {
                // mostly a few seconds on, sometimes ten minutes (closing every open window)
                now += random.nextInt(15) == 0 ? 600_000 : random.nextInt(4_000);
                // up to 110 s back, within the grace (the watermark is 2 minutes behind): the driver
                // has no handler for the late records the guard would dead-letter
                long time = now - (random.nextInt(10) == 0 ? random.nextInt(110_000) : 0);
                Long v = random.nextInt(8) == 0 ? null : (long) random.nextInt(6);
                String json = "{\"k\":\"k" + random.nextInt(3) + "\",\"v\":" + v + ",\"ts\":" + time + "}";
                d.pipe("s", json, time);
                d.pipe("u", json, time);
            }
            // 10 s into an hour at least an hour later: every earlier window closes
            long end = (now / 3_600_000 + 2) * 3_600_000 + 10_000;
            d.pipe("s", "{\"k\":\"end\",\"v\":1,\"ts\":" + end + "}", end);
            d.pipe("u", "{\"k\":\"end\",\"v\":1,\"ts\":" + end + "}", end);
            List<String> stored = d.output("stored");
            List<String> inValue = new ArrayList<>();
            for (String r : d.output("inValue")) {
                inValue.add(InValueCollections.strip(r));
            }
            assertTrue(stored.size() >= 8, "rows: " + stored.size());
            assertTrue(stored.stream().anyMatch(r -> r.contains("null,")), "NULL elements are kept");
            assertEquals(inValue, stored);
            // left: only the last record's windows (open), each an entry and its two elements (vs
            // and small), with EMIT CHANGES also a closing index entry
            assertEquals(lastWindows * (emit.isEmpty() ? 3 : 4), d.entries(store));
        }
    }
}
