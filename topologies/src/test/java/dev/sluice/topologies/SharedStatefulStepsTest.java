package dev.sluice.topologies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.optimizer.OptimizationReport;
import dev.sluice.compiler.optimizer.OptimizerSettings;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two queries over one deduplication, one ranking and one LAG/LEAD sub-plan: with every optimizer
 * rule on, the share rule must fire on that stateful step (one store for both queries), and the
 * printed query must still give the Flink oracle's rows of its pipeline (and the same rows as with
 * the rules off). Each script is a shipped pipeline with a second, persistent query put in front
 * of its printed SELECT.
 */
class SharedStatefulStepsTest {

    private static final String DEDUP = "SELECT DISTINCT ON (event_id) event_id, user_id, model_name, latency_ms, "
            + "cost_usd, event_time FROM feedback_events ORDER BY event_id, event_time";

    @Test
    void twoQueriesOverOneDistinctOnShareTheDeduplication() throws Exception {
        sharedAndUnchanged("l9p3_dedup", "Deduplicate",
                "CREATE TABLE per_model AS SELECT model_name, COUNT(*) AS events FROM (" + DEDUP + ") d "
                        + "GROUP BY model_name;\n");
    }

    @Test
    void twoQueriesOverOneRankingShareTheRank() throws Exception {
        sharedAndUnchanged("l9_top2_users_per_model", "Rank",
                "CREATE TABLE top_users AS SELECT model_name, user_id FROM (SELECT model_name, user_id, "
                        + "SUM(cost_usd) AS total_cost, ROW_NUMBER() OVER (PARTITION BY model_name ORDER BY "
                        + "SUM(cost_usd) DESC) AS rn FROM feedback_events GROUP BY model_name, user_id) WHERE rn <= 2;\n");
    }

    @Test
    void twoQueriesOverOneLagShareTheLagStep() throws Exception {
        sharedAndUnchanged("l9_lag_lead_stream", "LagLead",
                "CREATE STREAM slower AS SELECT user_id, event_id FROM (SELECT user_id, event_id, event_time, "
                        + "latency_ms, LAG(latency_ms) OVER (PARTITION BY user_id ORDER BY event_time) AS prev_latency, "
                        + "LAG(model_name, 2, 'none') OVER (PARTITION BY user_id ORDER BY event_time) AS model_2_before, "
                        + "LEAD(latency_ms) OVER (PARTITION BY user_id ORDER BY event_time) AS next_latency "
                        + "FROM feedback_events) t WHERE latency_ms > prev_latency;\n");
    }

    /** {@code extra} is put before the pipeline's printed SELECT, its last statement. */
    private static void sharedAndUnchanged(String pipelineName, String sharedKind, String extra) throws Exception {
        Path pipeline = Pipelines.root().resolve(pipelineName);
        String sql = Files.readString(pipeline.resolve("pipeline.sql")).stripTrailing();
        int last = lastStatementStart(sql);
        String script = sql.substring(0, last) + "\n" + extra + sql.substring(last);
        CompiledScript on = compile(script, OptimizerSettings.all());
        List<OptimizationReport.SharedNode> shared = on.optimization().shared().stream()
                .filter(n -> n.kind().equals(sharedKind)).toList();
        assertEquals(1, shared.size(), on.optimization().toString());
        assertEquals(2, shared.get(0).consumers().size(), shared.get(0).toString());
        assertTrue(on.optimization().fired().stream().anyMatch(f -> f.rule().equals("share")),
                on.optimization().toString());
        CompiledScript off = compile(script, OptimizerSettings.none());
        for (Path c : Pipelines.cases(pipeline)) {
            ReplayResult withRules = new Replayer().replay(on, Pipelines.inputs(c), false);
            ReplayResult without = new Replayer().replay(off, Pipelines.inputs(c), false);
            List<ObjectNode> expected = RowMatcher.parse(Files.readAllLines(c.resolve("expected.jsonl")));
            assertEquals("", RowMatcher.diff(expected, withRules.rows()), c + " with every rule on");
            assertEquals("", RowMatcher.diff(expected, without.rows()), c + " with the rules off");
        }
    }

    /** The printed query: the last SELECT that starts a line (comments may hold semicolons). */
    private static int lastStatementStart(String sql) {
        int at = sql.lastIndexOf("\nSELECT");
        if (at < 0) {
            throw new IllegalStateException("no final SELECT in the pipeline");
        }
        return at + 1;
    }

    private static CompiledScript compile(String sql, OptimizerSettings rules) {
        return new SluiceCompiler(new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW)).withOptimizer(rules)
                .compile(sql, "shared", BuildOptions.REPLAY);
    }
}
