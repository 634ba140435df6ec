package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aggregates as window functions over a table ({@code SUM(x) OVER (ORDER BY t)}, a running total)
 * and correlated scalar sub-queries (decorrelated into a grouped aggregate joined by the
 * correlation key), kept current as the table changes: whole changelogs, in order.
 */
class OverAggregateScenarioTest {
    private static final String RUNS = "CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, model VARCHAR, "
            + "created_at TIMESTAMP(3), hours INT) WITH ('topic' = 'runs', 'format' = 'json');\n";

    private static void upsert(ChangelogDriver d, String id, String model, String at, int hours, long time) {
        d.pipe("runs", id, "{\"run_id\":\"" + id + "\",\"model\":\"" + model + "\",\"created_at\":\"" + at
                + "\",\"hours\":" + hours + "}", time);
    }

    @Test
    void aRunningSumGivesPeersTheSameTotalAndAnEarlierChangeUpdatesEveryLaterRow() {
        try (ChangelogDriver d = new ChangelogDriver(RUNS + "CREATE TABLE totals AS SELECT run_id, hours, "
                + "SUM(hours) OVER (ORDER BY created_at) AS running FROM runs")) {
            upsert(d, "a", "m", "2024-01-01 10:00:00", 1, 1_000);
            upsert(d, "b", "m", "2024-01-01 11:00:00", 2, 2_000);
            List<String> first = d.read();
            assertEquals(List.of("{\"run_id\":\"a\",\"hours\":1,\"running\":1}",
                    "{\"run_id\":\"b\",\"hours\":2,\"running\":3}"), values(first));
            // c ties with a (same created_at): RANGE frame, both read the total through their last peer
            upsert(d, "c", "m", "2024-01-01 10:00:00", 4, 3_000);
            List<String> ties = values(d.read());
            assertTrue(ties.contains("{\"run_id\":\"a\",\"hours\":1,\"running\":5}"), ties.toString());
            assertTrue(ties.contains("{\"run_id\":\"c\",\"hours\":4,\"running\":5}"), ties.toString());
            assertEquals("{\"run_id\":\"b\",\"hours\":2,\"running\":7}", ties.get(ties.size() - 1), ties.toString());
            // deleting a retracts one position and lowers every total
            d.pipe("runs", "a", null, 4_000);
            List<String> deleted = d.read();
            assertEquals(List.of("{\"run_id\":\"c\",\"hours\":4,\"running\":4}",
                    "{\"run_id\":\"b\",\"hours\":2,\"running\":6}", "null"), values(deleted), deleted.toString());
        }
    }

    @Test
    void aRowsFrameCountsUpToTheRowItselfPerPartition() {
        try (ChangelogDriver d = new ChangelogDriver(RUNS + "CREATE TABLE counts AS SELECT run_id, "
                + "COUNT(*) OVER (PARTITION BY model ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
                + "AS n, MAX(hours) OVER (PARTITION BY model ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING "
                + "AND CURRENT ROW) AS most FROM runs")) {
            upsert(d, "a", "m", "2024-01-01 10:00:00", 5, 1_000);
            upsert(d, "b", "m", "2024-01-01 11:00:00", 2, 2_000);
            upsert(d, "c", "k", "2024-01-01 09:00:00", 1, 3_000);
            assertEquals(List.of("{\"run_id\":\"a\",\"n\":1,\"most\":5}", "{\"run_id\":\"b\",\"n\":2,\"most\":5}",
                    "{\"run_id\":\"c\",\"n\":1,\"most\":1}"), values(d.read()));
        }
    }

