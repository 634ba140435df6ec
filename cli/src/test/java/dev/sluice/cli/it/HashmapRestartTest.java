package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SET 'state.backend.type' = 'hashmap'}: the windows live on the heap, so an instance that
 * stops in the middle of a windowed aggregation and starts again on the same application id and the
 * same state directory has nothing on disk to resume from. Its state comes back from the changelog,
 * and every window is emitted once with its full count; no RocksDB directory is ever created.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HashmapRestartTest {

    @Test
    void aHashmapInstanceRestartedOnTheSameStateDirectoryRestoresItsWindowsFromTheChangelog(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("heap-restart");
        CompiledScript script = ItSupport.compile("SET 'state.backend.type' = 'hashmap';\n"
                + WindowedClicks.sql(app), "clicks");
        assertEquals(StateBackend.HASHMAP, script.stateBackend());
        Path stateDir = dir.resolve("state");
        WindowedClicks.stopAndRestart(broker, script, app, stateDir, stateDir);
        assertEquals(List.of(), rocksDbDirectories(stateDir), "a hashmap application writes no RocksDB files");
    }

    /** Kafka Streams puts a persistent store's files under {@code <task>/rocksdb/} in the state directory. */
    private static List<Path> rocksDbDirectories(Path stateDir) throws IOException {
        if (!Files.exists(stateDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(p -> p.getFileName().toString().equals("rocksdb")).toList();
        }
    }
}
