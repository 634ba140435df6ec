package dev.sluice.compiler.advanced;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Joins whose sides update: the joined table follows every update and deletion of either side, as
 * a table whose key is the left row's key. Each test compares the sink's whole ordered output.
 */
class JoinRetractionTest {
    private static final String TABLES = ""
            + "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, name VARCHAR) WITH ('topic' = 'users', 'format' = 'json');\n"
            + "CREATE TABLE quotas (user_id VARCHAR PRIMARY KEY, quota BIGINT) WITH ('topic' = 'quotas', 'format' = 'json');\n";

    private static String user(String id, String name) {
        return "{\"user_id\":\"" + id + "\",\"name\":\"" + name + "\"}";
    }

    private static String quota(String id, long quota) {
        return "{\"user_id\":\"" + id + "\",\"quota\":" + quota + "}";
    }

    private static String joined(String id, String name, Long quota) {
        return "u1 -> {\"user_id\":\"" + id + "\",\"name\":" + (name == null ? "null" : "\"" + name + "\"")
                + ",\"quota\":" + quota + "}";
    }

    @Test
    void anInnerTableJoinUpdatesWithEitherSideAndDeletesWithEither() {
        String sql = TABLES + "CREATE TABLE user_quotas AS SELECT u.user_id, u.name, q.quota FROM users u "
                + "JOIN quotas q ON u.user_id = q.user_id;\n";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            d.pipe("users", "u1", user("u1", "ann"), 1)       // no quota yet: no row
                    .pipe("quotas", "u1", quota("u1", 10), 2)  // joined
                    .pipe("quotas", "u1", quota("u1", 20), 3)  // right side updated
                    .pipe("users", "u1", user("u1", "anna"), 4) // left side updated
                    .pipe("quotas", "u1", null, 5)             // right side deleted: the row goes
                    .pipe("quotas", "u1", quota("u1", 30), 6)  // and comes back
                    .pipe("users", "u1", null, 7);             // left side deleted: the row goes
            assertEquals(List.of(
                    joined("u1", "ann", 10L),
                    joined("u1", "ann", 20L),
                    joined("u1", "anna", 20L),
                    "u1 -> null",
                    joined("u1", "anna", 30L),
                    "u1 -> null"), d.output("user_quotas"));
        }
    }

    @Test
    void aLeftTableJoinPadsAMissingRightRowAndUpdatesWhenItArrivesOrLeaves() {
        String sql = TABLES + "CREATE TABLE user_quotas AS SELECT u.user_id, u.name, q.quota FROM users u "
                + "LEFT JOIN quotas q ON u.user_id = q.user_id;\n";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            d.pipe("users", "u1", user("u1", "ann"), 1)
                    .pipe("quotas", "u1", quota("u1", 10), 2)
                    .pipe("quotas", "u1", null, 3)
                    .pipe("users", "u1", null, 4);
            assertEquals(List.of(
                    joined("u1", "ann", null),
                    joined("u1", "ann", 10L),
                    joined("u1", "ann", null), // the right row's deletion pads again, it does not delete
                    "u1 -> null"), d.output("user_quotas"));
        }
    }

    @Test
    void aForeignKeyJoinFollowsAChangedForeignKeyAndADeletedRightRow() {
        String sql = ""
                + "CREATE TABLE orders (order_id VARCHAR PRIMARY KEY, user_id VARCHAR, amount BIGINT) "
                + "WITH ('topic' = 'orders', 'format' = 'json');\n"
                + "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, name VARCHAR) WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE TABLE named_orders AS SELECT o.order_id, o.amount, u.name FROM orders o "
                + "JOIN users u ON o.user_id = u.user_id;\n";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            d.pipe("users", "u1", user("u1", "ann"), 1).pipe("users", "u2", user("u2", "bob"), 2)
                    .pipe("orders", "o1", "{\"order_id\":\"o1\",\"user_id\":\"u1\",\"amount\":5}", 3)
                    // the order is re-assigned to u2: the joined row now carries bob
                    .pipe("orders", "o1", "{\"order_id\":\"o1\",\"user_id\":\"u2\",\"amount\":5}", 4)
                    // u1 changes: o1 no longer refers to it, nothing to update
                    .pipe("users", "u1", user("u1", "annie"), 5)
                    // u2 is renamed, then deleted: the inner join loses its match and deletes the row
                    .pipe("users", "u2", user("u2", "robert"), 6)
                    .pipe("users", "u2", null, 7);
            assertEquals(List.of(
                    "o1 -> {\"order_id\":\"o1\",\"amount\":5,\"name\":\"ann\"}",
                    "o1 -> {\"order_id\":\"o1\",\"amount\":5,\"name\":\"bob\"}",
                    "o1 -> {\"order_id\":\"o1\",\"amount\":5,\"name\":\"robert\"}",
                    "o1 -> null"), d.output("named_orders"));
        }
    }
}
