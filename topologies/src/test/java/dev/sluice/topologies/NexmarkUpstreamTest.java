package dev.sluice.topologies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ScriptFiles;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The held-out check: the Nexmark project's own files (its Kafka DDL, its views and q0-q23, never
 * copied into this repository) compiled and replayed as published, with only the Kafka table's
 * bootstrap servers filled in. Each query that Sluice runs must give the rows Flink gave for
 * Sluice's own version of it ({@code topologies/nexmark_<q>}); each query it does not run yet must
 * be refused with a message saying what is missing.
 *
 * <p>The files are read from {@code NEXMARK_QUERIES} (a directory holding ddl_kafka.sql,
 * ddl_views.sql and q*.sql) or else from the stored mirror of github.com/nexmark/nexmark
 * ({@code NEXMARK_MIRROR}, default {@code /work/.mirror/nexmark+nexmark/repo}).
 */
class NexmarkUpstreamTest {
    private static final String QUERIES = "nexmark-flink/src/main/resources/queries/";
    private static final String DEFAULT_MIRROR = "/work/.mirror/nexmark+nexmark/repo";

    /** What Sluice does not run yet, and the start of the message it refuses each with. */
    private static final Map<String, String> NOT_YET = Map.of(
            // the published q6 filters on `rownum` in the WHERE of the SELECT that defines it
            "q6", "unknown column `rownum`");

    @TestFactory
    List<DynamicTest> upstreamNexmarkFilesRunAsPublished() throws Exception {
        Upstream upstream = Upstream.locate();
        String ddl = upstream.read("ddl_kafka.sql").replace("${BOOTSTRAP_SERVERS}", "localhost:9092");
        String views = upstream.read("ddl_views.sql").replace("${NEXMARK_TABLE}", "kafka");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i <= 23; i++) {
            String q = "q" + i;
            String script = ddl + "\n" + views + "\n" + upstream.read(q + ".sql");
            if (NOT_YET.containsKey(q)) {
                tests.add(DynamicTest.dynamicTest(q + " is refused with a clear message (not supported yet)",
                        () -> refused(q, script, NOT_YET.get(q))));
            } else {
                tests.add(DynamicTest.dynamicTest(q + " gives Flink's rows", () -> sameRows(q, script)));
            }
        }
        return tests;
    }

    private static void refused(String q, String script, String message) {
        SqlException e = assertThrows(SqlException.class, () -> compile(q, script),
                q + " now compiles: give it a pipeline with expected rows and move it out of NOT_YET");
        assertTrue(e.getMessage().startsWith(message), q + ": " + e.getMessage());
    }

    private static void sameRows(String q, String script) throws IOException {
        Path pipeline = Pipelines.root().resolve("nexmark_" + q);
        Path caseDir = pipeline.resolve(caseName(q));
        assertTrue(Files.isDirectory(caseDir), "no expected rows for " + q + " in " + caseDir);
        CompiledScript compiled = compile(q, script);
        List<ReplayInput> inputs = Pipelines.inputs(caseDir);
        ReplayResult result = new Replayer().replay(compiled, inputs, false);
        List<ObjectNode> expected = RowMatcher.parse(Files.readAllLines(caseDir.resolve("expected.jsonl")));
        String diff = RowMatcher.diff(expected, result.rows());
        if (!diff.isEmpty()) {
            fail("upstream " + q + ": " + diff);
        }
        assertEquals(0, result.badRecords(), "bad records in upstream " + q);
    }

    /** q23's three-way join multiplies rows: it runs over the first 1000 events only. */
    private static String caseName(String q) {
        return q.equals("q23") ? "cases/gen1000" : "cases/gen3000";
    }

    private static CompiledScript compile(String q, String script) {
        return ScriptFiles.compile(Path.of("nexmark_upstream_" + q + ".sql"), script,
                new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW), BuildOptions.REPLAY);
    }

    /** Where the upstream files are: a plain directory, or a bare git mirror read with `git show`. */
    private record Upstream(Path directory, Path gitDir) {
        static Upstream locate() {
            String dir = System.getenv("NEXMARK_QUERIES");
            if (dir != null && Files.isDirectory(Path.of(dir))) {
                return new Upstream(Path.of(dir), null);
            }
            Path mirror = Path.of(System.getenv().getOrDefault("NEXMARK_MIRROR", DEFAULT_MIRROR));
            Assumptions.assumeTrue(Files.isDirectory(mirror),
                    "held-out Nexmark check skipped: neither NEXMARK_QUERIES (a directory with the upstream "
                            + "ddl_kafka.sql, ddl_views.sql and q*.sql) nor the mirror " + mirror + " is present");
            return new Upstream(null, mirror);
        }

        String read(String file) throws IOException {
            if (directory != null) {
                return Files.readString(directory.resolve(file));
            }
            Process git = new ProcessBuilder("git", "--git-dir=" + gitDir, "show", "HEAD:" + QUERIES + file)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (git.waitFor() != 0) {
                    throw new IOException("git show " + QUERIES + file + " failed in " + gitDir);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return text;
        }
    }
}