    @Test
    void aCorrelatedCountIsAJoinWithTheGroupedCountAndFollowsTheInnerRows() {
        try (ChangelogDriver d = new ChangelogDriver(RUNS + "CREATE TABLE with_count AS SELECT t1.run_id, "
                + "(SELECT COUNT(*) FROM runs t2 WHERE t2.model = t1.model AND t2.hours > 1) AS bigger_runs "
                + "FROM runs t1 WHERE t1.hours < 10")) {
            upsert(d, "a", "m", "2024-01-01 10:00:00", 1, 1_000);
            // a's model has no run above 1 hour: COUNT of no rows is 0, not NULL
            assertEquals(List.of("{\"run_id\":\"a\",\"bigger_runs\":0}"), values(d.read()));
            upsert(d, "b", "m", "2024-01-01 11:00:00", 3, 2_000);
            List<String> after = values(d.read());
            assertTrue(after.contains("{\"run_id\":\"a\",\"bigger_runs\":1}"), after.toString());
            assertEquals("{\"run_id\":\"b\",\"bigger_runs\":1}", after.get(after.size() - 1), after.toString());
            d.pipe("runs", "b", null, 3_000);
            // b leaves: a's count falls back to 0 (the group's update reaches a), then b's row is deleted
            assertEquals(List.of("{\"run_id\":\"a\",\"bigger_runs\":0}", "null"), values(d.read()));
        }
    }

    @Test
    void aRowsPrecedingFrameOverATableAveragesTheLastRowsAndFollowsAnUpdate() {
        // Nexmark q6's shape: the OVER input is a table (there, the top-1 bid per auction)
        try (ChangelogDriver d = new ChangelogDriver(RUNS + "CREATE TABLE recent AS SELECT run_id, "
                + "AVG(hours) OVER (PARTITION BY model ORDER BY created_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
                + "AS avg_hours FROM runs")) {
            upsert(d, "a", "m", "2024-01-01 10:00:00", 2, 1_000);
            upsert(d, "b", "m", "2024-01-01 11:00:00", 4, 2_000);
            upsert(d, "c", "m", "2024-01-01 12:00:00", 10, 3_000);
            assertEquals(List.of("{\"run_id\":\"a\",\"avg_hours\":2.0}", "{\"run_id\":\"b\",\"avg_hours\":3.0}",
                    "{\"run_id\":\"c\",\"avg_hours\":7.0}"), values(d.read()));
            upsert(d, "b", "m", "2024-01-01 11:00:00", 6, 4_000); // b's update changes b's and c's frames, not a's
            assertEquals(List.of("{\"run_id\":\"b\",\"avg_hours\":4.0}", "{\"run_id\":\"c\",\"avg_hours\":8.0}"),
                    values(d.read()));
        }
    }

    @Test
    void overATopOneTableANewTopBidRetractsTheOldOneAndMovesTheFrame() {
        // Nexmark q6 in small: the top-1 table is keyed by (auction, position), which is not among its
        // columns, so its rows are identified whole and an update retracts the auction's old top bid
        try (ChangelogDriver d = new ChangelogDriver("CREATE STREAM bids (auction BIGINT, seller VARCHAR, "
                + "price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'bids', 'format' = 'json');\n"
                + "CREATE TABLE sums AS SELECT auction, price, SUM(price) OVER (PARTITION BY seller ORDER BY ts "
                + "ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM (SELECT * FROM (SELECT auction, seller, price, ts, "
                + "ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 1)")) {
            d.pipe("bids", "{\"auction\":1,\"seller\":\"s\",\"price\":10,\"ts\":\"2024-01-01 00:00:01\"}", 1_000);
            d.pipe("bids", "{\"auction\":2,\"seller\":\"s\",\"price\":20,\"ts\":\"2024-01-01 00:00:02\"}", 2_000);
            assertEquals(List.of("{\"auction\":1,\"price\":10,\"s\":10}", "{\"auction\":2,\"price\":20,\"s\":30}"),
                    values(d.read()));
            // auction 1's new top bid comes later in time: the seller's rows are now auction 2, then auction 1
            d.pipe("bids", "{\"auction\":1,\"seller\":\"s\",\"price\":50,\"ts\":\"2024-01-01 00:00:03\"}", 3_000);
            // the old top bid leaves (auction 2 moves up, position 2 is deleted), then the new one is ranked
            assertEquals(Arrays.asList("{\"auction\":2,\"price\":20,\"s\":20}", "null",
                    "{\"auction\":1,\"price\":50,\"s\":70}"), values(d.read()));
        }
    }

    /** The values of {@code key -> value @time} lines (the key is a partition and a position). */
    private static List<String> values(List<String> lines) {
        return lines.stream().map(l -> l.substring(l.indexOf(" -> ") + 4, l.lastIndexOf(" @"))).toList();
    }
}
