package dev.sluice.compiler.advanced;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rankings over updating inputs: a row that changes, moves to another partition or is deleted is
 * retracted from where it was ranked. Each test compares the sink's whole ordered changelog.
 */
class RankOverUpdatesTest {
    private static final String PLAYERS = "CREATE TABLE players (id VARCHAR PRIMARY KEY, team VARCHAR, score BIGINT) "
            + "WITH ('topic' = 'players', 'format' = 'json');\n";
    private static final String TOP2_PER_TEAM = PLAYERS + "CREATE TABLE top2 AS SELECT * FROM (SELECT id, team, score, "
            + "ROW_NUMBER() OVER (PARTITION BY team ORDER BY score DESC) AS rn FROM players) WHERE rn <= 2;\n";

    private static String player(String id, String team, long score) {
        return "{\"id\":\"" + id + "\",\"team\":\"" + team + "\",\"score\":" + score + "}";
    }

    private static String ranked(String id, String team, long score, long rn) {
        return "{\"id\":\"" + id + "\",\"team\":\"" + team + "\",\"score\":" + score + ",\"rn\":" + rn + "}";
    }

    private static String position(String team, long position) {
        return "{\"team\":\"" + team + "\",\"position\":" + position + "}";
    }

    @Test
    void aRowThatMovesToAnotherPartitionLeavesItsOldRankingAndJoinsTheNewOne() {
        try (ChangelogDriver d = new ChangelogDriver(TOP2_PER_TEAM)) {
            d.pipe("players", "a", player("a", "x", 10), 1).pipe("players", "b", player("b", "x", 5), 2)
                    .pipe("players", "c", player("c", "y", 7), 3);
            assertEquals(List.of(
                    position("x", 1) + " -> " + ranked("a", "x", 10, 1),
                    position("x", 2) + " -> " + ranked("b", "x", 5, 2),
                    position("y", 1) + " -> " + ranked("c", "y", 7, 1)), d.output("top2"));
            // a moves from team x to team y: x loses it (b moves up, position 2 is deleted), then y ranks it.
            d.pipe("players", "a", player("a", "y", 10), 4);
            assertEquals(List.of(
                    position("x", 1) + " -> " + ranked("b", "x", 5, 1),
                    position("x", 2) + " -> null",
                    position("y", 1) + " -> " + ranked("a", "y", 10, 1),
                    position("y", 2) + " -> " + ranked("c", "y", 7, 2)), d.output("top2"));
        }
    }

    @Test
    void aDeletedRowIsRetractedFromItsPartitionAndAnUpdateReordersIt() {
        try (ChangelogDriver d = new ChangelogDriver(TOP2_PER_TEAM)) {
            d.pipe("players", "a", player("a", "x", 10), 1).pipe("players", "b", player("b", "x", 5), 2)
                    .pipe("players", "c", player("c", "x", 1), 3);
            d.output("top2");
            // b's tombstone: c (ranked 3rd, kept in state) comes back into the top 2.
            d.pipe("players", "b", null, 4);
            assertEquals(List.of(position("x", 2) + " -> " + ranked("c", "x", 1, 2)), d.output("top2"));
            // c overtakes a within the partition: both positions change.
            d.pipe("players", "c", player("c", "x", 20), 5);
            assertEquals(List.of(
                    position("x", 1) + " -> " + ranked("c", "x", 20, 1),
                    position("x", 2) + " -> " + ranked("a", "x", 10, 2)), d.output("top2"));
            // A tombstone for a key that holds no row changes nothing.
            d.pipe("players", "zz", null, 6);
            assertEquals(List.of(), d.output("top2"));
        }
    }

