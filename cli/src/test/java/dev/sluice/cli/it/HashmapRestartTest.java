package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
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
        String in = app + "-in";
        broker.createTopic(in, 2);
        broker.createTopic(app + "-out", 2);
        CompiledScript script = ItSupport.compile("SET 'state.backend.type' = 'hashmap';\n"
                + WindowedClicks.sql(app), "clicks");
        assertEquals(StateBackend.HASHMAP, script.stateBackend());
        Path stateDir = dir.resolve("state");

        ItSupport.processThenLeave(broker, script, stateDir, in, WindowedClicks.clicks(0, 5));
        assertEquals(0, ItSupport.readCommitted(broker, app + "-out", 0, Duration.ZERO).size(),
                "no window has closed yet: the state is all in the stores");

        RestoredRecords restored = new RestoredRecords();
        KafkaStreams second = new KafkaStreams(script.topology(),
                ItSupport.streamsConfig(broker, script, stateDir, Map.of()));
        second.setGlobalStateRestoreListener(restored);
        try {
            second.start();
            ItSupport.produce(broker, in, WindowedClicks.clicks(5, 10));
            ItSupport.awaitProcessed(broker, script, Duration.ofSeconds(90));
            ItSupport.produce(broker, in, WindowedClicks.closingClicks());
            var out = ItSupport.readCommitted(broker, app + "-out", 80, Duration.ofSeconds(60));
            List<String> rows = out.stream().map(r -> WindowedClicks.describe(r.value())).toList();
            assertEquals(80, rows.size(), "one row per (user, minute), none twice: " + rows);
            assertEquals(WindowedClicks.expected(10), new TreeSet<>(rows));
            assertTrue(restored.count() >= 40, "the 40 windows of minutes 0-4 came back from the changelog, restored "
                    + restored.count() + " records");
        } finally {
            second.close(ItSupport.LEAVE);
        }
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
