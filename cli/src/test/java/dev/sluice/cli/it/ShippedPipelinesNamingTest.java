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

/**
 * {@code sluice run} refuses a topology with generated store or internal-topic names (what Kafka
 * Streams' ensure.explicit.internal.resource.naming would refuse): every shipped pipeline that
 * compiles must pass that check, or it could not be run.
 */
class ShippedPipelinesNamingTest {

    @Test
    void everyShippedPipelineNamesAllItsStoresAndInternalTopics() throws Exception {
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
