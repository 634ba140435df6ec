package dev.sluice.topologies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.BuildOptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every pipeline in {@code topologies/}: its topology matches the reviewed golden
 * {@code topology.txt} and names every processor, store and topic itself; every case's replay
 * gives exactly the expected rows, and where a case has {@code changelog.jsonl}, exactly that ordered
 * changelog. {@code -Dsluice.regenerate=true} rewrites the golden files on
 * purpose (review the diff).
 */
class PipelinesTest {
    static final Pattern GENERATED = Pattern.compile("K(STREAM|TABLE)-[A-Z-]+-\\d{10}");
    private static final boolean REGENERATE = Boolean.getBoolean("sluice.regenerate");

    @TestFactory
    List<DynamicNode> pipelines() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path pipeline : Pipelines.all()) {
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("topology matches topology.txt", () -> golden(pipeline)));
            for (Path c : Pipelines.cases(pipeline)) {
                tests.add(DynamicTest.dynamicTest("case " + c.getFileName(), () -> runCase(pipeline, c)));
            }
            nodes.add(DynamicContainer.dynamicContainer(pipeline.getFileName().toString(), tests));
        }
        assertFalse(nodes.isEmpty(), "no pipelines found under " + Pipelines.root());
        return nodes;
    }

    private static void golden(Path pipeline) throws Exception {
        CompiledScript compiled = Pipelines.compile(pipeline, BuildOptions.PRODUCTION);
        String actual = compiled.topology().describe().toString();
        assertFalse(GENERATED.matcher(actual).find(), "generated Kafka Streams names in " + pipeline + ":\n" + actual);
        Path golden = pipeline.resolve("topology.txt");
        if (REGENERATE) {
            Files.writeString(golden, actual);
        }
        // A missing golden file is a failure, not a file to write: the topology must be reviewed.
        assertTrue(Files.exists(golden), "missing " + golden + ": run with -Dsluice.regenerate=true, review "
                + "the new topology.txt and commit it");
        assertEquals(Files.readString(golden), actual, "topology of " + pipeline.getFileName()
                + " changed; if on purpose, run with -Dsluice.regenerate=true and review the diff");
    }

    /**
     * A pipeline whose {@code changelog} file says {@code per-key: a b}: Flink's two-input operators
     * interleave their inputs as network buffers fill, so only each key's changes have a fixed order;
     * the key of a change is its first non-NULL column among {@code a b} (a padded row's key is on
     * the side that is present).
     */
    private static List<String> perKeyColumns(Path pipeline) throws java.io.IOException {
        Path marker = pipeline.resolve("changelog");
        String text = Files.exists(marker) ? Files.readString(marker).strip() : "";
        if (!text.startsWith("per-key:")) {
            return List.of();
        }
        return List.of(text.substring("per-key:".length()).strip().split("\\s+"));
    }

    private static void runCase(Path pipeline, Path caseDir) throws Exception {
        runCase(pipeline, caseDir, Pipelines.compile(pipeline, BuildOptions.REPLAY));
    }

    /** The case's checks (rows, ordered changelog, Flink's changelog, ORDER BY) on this compilation of the pipeline. */
    static void runCase(Path pipeline, Path caseDir, CompiledScript compiled) throws Exception {
        ReplayResult result = new Replayer().replay(compiled, Pipelines.inputs(caseDir), false);
        Path expectedFile = caseDir.resolve("expected.jsonl");
        assertTrue(Files.exists(expectedFile), "missing " + expectedFile);
        List<ObjectNode> expected = RowMatcher.parse(Files.readAllLines(expectedFile));
        String diff = RowMatcher.diff(expected, result.rows());
        if (!diff.isEmpty()) {
            fail(pipeline.getFileName() + "/" + caseDir.getFileName() + ": " + diff);
        }
        Path changelog = caseDir.resolve("changelog.jsonl");
        if (Files.exists(changelog)) {
            // An updating result: the ordered changelog (+I/-U/+U/-D) is the result, not only its final rows.
            ReplayResult changes = new Replayer().replay(compiled, Pipelines.inputs(caseDir), true);
            List<ObjectNode> flinkOrder = RowMatcher.parse(Files.readAllLines(changelog));
            List<String> perKey = perKeyColumns(pipeline);
            String orderDiff = perKey.isEmpty() ? RowMatcher.orderedDiff(flinkOrder, changes.rows())
                    : RowMatcher.orderedDiffPerKey(flinkOrder, changes.rows(), perKey);
            if (!orderDiff.isEmpty()) {
                fail(pipeline.getFileName() + "/" + caseDir.getFileName() + " changelog: " + orderDiff);
            }
        }
        Path flinkChangelog = caseDir.resolve("flink-changelog.jsonl");
        if (Files.exists(flinkChangelog)) {
            // Flink's changelog where Sluice's legitimately differs in transient rows (Flink retracts
            // and re-inserts an updated row, Sluice replaces it): Sluice's must still be well formed,
            // end in Flink's final rows, and never show a row Flink never showed.
            ReplayResult changes = new Replayer().replay(compiled, Pipelines.inputs(caseDir), true);
            String problems = ChangelogCheck.against(RowMatcher.parse(Files.readAllLines(flinkChangelog)), changes.rows(),
                    expected);
            if (!problems.isEmpty()) {
                fail(pipeline.getFileName() + "/" + caseDir.getFileName() + " changelog: " + problems);
            }
        }
        Path order = caseDir.resolve("ordered");
        if (Files.exists(order)) {
            // The query has ORDER BY: the printed sequence of the sort columns is part of the result
            // (rows tied on them may come in any order).
            List<String> keys = Files.readAllLines(order).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            for (int i = 0; i < expected.size(); i++) {
                for (String key : keys) {
                    assertTrue(RowMatcher.valueEquals(expected.get(i).get(key), result.rows().get(i).get(key)),
                            "row " + i + " out of order on " + key + ": expected " + expected.get(i) + ", got "
                                    + result.rows().get(i));
                }
            }
        }
    }
}
