package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GROUP BY over a declared TABLE ({@code KTable#groupBy} with an adder and a subtractor): updates
 * move a row between groups, deletions retract it, and a group left without rows is deleted. Whole
 * output lists, in order, with explicit timestamps.
 */
class TableAggregationScenarioTest {
    private static final String USERS = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, "
            + "score BIGINT) WITH ('topic' = 'users', 'format' = 'json');\n";

    private static void upsert(ChangelogDriver d, String user, String region, long score, long time) {
        d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\",\"score\":" + score + "}",
                time);
    }

    @Test
    void aRowThatMovesRetractsFromItsOldGroupAndADeletedLastRowDeletesTheGroup() {
        try (ChangelogDriver d = new ChangelogDriver(USERS + "CREATE TABLE by_region AS SELECT region, "
                + "COUNT(*) AS users, SUM(score) AS total, MAX(score) AS best, COUNT(DISTINCT score) AS scores "
                + "FROM users GROUP BY region")) {
            upsert(d, "u1", "eu", 10, 1_000);
            upsert(d, "u2", "eu", 20, 2_000);
            assertEquals(List.of(
                    "eu -> {\"region\":\"eu\",\"users\":1,\"total\":10,\"best\":10,\"scores\":1} @1000",
                    "eu -> {\"region\":\"eu\",\"users\":2,\"total\":30,\"best\":20,\"scores\":2} @2000"), d.read());
            // u2 changes score within eu: one record, retraction then addition, one output row.
            upsert(d, "u2", "eu", 10, 3_000);
            assertEquals(List.of(
                    "eu -> {\"region\":\"eu\",\"users\":2,\"total\":20,\"best\":10,\"scores\":1} @3000"), d.read());
            // u1 moves to us: eu loses it, us gains it.
            upsert(d, "u1", "us", 5, 4_000);
            assertEquals(List.of(
                    "eu -> {\"region\":\"eu\",\"users\":1,\"total\":10,\"best\":10,\"scores\":1} @4000",
                    "us -> {\"region\":\"us\",\"users\":1,\"total\":5,\"best\":5,\"scores\":1} @4000"), d.read());
            // u2 is deleted: eu has no row left, so it is deleted rather than kept at zero.
            d.pipe("users", "u2", null, 5_000);
            assertEquals(List.of("eu -> null @5000"), d.read());
            // A group that comes back starts from nothing.
            upsert(d, "u3", "eu", 7, 6_000);
            assertEquals(List.of(
                    "eu -> {\"region\":\"eu\",\"users\":1,\"total\":7,\"best\":7,\"scores\":1} @6000"), d.read());
        }
    }
}
