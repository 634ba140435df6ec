package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.RekeyStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.CLICKS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.USERS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GROUP BY by a key that contains its input's partitioning key re-keys in the task, without a topic. */
class ColocateRuleTest {
    private static final String VIEWS = "CREATE STREAM views (user_id VARCHAR, page VARCHAR, ts TIMESTAMP, "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'views', 'format' = 'json');\n";
    /** Nexmark q4's shape: an interval join by user, grouped by (user, page), then by page. */
    private static final String PER_PAGE = CLICKS + VIEWS + "CREATE TABLE per_page AS SELECT page, AVG(n) AS avg_n "
            + "FROM (SELECT c.user_id, c.page, COUNT(*) AS n FROM clicks c, views v WHERE c.user_id = v.user_id "
            + "AND v.ts >= c.ts AND v.ts <= c.ts + INTERVAL '1' MINUTE GROUP BY c.user_id, c.page) x GROUP BY page;\n";

    private static List<String> fired(CompiledScript compiled) {
        return compiled.optimization().fired().stream().map(OptimizationReport.Fired::rule).toList();
    }

    @Test
    void groupingAJoinByAKeyThatContainsTheJoinKeyNeedsNoTopic() {
        CompiledScript compiled = compile(PER_PAGE, "all");
        assertEquals(1, fired(compiled).stream().filter("colocate"::equals).count(), compiled.optimization().toString());
        List<RekeyStep> rekeys = all(root(compiled, "per_page"), RekeyStep.class);
        assertEquals(List.of("per_page-x-groupby"), rekeys.stream().filter(RekeyStep::local).map(RekeyStep::name)
                .toList());
        String topology = compiled.topology().describe().toString();
        assertFalse(topology.contains("per_page-x-groupby-repartition"), topology);
        // the re-key in the task, chained with the prepare projection before it (StatelessChain)
        assertTrue(topology.contains("per_page-x-groupby-calc"), topology);
        // the join's inputs and the second GROUP BY (by page alone) still repartition
        assertTrue(topology.contains("per_page-x-c-rekey-repartition"), topology);
        assertTrue(topology.contains("per_page-aggregate-groupby-repartition"), topology);
        // clicks, views, the join with the first GROUP BY and its result table, the second GROUP BY
        assertEquals(4, compiled.topology().describe().subtopologies().size(), topology);
        assertTrue(OptimizerFixtures.explain(compiled).contains("(in the task: already partitioned by part of it, no topic)"),
                OptimizerFixtures.explain(compiled));
    }

    @Test
    void aStreamTableJoinGroupedByItsKeyAndAnotherColumnToo() {
        CompiledScript compiled = compile(EVENTS + USERS + "CREATE TABLE per_user_country AS SELECT e.user_id, "
                + "e.country, COUNT(*) AS n FROM events e JOIN users u ON e.user_id = u.id "
                + "GROUP BY e.country, e.user_id;\n", "all");
        assertTrue(fired(compiled).contains("colocate"), compiled.optimization().toString());
        assertFalse(compiled.topology().describe().toString().contains("per_user_country-groupby-repartition"));
    }

    @Test
    void aKeyWithoutThePartitioningColumnOrAWindowKeepsTheTopic() {
        CompiledScript compiled = compile(EVENTS + USERS
                + "CREATE TABLE per_country AS SELECT e.country, COUNT(*) AS n FROM events e JOIN users u "
                + "ON e.user_id = u.id GROUP BY e.country;\n"
                + "CREATE STREAM per_user_hour AS SELECT e.user_id, e.country, COUNT(*) AS n FROM events e "
                + "JOIN users u ON e.user_id = u.id GROUP BY e.user_id, e.country, "
                + "TUMBLE(e.event_time, INTERVAL '1' HOUR);\n", "all");
        assertFalse(fired(compiled).contains("colocate"), compiled.optimization().toString());
        String topology = compiled.topology().describe().toString();
        assertTrue(topology.contains("per_country-groupby-repartition"), topology);
        assertTrue(topology.contains("per_user_hour-groupby-repartition"), topology);
    }

    /**
     * A join that reads the groups as partitioned by their key, as its other side is, needs the
     * repartition by that key: in the task, the groups are partitioned by the user alone.
     */
    @Test
    void aJoinOnTheNewKeyKeepsTheTopic() {
        CompiledScript compiled = compile(EVENTS + USERS + "CREATE STREAM enriched AS SELECT e2.user_id, "
                + "e2.country, c.n FROM events e2 JOIN (SELECT e.user_id, e.country, COUNT(*) AS n FROM events e "
                + "JOIN users u ON e.user_id = u.id GROUP BY e.user_id, e.country) c "
                + "ON e2.user_id = c.user_id AND e2.country = c.country;\n", "all");
        assertFalse(fired(compiled).contains("colocate"), compiled.optimization().toString());
        assertTrue(all(root(compiled, "enriched"), RekeyStep.class).stream().noneMatch(RekeyStep::local));
    }

    /**
     * Without the rule the layout is the old one; an application that ran it is refused by the upgrade
     * check (records still in the topic would be lost), and nothing else of its state changes.
     */
    @Test
    void anApplicationThatRanWithTheTopicIsToldItCannotResume() {
        CompiledScript old = compile(PER_PAGE, "pushdown,prune,rekey,share");
        assertTrue(old.topology().describe().toString().contains("per_page-x-groupby-repartition"));
        UpgradeCheck.Result result = UpgradeCheck.compare(old, compile(PER_PAGE, "all"));
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        assertEquals(1, result.changes().size(), text);
        assertEquals(UpgradeCheck.Verdict.ORPHANED, result.changes().get(0).verdict(), text);
        assertTrue(result.changes().get(0).resource().name().endsWith("per_page-x-groupby-repartition"), text);
    }
}
