package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ARRAY_AGG / COLLECT_LIST elements in {@code <step>-elements-store} with the record cache on, as
 * {@code sluice run} has it: the aggregate's update of a window reaches the suppress (EMIT FINAL)
 * or the result (EMIT CHANGES) only when the cache is flushed at commit, after the record that
 * moved stream time. A record hours later must not take the elements of the windows it closes
 * before their rows are emitted; and every window's elements leave the store once its last row is
 * out (the store holds only open windows).
 */
class ArrayAggStoreCacheScenarioTest {
    private static final long BASE = 3_600_000;
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String COLUMNS = "ARRAY_AGG(v) AS vs, COLLECT_LIST(v) FILTER (WHERE v < 3) AS small, "
            + "COUNT(*) AS n";
    private static final String STORE = "t-aggregate-elements-store";

    private static void pipe(ChangelogDriver d, String k, Long v, long seconds) {
        long time = BASE + seconds * 1_000;
        d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    private static String row(String k, String start, String vs, String small, long n) {
        return "{\"k\":\"" + k + "\",\"ws\":\"1970-01-01T" + start + ".000Z\",\"vs\":" + vs + ",\"small\":" + small
                + ",\"n\":" + n + "}";
    }

    private static List<String> values(List<String> records) {
        return records.stream().map(r -> r.substring(r.indexOf(" -> ") + 4)).toList();
    }

    private static String tumble(String emit) {
        return S + "CREATE TABLE t AS SELECT k, TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, " + COLUMNS
                + " FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)" + emit;
    }

    @Test
    void aWindowClosedByARecordHoursLaterListsItsElementsWithTheCacheOn() {
        try (ChangelogDriver d = new ChangelogDriver(tumble(""), CACHE_ON)) {
            pipe(d, "a", 5L, 0);
            pipe(d, "a", 1L, 30);
            pipe(d, "b", 7L, 50);
            // two hours later, far past any retention by stream time: both windows close
            pipe(d, "a", 2L, 7_200);
            assertEquals(List.of(
                    row("a", "01:00:00", "[5,1]", "[1]", 2),
                    row("b", "01:00:00", "[7]", "null", 1)), values(d.output("t")));
            // left: the open window's entry and its two elements (vs and small)
            assertEquals(3, d.entries(STORE));
            pipe(d, "a", 4L, 7_230);
            pipe(d, "z", 0L, 9_000);
            assertEquals(List.of(row("a", "03:00:00", "[2,4]", "[2]", 2)), values(d.output("t")));
            assertEquals(3, d.entries(STORE));
        }
    }

    @Test
    void emitChangesRowsWithTheCacheOnAndClosedWindowsLeaveTheStore() {
        try (ChangelogDriver d = new ChangelogDriver(tumble(" EMIT CHANGES"), CACHE_ON)) {
            pipe(d, "a", 5L, 0);
            pipe(d, "a", 1L, 30);
            pipe(d, "a", 9L, 70);
            pipe(d, "a", 2L, 40);
            // entries: per window an entry and a closing index entry, plus 4 + 2 elements
            assertEquals(10, d.entries(STORE));
            pipe(d, "z", 0L, 7_200);
            assertEquals(List.of(
                    row("a", "01:00:00", "[5]", "null", 1),
                    row("a", "01:00:00", "[5,1]", "[1]", 2),
                    row("a", "01:01:00", "[9]", "null", 1),
                    row("a", "01:00:00", "[5,1,2]", "[1,2]", 3),
                    row("z", "03:00:00", "[0]", "[0]", 1)), values(d.output("t")));
            // left: z's open window (entry, closing index entry, two elements)
            assertEquals(4, d.entries(STORE));
        }
    }

    @Test
    void hoppingWindowsListARecordInEachOpenWindowAndEmptyTheStoreWhenTheyClose() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, window_start AS ws, " + COLUMNS
                + " FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE))"
                + " GROUP BY k, window_start, window_end", CACHE_ON)) {
            pipe(d, "a", 1L, 10);   // [00:59, 01:01) and [01:00, 01:02)
            pipe(d, "a", 5L, 70);   // [01:00, 01:02) and [01:01, 01:03)
            pipe(d, "a", 2L, 7_200);
            assertEquals(List.of(
                    row("a", "00:59:00", "[1]", "[1]", 1),
                    row("a", "01:00:00", "[1,5]", "[1]", 2),
                    row("a", "01:01:00", "[5]", "null", 1)), values(d.output("t")));
            // left: the last record's two open windows, each an entry and two elements
            assertEquals(6, d.entries(STORE));
        }
    }
}
