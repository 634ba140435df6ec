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
}
