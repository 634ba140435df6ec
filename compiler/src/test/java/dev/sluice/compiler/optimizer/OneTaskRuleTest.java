package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.RekeyStep;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.CLICKS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.USERS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With every source topic at one partition, re-keys happen in the task; otherwise the plan keeps its topics. */
class OneTaskRuleTest {
    private static final String VIEWS = "CREATE STREAM views (user_id VARCHAR, page VARCHAR, ts TIMESTAMP, "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'views', 'format' = 'json');\n";
    /** An interval join by user (both sides re-keyed), grouped by (user, page), then by page, then ranked. */
    private static final String JOINED = CLICKS + VIEWS + "CREATE TABLE per_page AS SELECT page, AVG(n) AS avg_n "
            + "FROM (SELECT c.user_id, c.page, COUNT(*) AS n FROM clicks c, views v WHERE c.user_id = v.user_id "
            + "AND v.ts >= c.ts AND v.ts <= c.ts + INTERVAL '1' MINUTE GROUP BY c.user_id, c.page) x GROUP BY page;\n";
    /** A windowed GROUP BY, a stream-table join and a top-N over a stream. */
    private static final String MIXED = EVENTS + USERS + CLICKS
            + "CREATE TABLE per_page AS SELECT page, window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, "
            + "DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY page, window_start, window_end;\n"
            + "CREATE STREAM enriched AS SELECT e.user_id, u.tier, e.revenue FROM events e JOIN users u ON e.user_id = u.id;\n"
            + "CREATE TABLE top2 AS SELECT user_id, country, revenue FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
            + "country ORDER BY revenue DESC) AS rn FROM events) WHERE rn <= 2;\n";

    private static CompiledScript compile(String sql, boolean singlePartitionSources) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).withSinglePartitionSources(singlePartitionSources)
                .compile(sql, "test", BuildOptions.PRODUCTION);
    }

    private static Set<String> repartitionTopics(CompiledScript compiled) {
        Set<String> out = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : compiled.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
                    // without the application id, however the topology prints it
                    s.topicSet().stream().filter(t -> t.endsWith("-repartition"))
                            .map(t -> t.startsWith("test-") ? t.substring("test-".length()) : t).forEach(out::add);
                }
            }
        }
        return out;
    }

    private static List<String> fired(CompiledScript compiled) {
        return compiled.optimization().fired().stream().map(OptimizationReport.Fired::rule).toList();
    }

    @Test
    void joinsAndGroupBysOfOnePartitionSourcesReKeyInTheTask() {
        CompiledScript partitioned = compile(JOINED, false);
        assertEquals(Set.of("per_page-aggregate-groupby-repartition", "per_page-x-c-rekey-repartition",
                "per_page-x-v-rekey-repartition"), repartitionTopics(partitioned));
        CompiledScript one = compile(JOINED, true);
        // the second GROUP BY reads a table (the first one's result): TableAggregateBuilder's own topic stays
        assertEquals(Set.of("per_page-aggregate-groupby-repartition"), repartitionTopics(one),
                one.topology().describe().toString());
        assertTrue(all(root(one, "per_page"), RekeyStep.class).stream().allMatch(RekeyStep::local));
        // the two sources, the join and the first GROUP BY in one sub-topology; the second behind its topic
        assertEquals(2, one.topology().describe().subtopologies().size(), one.topology().describe().toString());
        assertEquals(2, fired(one).stream().filter("onetask"::equals).count(), one.optimization().toString());
        // the stores keep the names derived from the query
        assertEquals(stores(partitioned), stores(one));
    }

    @Test
    void windowedGroupBysStreamTableJoinsAndRankingsToo() {
        CompiledScript partitioned = compile(MIXED, false);
        assertFalse(repartitionTopics(partitioned).isEmpty());
        CompiledScript one = compile(MIXED, true);
        // a source table keyed from its value keeps the topic of its toTable (SourceBuilder, not a re-key step)
        assertEquals(Set.of("users-table-repartition"), repartitionTopics(one), one.topology().describe().toString());
        RankStep rank = all(root(one, "top2"), RankStep.class).get(0);
        assertTrue(rank.rankedInTask() && rank.tableInTask(), rank.toString());
        assertTrue(one.optimization().fired().stream().anyMatch(f -> f.rule().equals("onetask")
                && f.description().contains("every source topic has one partition")), one.optimization().toString());
        assertTrue(stores(partitioned).containsAll(stores(one)), stores(one) + " vs " + stores(partitioned));
    }

    @Test
    void unknownOrSeveralPartitionsKeepTheTopics() {
        CompiledScript unknown = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(JOINED, "test", BuildOptions.PRODUCTION);
        assertFalse(fired(unknown).contains("onetask"), unknown.optimization().toString());
        assertEquals(repartitionTopics(compile(JOINED, false)), repartitionTopics(unknown));
        assertEquals(compile(MIXED, false).topology().describe().toString(),
                new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(MIXED, "test", BuildOptions.PRODUCTION)
                        .topology().describe().toString());
    }

    @Test
    void offWhenTheScriptLeavesTheRuleOut() {
        CompiledScript off = compile("SET 'sluice.optimizer.rules' = 'pushdown,prune,rekey,colocate,share,top';\n"
                + JOINED, true);
        assertFalse(fired(off).contains("onetask"), off.optimization().toString());
        assertEquals(3, repartitionTopics(off).size(), off.topology().describe().toString());
    }

    @Test
    void aTableGroupByKeepsItsTopic() {
        CompiledScript one = compile(USERS + "CREATE TABLE per_tier AS SELECT tier, COUNT(*) AS n FROM users "
                + "GROUP BY tier;\n", true);
        assertEquals(Set.of("per_tier-aggregate-groupby-repartition", "users-table-repartition"), repartitionTopics(one),
                one.topology().describe().toString());
    }

    private static Set<String> stores(CompiledScript compiled) {
        Set<String> out = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : compiled.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    out.addAll(p.stores());
                }
            }
        }
        return out;
    }
}
