package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.SluiceMain;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one windowed application, one of them {@code sluice run} in its own JVM. Half
 * the data is aggregated, then that JVM is killed with SIGKILL: no close, no leaving the group, an
 * open transaction. The survivor must take its tasks over once the session times out, restore
 * their state from the changelogs, and emit every window exactly once (read_committed).
 */
@ExtendWith(KafkaBrokerExtension.class)
class FailOverTest {

    @Test
    void aKilledInstancesWindowsAreCompletedByTheSurvivorWithNoDuplicates(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("fail-over");
        String in = app + "-in";
        broker.createTopic(in, 4);
        Path script = dir.resolve("clicks.sql");
        Files.writeString(script, WindowedClicks.sql(app));
        // the shortest session the broker allows (group.min.session.timeout.ms): a crash is noticed in 6 s
        Map<String, String> fast = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");
        Path config = dir.resolve("child.properties");
        Files.writeString(config, "state.dir=" + dir.resolve("child-state") + "\nsession.timeout.ms=6000\n"
                + "heartbeat.interval.ms=1000\n");
        Path childLog = dir.resolve("child.log");
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), SluiceMain.class.getName(), "run",
                script.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--config", config.toString(),
                "--idle-timeout", "0", "--format", "jsonl")
                .redirectErrorStream(true).redirectOutput(childLog.toFile()).start();

        CompiledScript compiled = ItSupport.compile(WindowedClicks.sql(app), "clicks");
        KafkaStreams survivor = null;
        try {
            // the child creates the sink topic; start the survivor once it exists
            ItSupport.waitUntil(() -> topicExists(broker, app + "-out"), Duration.ofSeconds(60), "the child's topics");
            survivor = new KafkaStreams(compiled.topology(),
                    ItSupport.streamsConfig(broker, compiled, dir.resolve("survivor-state"), fast));
            survivor.start();
            KafkaStreams s = survivor;
            ItSupport.waitUntil(() -> s.state() == KafkaStreams.State.RUNNING && ItSupport.ownedPartitions(s, in).size() == 2,
                    Duration.ofSeconds(90), "a 2/2 split with the child");

            ItSupport.produce(broker, in, WindowedClicks.clicks(0, 5));
            ItSupport.awaitProcessed(broker, ItSupport.compile(WindowedClicks.sql(app), "clicks"), Duration.ofSeconds(60));

            long kill = System.nanoTime();
            child.toHandle().destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            ItSupport.produce(broker, in, WindowedClicks.clicks(5, 10));
            ItSupport.waitUntil(() -> s.state() == KafkaStreams.State.RUNNING && ItSupport.ownedPartitions(s, in).size() == 4,
                    Duration.ofSeconds(60), "the survivor to own all 4 partitions");
            System.out.println("fail-over after SIGKILL: the survivor owned all 4 partitions after "
                    + Duration.ofNanos(System.nanoTime() - kill).toMillis() + " ms (session.timeout.ms=6000)");
            ItSupport.awaitProcessed(broker, ItSupport.compile(WindowedClicks.sql(app), "clicks"), Duration.ofSeconds(90));
            ItSupport.produce(broker, in, WindowedClicks.closingClicks());

            var out = ItSupport.readCommitted(broker, app + "-out", 80, Duration.ofSeconds(60));
            List<String> rows = out.stream().map(r -> WindowedClicks.describe(r.value())).toList();
            assertEquals(80, rows.size(), "one row per (user, minute), none twice: " + rows);
            assertEquals(WindowedClicks.expected(10), new TreeSet<>(rows));
        } finally {
            child.destroyForcibly();
            if (survivor != null) {
                survivor.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(20)));
            }
        }
    }

    private static boolean topicExists(EmbeddedKafkaBroker broker, String topic) {
        try {
            return broker.admin().listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            return false;
        }
    }
}
