package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARRAY_AGG / COLLECT_LIST per TUMBLE window with their elements in the value-keyed store
 * ({@code ListElements}, {@code <step>-elements-store}): arrival order, NULL elements kept, FILTER
 * applied, NULL for a window whose FILTER kept nothing, with the record cache off. The same
 * changelog as the list kept in the value, per window kind and emit mode and with the cache on:
 * {@link ArrayAggStoreWindowsScenarioTest}.
 */
class ArrayAggStoreScenarioTest {
    /** One hour after the epoch. */
    private static final long BASE = 3_600_000;
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String COLUMNS = "TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, ARRAY_AGG(v) AS vs, "
            + "COLLECT_LIST(v) FILTER (WHERE v < 3) AS small, COUNT(*) AS n";
    private static final String WINDOW = " GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)";

    private static void pipe(ChangelogDriver d, String topic, String k, Long v, long seconds) {
        long time = BASE + seconds * 1_000;
        d.pipe(topic, "{\"k\":\"" + k + "\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    private static String row(String k, String start, String vs, String small, long n) {
        return "{\"k\":\"" + k + "\",\"ws\":\"1970-01-01T" + start + ".000Z\",\"vs\":" + vs + ",\"small\":" + small
                + ",\"n\":" + n + "}";
    }

    private static List<String> values(List<String> records) {
        return records.stream().map(r -> r.substring(r.indexOf(" -> ") + 4)).toList();
    }

    @Test
    void finalRowsListElementsInArrivalOrderWithNullsAndFilter() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, " + COLUMNS + " FROM s"
                + WINDOW)) {
            assertTrue(d.stores().contains("t-aggregate-elements-store"), d.stores().toString());
            pipe(d, "s", "a", 5L, 0);
            pipe(d, "s", "a", 1L, 30);
            pipe(d, "s", "b", 7L, 20);
            pipe(d, "s", "a", null, 10);   // out of order: arrival order, not time order
            pipe(d, "s", "a", 2L, 59);
            pipe(d, "s", "a", 4L, 60);     // the next window
            pipe(d, "s", "z", 0L, 1_000);  // closes both windows
            assertEquals(List.of(
                    row("a", "01:00:00", "[5,1,null,2]", "[1,2]", 4),
                    row("b", "01:00:00", "[7]", "null", 1),
                    row("a", "01:01:00", "[4]", "null", 1)), values(d.output("t")));
        }
    }

    /**
     * A record two hours later closes the window: its row lists its elements (the store expires
     * nothing by time; the window's elements are deleted once its final row is out).
     */
    @Test
    void aWindowClosedByARecordHoursLaterStillListsItsElements() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, " + COLUMNS + " FROM s"
                + WINDOW)) {
            pipe(d, "s", "a", 5L, 0);
            pipe(d, "s", "a", 1L, 30);
            pipe(d, "s", "a", 2L, 7_200);
            assertEquals(List.of(row("a", "01:00:00", "[5,1]", "[1]", 2)), values(d.output("t")));
        }
    }

    @Test
    void emitChangesRowsGrowOneElementPerRecord() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, " + COLUMNS + " FROM s"
                + WINDOW + " EMIT CHANGES")) {
            pipe(d, "s", "a", 5L, 0);
            pipe(d, "s", "a", 1L, 30);
            pipe(d, "s", "a", 9L, 70);
            pipe(d, "s", "a", 2L, 40);
            assertEquals(List.of(
                    row("a", "01:00:00", "[5]", "null", 1),
                    row("a", "01:00:00", "[5,1]", "[1]", 2),
                    row("a", "01:01:00", "[9]", "null", 1),
                    row("a", "01:00:00", "[5,1,2]", "[1,2]", 3)), values(d.output("t")));
        }
    }
}
