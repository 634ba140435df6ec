package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only instance stops in the middle of a windowed aggregation and starts again on a machine
 * without its disk (a new state directory): the windows' partial state comes back from the
 * changelog, and every window is emitted once with its full count.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RestartTest {

    @Test
    void anInstanceRestartedWithoutItsDiskRestoresStateFromTheChangelogAndCompletesEveryWindow(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("restart");
        String in = app + "-in";
        broker.createTopic(in, 2);
        broker.createTopic(app + "-out", 2);
        CompiledScript script = ItSupport.compile(WindowedClicks.sql(app), "clicks");

        ItSupport.processThenLeave(broker, script, dir.resolve("first"), in, WindowedClicks.clicks(0, 5));
        assertEquals(0, ItSupport.readCommitted(broker, app + "-out", 0, Duration.ZERO).size(),
                "no window has closed yet: the state is all in the stores");

        RestoredRecords restored = new RestoredRecords();
        KafkaStreams second = new KafkaStreams(script.topology(), ItSupport.streamsConfig(broker, script, dir.resolve("second"), Map.of()));
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
    }
}
