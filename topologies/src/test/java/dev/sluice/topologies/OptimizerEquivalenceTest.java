package dev.sluice.topologies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ScriptFiles;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.optimizer.OptimizationReport;
import dev.sluice.compiler.optimizer.OptimizerSettings;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The optimizer keeps results: every case of every pipeline in {@code topologies/} replays to the
 * same rows (as multisets, with the golden tests' number tolerance) with all rules on as with all
 * rules off, whatever the script itself SETs.
 */
class OptimizerEquivalenceTest {

    @TestFactory
    List<DynamicNode> everyPipelineGivesTheSameRowsWithAndWithoutTheOptimizer() {
        List<DynamicNode> tests = new ArrayList<>();
        for (Path pipeline : Pipelines.all()) {
            for (Path c : Pipelines.cases(pipeline)) {
                tests.add(DynamicTest.dynamicTest(pipeline.getFileName() + "/" + c.getFileName(),
                        () -> sameRows(pipeline, c)));
            }
        }
        assertFalse(tests.isEmpty(), "no pipeline cases under " + Pipelines.root());
        return tests;
    }

    private static void sameRows(Path pipeline, Path caseDir) throws Exception {
        ReplayResult off = new Replayer().replay(compile(pipeline, OptimizerSettings.none()), Pipelines.inputs(caseDir),
                false);
        ReplayResult on = new Replayer().replay(compile(pipeline, OptimizerSettings.all()), Pipelines.inputs(caseDir),
                false);
        assertEquals(off.columns(), on.columns(), "printed columns differ");
        Path expectedFile = caseDir.resolve("expected.jsonl");
        if (java.nio.file.Files.readString(expectedFile).contains("approx_between")) {
            // Approximate aggregates differ from run to run; both runs must fall in the expected bands.
            List<ObjectNode> expected = RowMatcher.parse(java.nio.file.Files.readAllLines(expectedFile));
            assertEquals("", RowMatcher.diff(expected, off.rows()), "optimizer off");
            assertEquals("", RowMatcher.diff(expected, on.rows()), "optimizer on");
            return;
        }
        String diff = RowMatcher.diff(off.rows(), on.rows());
        if (!diff.isEmpty()) {
            fail(pipeline.getFileName() + "/" + caseDir.getFileName() + " with the optimizer on (expected = off): " + diff);
        }
        assertEquals(off.badRecords(), on.badRecords(), "bad record counts differ");
    }

    static CompiledScript compile(Path pipeline, OptimizerSettings rules) {
        Path script = pipeline.resolve("pipeline.sql");
        return new SluiceCompiler(new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW)).withOptimizer(rules)
                .compile(ScriptFiles.read(script), ScriptFiles.name(script), BuildOptions.REPLAY);
    }

    @Test
    void seed003ThreeSessionizationsBecomeOneSharedAggregation() {
        CompiledScript compiled = compile(Pipelines.root().resolve("seed003_shared_sessions"), OptimizerSettings.all());
        List<OptimizationReport.SharedNode> aggregates = compiled.optimization().shared().stream()
                .filter(n -> n.kind().equals("Aggregate")).toList();
        assertEquals(1, aggregates.size(), compiled.optimization().toString());
        assertEquals(List.of("model_a", "model_b", "model_c"), aggregates.get(0).consumers());
        assertTrue(aggregates.get(0).name().matches("shared-[0-9a-f]{8}-aggregate"), aggregates.get(0).name());
    }

    @Test
    void seed003SixtyMinuteSessionsAreNotSharedWithThirtyMinuteOnes() {
        CompiledScript compiled = compile(Pipelines.root().resolve("seed003_no_sharing_60min"), OptimizerSettings.all());
        List<OptimizationReport.SharedNode> aggregates = compiled.optimization().shared().stream()
                .filter(n -> n.kind().equals("Aggregate")).toList();
        assertEquals(1, aggregates.size(), compiled.optimization().toString());
        assertEquals(List.of("model_a", "model_b"), aggregates.get(0).consumers());
    }

    @Test
    void seed003ExpectedRowsMatchWithTheOptimizerOff() throws Exception {
        Path pipeline = Pipelines.root().resolve("seed003_shared_sessions");
        Path caseDir = pipeline.resolve("cases/six_sessions");
        ReplayResult off = new Replayer().replay(compile(pipeline, OptimizerSettings.none()), Pipelines.inputs(caseDir),
                false);
        List<ObjectNode> expected = RowMatcher.parse(java.nio.file.Files.readAllLines(caseDir.resolve("expected.jsonl")));
        assertEquals("", RowMatcher.diff(expected, off.rows()));
    }

    /** Rules no shipped pipeline triggers (repartition elimination) replayed on and off, with hand-computed rows. */
    @Test
    void joinThenGroupByTheJoinKeyAndRegroupingByTheSameKeyGiveTheSameRowsWithoutTheirRepartitions(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String sql = "CREATE STREAM events (user_id VARCHAR, revenue DOUBLE, event_time TIMESTAMP ROWTIME) "
                + "WITH ('topic' = 'events', 'format' = 'json');\n"
                + "CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, age INT) WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE TABLE per_user AS SELECT e.user_id, SUM(e.revenue) AS total, COUNT(*) AS n FROM events e "
                + "JOIN users u ON e.user_id = u.id GROUP BY e.user_id;\n"
                + "CREATE TABLE regrouped AS SELECT user_id, MAX(n) AS most FROM (SELECT user_id, COUNT(*) AS n "
                + "FROM events GROUP BY user_id) c GROUP BY user_id;\n"
                + "CREATE STREAM big AS SELECT e.user_id, u.name, e.revenue FROM events e JOIN users u "
                + "ON e.user_id = u.id WHERE e.revenue > 5;\n";
        Path events = java.nio.file.Files.writeString(dir.resolve("events.jsonl"), ""
                + "{\"user_id\":\"u1\",\"revenue\":10.0,\"event_time\":\"2024-01-15 10:00:00.000\"}\n"
                + "{\"user_id\":\"u1\",\"revenue\":3.0,\"event_time\":\"2024-01-15 10:01:00.000\"}\n"
                + "{\"user_id\":\"u2\",\"revenue\":7.0,\"event_time\":\"2024-01-15 10:02:00.000\"}\n"
                + "{\"user_id\":\"u3\",\"revenue\":100.0,\"event_time\":\"2024-01-15 10:03:00.000\"}\n"
                + "{\"user_id\":\"u1\",\"revenue\":6.0,\"event_time\":\"2024-01-15 10:04:00.000\"}\n");
        Path users = java.nio.file.Files.writeString(dir.resolve("users.jsonl"), ""
                + "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":40}\n{\"id\":\"u2\",\"name\":\"Bo\",\"age\":25}\n");
        List<dev.sluice.cli.replay.ReplayInput> inputs = List.of(new dev.sluice.cli.replay.ReplayInput("events", events),
                new dev.sluice.cli.replay.ReplayInput("users", users));
        SluiceCompiler compiler = new SluiceCompiler(new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW));
        CompiledScript on = compiler.withOptimizer(OptimizerSettings.all()).compile(sql, "rekey", BuildOptions.REPLAY);
        CompiledScript off = compiler.withOptimizer(OptimizerSettings.none()).compile(sql, "rekey", BuildOptions.REPLAY);
        // `regrouped` aggregates a table (the sub-query's GROUP BY result): that is a changelog
        // aggregation with retraction (KTable#groupBy), which always repartitions in Kafka Streams,
        // so only per_user's re-key is removed.
        assertEquals(List.of("pushdown", "pushdown", "prune", "rekey"), on.optimization().fired()
                .stream().map(OptimizationReport.Fired::rule).toList(), on.optimization().toString());
        String topology = on.topology().describe().toString();
        assertFalse(topology.contains("per_user-groupby-repartition"), topology);
        // u3 has no user row: no join. per_user u1: 10 + 3 + 6 = 19 over 3 events; big keeps revenue > 5.
        List<ObjectNode> expected = RowMatcher.parse(List.of(
                "{\"_sink\":\"per_user\",\"user_id\":\"u1\",\"total\":19.0,\"n\":3}",
                "{\"_sink\":\"per_user\",\"user_id\":\"u2\",\"total\":7.0,\"n\":1}",
                "{\"_sink\":\"regrouped\",\"user_id\":\"u1\",\"most\":3}",
                "{\"_sink\":\"regrouped\",\"user_id\":\"u2\",\"most\":1}",
                "{\"_sink\":\"regrouped\",\"user_id\":\"u3\",\"most\":1}",
                "{\"_sink\":\"big\",\"user_id\":\"u1\",\"name\":\"Ann\",\"revenue\":10.0}",
                "{\"_sink\":\"big\",\"user_id\":\"u2\",\"name\":\"Bo\",\"revenue\":7.0}",
                "{\"_sink\":\"big\",\"user_id\":\"u1\",\"name\":\"Ann\",\"revenue\":6.0}"));
        assertEquals("", RowMatcher.diff(expected, new Replayer().replay(off, inputs, false).rows()), "optimizer off");
        assertEquals("", RowMatcher.diff(expected, new Replayer().replay(on, inputs, false).rows()), "optimizer on");
    }
}
