package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COUNT(DISTINCT ...) per hopping and cumulating window, kept in the value-keyed distinct store
 * (one bit set per window a record reaches, see {@code DistinctValues} and {@code WindowMarks}):
 * each window counts its own distinct values, also when a record arrives out of order or when some
 * of its windows have already closed.
 */
class WindowDistinctScenarioTest {
    /** One hour after the epoch: every window of these records starts at or after 0, as Kafka Streams' do. */
    private static final long BASE = 3_600_000;
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";

    private static void pipe(ChangelogDriver d, long v, long seconds) {
        long time = BASE + seconds * 1_000;
        d.pipe("s", "{\"k\":\"a\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    private static void assertDistinctStore(ChangelogDriver d) {
        assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-distinct-store")),
                "the distinct values are in their own store: " + d.stores());
    }

    /** "start: distinct v, rows" for each window the sink received, in order. */
    private static List<String> windows(List<String> records) {
        return records.stream().map(r -> {
            String value = r.substring(r.indexOf("-> ") + 3);
            String start = value.replaceAll(".*\"window_start\":\"1970-01-01T([0-9:]+)\\.000Z\".*", "$1");
            String kinds = value.replaceAll(".*\"kinds\":([0-9]+).*", "$1");
            String rows = value.replaceAll(".*\"n\":([0-9]+).*", "$1");
            return start + ": " + kinds + ", " + rows;
        }).toList();
    }

    /**
     * HOP(1 min slide, 3 min size). v = 1 at 10 s and (late, out of order) at 20 s, 1 at 70 s,
     * 2 at 130 s, 3 at 300 s, then 3 at 170 s when stream time 300 s minus grace has closed
     * [0, 180): that record reaches [60 s, 240 s) and [120 s, 300 s) only. A value repeated
     * within a window counts once there, and in each other window it reaches once more.
     */
    @Test
    void eachHoppingWindowCountsItsOwnDistinctValuesAndAClosedWindowGetsNone() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, "
                + "HOP_START(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE) AS window_start, "
                + "COUNT(DISTINCT v) AS kinds, COUNT(*) AS n FROM s "
                + "GROUP BY k, HOP(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE)")) {
            pipe(d, 1, 10);
            pipe(d, 1, 70);
            pipe(d, 2, 130);
            pipe(d, 1, 20);
            pipe(d, 3, 300);
            pipe(d, 3, 170);
            pipe(d, 9, 1_000);
            assertDistinctStore(d);
            assertEquals(List.of(
                    "00:58:00: 1, 2",   // [-2 min, 1 min) of the hour: 1 at 10 s and 20 s
                    "00:59:00: 1, 3",   // 1 three times
                    "01:00:00: 2, 4",   // 1, 1, 2, 1; the record at 170 s came after it closed
                    "01:01:00: 3, 3",   // 1 at 70 s, 2, 3 at 170 s
                    "01:02:00: 2, 2",   // 2, 3 at 170 s
                    "01:03:00: 1, 1",   // 3 at 300 s
                    "01:04:00: 1, 1",
                    "01:05:00: 1, 1"), windows(d.read()));
        }
    }

    /**
     * CUMULATE(1 min step, 3 min max): within one period every window from the record's step on
     * holds it, so 1 at 10 s is new in all three windows and 2 at 70 s in the last two.
     */
    @Test
    void eachCumulatingWindowCountsTheDistinctValuesUpToItsEnd() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, window_start, "
                + "COUNT(DISTINCT v) AS kinds, COUNT(*) AS n "
                + "FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE)) "
                + "GROUP BY k, window_start, window_end")) {
            pipe(d, 1, 10);
            pipe(d, 1, 20);
            pipe(d, 2, 70);
            pipe(d, 1, 150);
            pipe(d, 3, 130);
            pipe(d, 9, 1_000);
            assertDistinctStore(d);
            List<String> rows = d.read();
            assertEquals(List.of(
                    "01:00:00: 1, 2",   // [0, 1 min): 1, 1
                    "01:00:00: 2, 3",   // [0, 2 min): 1, 1, 2
                    "01:00:00: 3, 5"),  // [0, 3 min): 1, 1, 2, 1, 3
                    windows(rows), String.join("\n", rows));
        }
    }
}
