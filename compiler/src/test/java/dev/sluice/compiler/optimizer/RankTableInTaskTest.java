package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.RankStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.USERS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ranking's output table is built in the task that ranks (the {@code colocate} rule,
 * {@link RankStep#tableInTask}) unless a reader needs its rows partitioned by the whole key.
 */
class RankTableInTaskTest {
    private static final String TOP_PER_USER = "SELECT * FROM (SELECT user_id, country, revenue, ROW_NUMBER() "
            + "OVER (PARTITION BY user_id ORDER BY revenue DESC) AS rn FROM events) WHERE rn <= 2";
    /** Nexmark q19's shape: a top-N per key, written to a sink. */
    private static final String TOP2 = EVENTS + "CREATE TABLE top2 AS " + TOP_PER_USER + ";\n";

    private static List<String> fired(CompiledScript compiled) {
        return compiled.optimization().fired().stream().map(OptimizationReport.Fired::rule).toList();
    }

    private static List<RankStep> ranks(CompiledScript compiled, String query) {
        return all(root(compiled, query), RankStep.class);
    }

    @Test
    void aTopNWrittenToASinkHasNoSecondTopic() {
        CompiledScript compiled = compile(TOP2, "all");
        assertTrue(fired(compiled).contains("colocate"), compiled.optimization().toString());
        assertTrue(ranks(compiled, "top2").stream().allMatch(RankStep::tableInTask));
        String topology = compiled.topology().describe().toString();
        assertFalse(topology.contains("top2-subquery-rank-to-table-repartition"), topology);
        assertTrue(topology.contains("top2-subquery-rank-repartition"), topology); // the rank's own, by user
        // the source with the re-key by user; the rank with its table and the sink
        assertEquals(2, compiled.topology().describe().subtopologies().size(), topology);
        assertTrue(OptimizerFixtures.explain(compiled).contains("(output table in the task: no topic before it)"),
                OptimizerFixtures.explain(compiled));
    }

    @Test
    void aTableGroupByOverTheRankingRepartitionsByItsOwnKey() {
        CompiledScript compiled = compile(EVENTS + "CREATE TABLE per_country AS SELECT country, SUM(revenue) AS r "
                + "FROM (" + TOP_PER_USER + ") GROUP BY country;\n", "all");
        assertTrue(ranks(compiled, "per_country").stream().allMatch(RankStep::tableInTask));
        String topology = compiled.topology().describe().toString();
        assertFalse(topology.contains("rank-to-table-repartition"), topology);
        assertTrue(topology.contains("per_country-aggregate-groupby-repartition"), topology);
    }

    /** A join meets the ranking's rows with the other side's by key: the table stays behind its topic. */
    @Test
    void aJoinReadingTheRankingKeepsTheTopic() {
        CompiledScript compiled = compile(EVENTS + USERS + "CREATE TABLE joined AS SELECT t.user_id, t.revenue, "
                + "u.name FROM (" + TOP_PER_USER + ") t JOIN users u ON t.user_id = u.id;\n", "all");
        assertTrue(ranks(compiled, "joined").stream().noneMatch(RankStep::tableInTask));
        assertTrue(compiled.topology().describe().toString().contains("rank-to-table-repartition"));
    }

    /** Without the rule, the old layout; an application that ran it cannot resume (records in the topic). */
    @Test
    void anApplicationThatRanWithTheTopicIsToldItCannotResume() {
        CompiledScript old = compile(TOP2, "pushdown,prune,rekey,share");
        assertTrue(ranks(old, "top2").stream().noneMatch(RankStep::tableInTask));
        assertTrue(old.topology().describe().toString().contains("top2-subquery-rank-to-table-repartition"));
        UpgradeCheck.Result result = UpgradeCheck.compare(old, compile(TOP2, "all"));
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        // the topic is what stops it; the ranking's own store (and changelog) is retired: the ranking
        // in the task reads its kept rows from its table now
        var orphaned = result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.ORPHANED).toList();
        assertEquals(1, orphaned.size(), text);
        assertTrue(orphaned.get(0).resource().name().endsWith("top2-subquery-rank-to-table-repartition"), text);
        assertEquals(3, result.changes().size(), text);
        assertEquals(2, result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.RETIRED).count(), text);
    }

    private static String rankOverJoin(String partition) {
        return EVENTS + OptimizerFixtures.CLICKS + "CREATE TABLE top AS SELECT * FROM (SELECT e.user_id, e.country, "
                + "c.page, ROW_NUMBER() OVER (PARTITION BY " + partition + " ORDER BY e.revenue DESC) AS rn "
                + "FROM events e JOIN clicks c ON e.user_id = c.user_id) WHERE rn <= 1;\n";
    }

    /**
     * Nexmark q9's shape: the joined rows are made in the task of their join key, so a ranking
     * partitioned by it (or by more columns) ranks them there, without its own topic.
     */
    @Test
    void aRankingPartitionedByTheJoinKeyRanksInTheJoinsTask() {
        for (String partition : List.of("e.user_id", "e.country, e.user_id")) {
            CompiledScript compiled = compile(rankOverJoin(partition), "all");
            assertTrue(ranks(compiled, "top").stream().allMatch(r -> r.rankedInTask() && r.tableInTask()),
                    compiled.optimization().toString());
            String topology = compiled.topology().describe().toString();
            assertFalse(topology.contains("rank-repartition"), topology);
            assertTrue(topology.contains("rank-select-key"), topology); // re-keyed in the task
            // each source with its re-key; the join, the ranking, its table and the sink
            assertEquals(3, compiled.topology().describe().subtopologies().size(), topology);
            assertTrue(OptimizerFixtures.explain(compiled).contains("(ranked in its input's task: no topic before it)"),
                    OptimizerFixtures.explain(compiled));
        }
    }

    /** A partition without the join key spans tasks: the ranking keeps its topic. */
    @Test
    void aRankingByOtherColumnsKeepsItsTopic() {
        CompiledScript compiled = compile(rankOverJoin("e.country"), "all");
        assertTrue(ranks(compiled, "top").stream().noneMatch(RankStep::rankedInTask));
        assertTrue(compiled.topology().describe().toString().contains("top-subquery-rank-repartition"));
        // a ranking over the source (partitioned by nothing known) keeps it too
        assertTrue(ranks(compile(TOP2, "all"), "top2").stream().noneMatch(RankStep::rankedInTask));
    }

    /** An application that ran with the ranking's own topic cannot resume without it (records in it). */
    @Test
    void anApplicationThatRankedBehindTheTopicIsToldItCannotResume() {
        CompiledScript old = compile(rankOverJoin("e.user_id"), "pushdown,prune,rekey,share");
        assertTrue(old.topology().describe().toString().contains("top-subquery-rank-repartition"));
        UpgradeCheck.Result result = UpgradeCheck.compare(old, compile(rankOverJoin("e.user_id"), "all"));
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        assertTrue(result.changes().stream().anyMatch(c -> c.verdict() == UpgradeCheck.Verdict.ORPHANED
                && c.resource().name().endsWith("top-subquery-rank-repartition")), text);
    }
}
