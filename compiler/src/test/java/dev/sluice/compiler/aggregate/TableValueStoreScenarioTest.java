package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.optimizer.StateResources;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIN/MAX and DISTINCT calls of a GROUP BY over a table keep their values in
 * {@code <step>-values-store} ((group, call, value) → count, as Flink's MapState): retracting the
 * current extreme reveals the next one, a duplicate DISTINCT value leaves only with its last row,
 * and a group emptied of rows is deleted and leaves no value behind.
 *
 * <p>Each expected list is Flink's ordered changelog ({@code oracle.sh --changelog raw --no-sort}
 * over the same changes as a {@code debezium-json} source), less one thing: Flink applies an update
 * within a group as a retraction then an insertion, each emitted, where Sluice (like
 * {@code KTable#groupBy} since KIP-904) applies it in one step: Flink's transient -U/+U pair in
 * the middle of such an update is not in Sluice's changelog (marked where it applies).
 */
class TableValueStoreScenarioTest {
    private static List<String> values(ChangelogDriver d) {
        return d.read().stream().map(r -> r.substring(r.indexOf("-> ") + 3, r.lastIndexOf(" @"))).toList();
    }

    @Test
    void retractingTheCurrentMinOrMaxRevealsTheNextAndDuplicateDistinctValuesLeaveWithTheirLastRow() {
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, score BIGINT) "
                + "WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, COUNT(*) AS users, MIN(score) AS low, MAX(score) AS high, "
                + "COUNT(DISTINCT score) AS scores, SUM(DISTINCT score) AS score_sum FROM users GROUP BY region";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            long t = 1_000;
            for (String[] u : new String[][] {{"u1", "eu", "10"}, {"u2", "eu", "20"}, {"u3", "eu", "20"},
                    {"u4", "eu", "5"}, {"u4", "eu", "30"}, {"u4", null, null}, {"u2", null, null},
                    {"u3", "us", "20"}, {"u1", null, null}}) {
                d.pipe("users", u[0], u[1] == null ? null
                        : "{\"user_id\":\"" + u[0] + "\",\"region\":\"" + u[1] + "\",\"score\":" + u[2] + "}", t);
                t += 1_000;
            }
            assertEquals(List.of(
                    "{\"region\":\"eu\",\"users\":1,\"low\":10,\"high\":10,\"scores\":1,\"score_sum\":10,\"op\":\"+I\"}",
                    "{\"region\":\"eu\",\"users\":1,\"low\":10,\"high\":10,\"scores\":1,\"score_sum\":10,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":2,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"+U\"}",
                    // u3 brings a second 20: the DISTINCT calls do not move
                    "{\"region\":\"eu\",\"users\":2,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":3,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"+U\"}",
                    "{\"region\":\"eu\",\"users\":3,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":4,\"low\":5,\"high\":20,\"scores\":3,\"score_sum\":35,\"op\":\"+U\"}",
                    // u4 5 -> 30 retracts the current MIN (Flink: a transient -U/+U with users 3 here)
                    "{\"region\":\"eu\",\"users\":4,\"low\":5,\"high\":20,\"scores\":3,\"score_sum\":35,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":4,\"low\":10,\"high\":30,\"scores\":3,\"score_sum\":60,\"op\":\"+U\"}",
                    // u4 deleted: the current MAX goes
                    "{\"region\":\"eu\",\"users\":4,\"low\":10,\"high\":30,\"scores\":3,\"score_sum\":60,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":3,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"+U\"}",
                    // u2 deleted: one of two 20s, so MAX and the DISTINCT calls stay
                    "{\"region\":\"eu\",\"users\":3,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":2,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"+U\"}",
                    // u3 moves to us with the last 20
                    "{\"region\":\"eu\",\"users\":2,\"low\":10,\"high\":20,\"scores\":2,\"score_sum\":30,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"users\":1,\"low\":10,\"high\":10,\"scores\":1,\"score_sum\":10,\"op\":\"+U\"}",
                    "{\"region\":\"us\",\"users\":1,\"low\":20,\"high\":20,\"scores\":1,\"score_sum\":20,\"op\":\"+I\"}",
                    // u1 deleted: eu has no row left
                    "{\"region\":\"eu\",\"users\":1,\"low\":10,\"high\":10,\"scores\":1,\"score_sum\":10,\"op\":\"-D\"}"),
                    values(d));
            // us holds one value per call (MIN, MAX, two DISTINCT calls); eu left nothing behind
            assertEquals(4, d.entries(d.store("-values-store")));
        }
    }

    @Test
    void varcharAndDoubleExtremesAndAFilteredDistinctFollowRetractionsUntilTheGroupIsDeleted() {
        String sql = "CREATE TABLE people (user_id VARCHAR PRIMARY KEY, region VARCHAR, name VARCHAR, "
                + "score DOUBLE) WITH ('topic' = 'people', 'format' = 'json');\n"
                + "CREATE STREAM c AS SELECT region, MIN(name) AS first_name, MAX(name) AS last_name, "
                + "MIN(score) AS low, MAX(score) AS high, "
                + "COUNT(DISTINCT name) FILTER (WHERE score > 0) AS positive_names FROM people GROUP BY region";
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            long t = 1_000;
            for (String[] p : new String[][] {{"u1", "bob", "1.5"}, {"u2", "alice", "-2.0"}, {"u3", "carol", "0.5"},
                    {"u2", "dave", "3.0"}, {"u3", null, null}, {"u1", null, null}, {"u2", null, null}}) {
                d.pipe("people", p[0], p[1] == null ? null : "{\"user_id\":\"" + p[0] + "\",\"region\":\"eu\","
                        + "\"name\":\"" + p[1] + "\",\"score\":" + p[2] + "}", t);
                t += 1_000;
            }
            assertEquals(List.of(
                    "{\"region\":\"eu\",\"first_name\":\"bob\",\"last_name\":\"bob\",\"low\":1.5,\"high\":1.5,\"positive_names\":1,\"op\":\"+I\"}",
                    "{\"region\":\"eu\",\"first_name\":\"bob\",\"last_name\":\"bob\",\"low\":1.5,\"high\":1.5,\"positive_names\":1,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"alice\",\"last_name\":\"bob\",\"low\":-2.0,\"high\":1.5,\"positive_names\":1,\"op\":\"+U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"alice\",\"last_name\":\"bob\",\"low\":-2.0,\"high\":1.5,\"positive_names\":1,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"alice\",\"last_name\":\"carol\",\"low\":-2.0,\"high\":1.5,\"positive_names\":2,\"op\":\"+U\"}",
                    // u2 alice -2.0 -> dave 3.0 (Flink: a transient -U/+U without u2 here)
                    "{\"region\":\"eu\",\"first_name\":\"alice\",\"last_name\":\"carol\",\"low\":-2.0,\"high\":1.5,\"positive_names\":2,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"bob\",\"last_name\":\"dave\",\"low\":0.5,\"high\":3.0,\"positive_names\":3,\"op\":\"+U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"bob\",\"last_name\":\"dave\",\"low\":0.5,\"high\":3.0,\"positive_names\":3,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"bob\",\"last_name\":\"dave\",\"low\":1.5,\"high\":3.0,\"positive_names\":2,\"op\":\"+U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"bob\",\"last_name\":\"dave\",\"low\":1.5,\"high\":3.0,\"positive_names\":2,\"op\":\"-U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"dave\",\"last_name\":\"dave\",\"low\":3.0,\"high\":3.0,\"positive_names\":1,\"op\":\"+U\"}",
                    "{\"region\":\"eu\",\"first_name\":\"dave\",\"last_name\":\"dave\",\"low\":3.0,\"high\":3.0,\"positive_names\":1,\"op\":\"-D\"}"),
                    values(d));
            // the emptied group left no value, and both stores are changelogged (restored on restart)
            String store = d.store("-values-store");
            assertEquals(0, d.entries(store));
            // each update's old row comes from the users table's store: no store of the GROUP BY's own keeps it
            assertTrue(d.stores().stream().noneMatch(s -> s.endsWith("-previous-store")), d.stores().toString());
            for (String s : List.of(store, store.replace("-values-store", "-store"))) {
                assertTrue(d.producedTopics().stream().anyMatch(topic -> topic.endsWith("-" + s + "-changelog")),
                        s + " is not changelogged: " + d.producedTopics());
            }
        }
    }

    private static java.util.Map<String, String> resources(String scoreType) {
        // resource name (application id dropped) -> what its bytes mean, as sluice diff compares them
        String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, score " + scoreType + ") "
                + "WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE TABLE by_region AS SELECT region, MAX(score) AS high FROM users GROUP BY region";
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (StateResources.Resource r : StateResources.of(new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "t", BuildOptions.PRODUCTION))) {
            out.put(r.name().replaceFirst("^.*?(by_region)", "$1"), r.value());
        }
        return out;
    }

    /**
     * sluice diff sees the value store, and the repartition topic's meaning includes the input rows. No
     * previous-row store: the materialized input table sends each update's old row.
     */
    @Test
    void sluiceDiffSeesTheValueStoreOfATableGroupBy() {
        java.util.Map<String, String> bigint = resources("BIGINT");
        for (String role : List.of("store", "values-store", "table-store")) {
            assertTrue(bigint.keySet().stream().anyMatch(n -> n.endsWith("-aggregate-" + role)), role + ": " + bigint);
            assertTrue(bigint.keySet().stream().anyMatch(n -> n.endsWith("-aggregate-" + role + "-changelog")),
                    role + " changelog: " + bigint);
        }
        assertTrue(bigint.keySet().stream().noneMatch(n -> n.contains("-previous-store")), bigint.toString());
        String repartition = bigint.keySet().stream().filter(n -> n.endsWith("-aggregate-groupby-repartition"))
                .findFirst().orElseThrow(() -> new AssertionError(bigint.toString()));
        // its bytes are input rows: an input column's type is part of what it means
        assertTrue(bigint.get(repartition).contains("rows ") && bigint.get(repartition).contains("BIGINT"),
                bigint.get(repartition));
    }
}