    @Test
    void aRowLeavingAFilteredTableIsRetractedFromItsRanking() {
        // Seed 004's shape: the partition is an expression, and a WHERE over the table drops rows
        // whose status changes.
        String sql = "CREATE TABLE runs (id VARCHAR PRIMARY KEY, status VARCHAR, config VARCHAR, started BIGINT) "
                + "WITH ('topic' = 'runs', 'format' = 'json');\n"
                + "CREATE TABLE recent AS SELECT id, UPPER(config) AS template, ROW_NUMBER() OVER "
                + "(PARTITION BY UPPER(config) ORDER BY started DESC) AS recency FROM runs WHERE status = 'DONE';\n";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            d.pipe("runs", "r1", "{\"id\":\"r1\",\"status\":\"DONE\",\"config\":\"a\",\"started\":1}", 1)
                    .pipe("runs", "r2", "{\"id\":\"r2\",\"status\":\"DONE\",\"config\":\"a\",\"started\":2}", 2)
                    // r1 re-configured to template b: it leaves a's ranking and starts b's
                    .pipe("runs", "r1", "{\"id\":\"r1\",\"status\":\"DONE\",\"config\":\"b\",\"started\":1}", 3)
                    // r2 fails: it no longer passes the WHERE, so a's ranking is empty
                    .pipe("runs", "r2", "{\"id\":\"r2\",\"status\":\"FAILED\",\"config\":\"a\",\"started\":2}", 4);
            String a1 = "{\"template\":\"A\",\"position\":1}"; // named after the item selecting the partition
            String a2 = "{\"template\":\"A\",\"position\":2}";
            String b1 = "{\"template\":\"B\",\"position\":1}";
            assertEquals(List.of(
                    a1 + " -> {\"id\":\"r1\",\"template\":\"A\",\"recency\":1}",
                    a1 + " -> {\"id\":\"r2\",\"template\":\"A\",\"recency\":1}",
                    a2 + " -> {\"id\":\"r1\",\"template\":\"A\",\"recency\":2}",
                    a2 + " -> null",
                    b1 + " -> {\"id\":\"r1\",\"template\":\"B\",\"recency\":1}",
                    a1 + " -> null"), d.output("recent"));
        }
    }

    @Test
    void aTopNOverAnAggregateMovesAUserBetweenCountPartitions() {
        // Users ranked within the bucket of their count: each new event moves its user to the next bucket.
        String sql = "CREATE STREAM events (user_id VARCHAR, event_time TIMESTAMP ROWTIME) "
                + "WITH ('topic' = 'events', 'format' = 'json');\n"
                + "CREATE TABLE buckets AS SELECT * FROM (SELECT user_id, n, ROW_NUMBER() OVER (PARTITION BY n "
                + "ORDER BY user_id) AS rn FROM (SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id)) "
                + "WHERE rn <= 5;\n";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            d.pipe("events", null, "{\"user_id\":\"u2\",\"event_time\":1}", 1)
                    .pipe("events", null, "{\"user_id\":\"u1\",\"event_time\":2}", 2)
                    .pipe("events", null, "{\"user_id\":\"u2\",\"event_time\":3}", 3);
            assertEquals(List.of(
                    "{\"n\":1,\"position\":1} -> {\"user_id\":\"u2\",\"n\":1,\"rn\":1}",
                    // u1 sorts before u2 in bucket 1
                    "{\"n\":1,\"position\":1} -> {\"user_id\":\"u1\",\"n\":1,\"rn\":1}",
                    "{\"n\":1,\"position\":2} -> {\"user_id\":\"u2\",\"n\":1,\"rn\":2}",
                    // u2's second event: it leaves bucket 1 and enters bucket 2
                    "{\"n\":1,\"position\":2} -> null",
                    "{\"n\":2,\"position\":1} -> {\"user_id\":\"u2\",\"n\":2,\"rn\":1}"), d.output("buckets"));
        }
    }

    @Test
    void distinctOnOverATableKeepsTheBestRowPerKeyAndFallsBackWhenItMovesOrGoes() {
        String sql = PLAYERS + "CREATE TABLE best AS SELECT DISTINCT ON (team) id, team, score FROM players "
                + "ORDER BY team, score DESC;\n";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            d.pipe("players", "a", player("a", "x", 10), 1).pipe("players", "b", player("b", "x", 20), 2)
                    .pipe("players", "b", player("b", "y", 20), 3) // b moves to y: a is x's best again
                    .pipe("players", "a", null, 4);                // a is deleted: x has no row
            String best = "{\"id\":\"%s\",\"team\":\"%s\",\"score\":%d}";
            assertEquals(List.of(
                    position("x", 1) + " -> " + best.formatted("a", "x", 10),
                    position("x", 1) + " -> " + best.formatted("b", "x", 20),
                    position("x", 1) + " -> " + best.formatted("a", "x", 10),
                    position("y", 1) + " -> " + best.formatted("b", "y", 20),
                    position("x", 1) + " -> null"), d.output("best"));
        }
    }
}
