package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.run.ExplicitNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} refuses a topology with generated store or internal-topic names (what Kafka
 * Streams' ensure.explicit.internal.resource.naming would refuse): every shipped pipeline that
 * compiles must pass that check, or it could not be run.
 */
class ShippedPipelinesNamingTest {

    /**
     * nexmark_q14 declares {@code CREATE FUNCTION count_char}: its class (the topologies module's test
     * source, a user's UDF) is compiled here and offered through the context class loader, as
     * {@code --udf-jar} does for the CLI.
     */
    private static ClassLoader withUserFunctions(Path dir) throws Exception {
        Path source = ItSupport.repoRoot().resolve("topologies/src/test/java/com/github/nexmark/flink/udf/CountChar.java");
        Path classes = Files.createDirectories(dir.resolve("udf-classes"));
        int status = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-d", classes.toString(), source.toString());
        assertEquals(0, status, "javac " + source);
        return new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                Thread.currentThread().getContextClassLoader());
    }

    @Test
    void everyShippedPipelineNamesAllItsStoresAndInternalTopics(@TempDir Path tmp) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(withUserFunctions(tmp));
        try {
            checkEveryPipeline();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static void checkEveryPipeline() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> dirs = Files.list(ItSupport.repoRoot().resolve("topologies"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path sql = dir.resolve("pipeline.sql");
                if (!Files.isRegularFile(sql)) {
                    continue;
                }
                var script = ItSupport.compile(Files.readString(sql), dir.getFileName().toString());
                checked++;
                List<String> generated = ExplicitNames.generatedNames(script.topology());
                if (!generated.isEmpty()) {
                    problems.add(dir.getFileName() + ": " + generated);
                }
            }
        }
        assertTrue(checked >= 10, "found only " + checked + " pipelines");
        assertEquals(List.of(), problems);
    }
}
