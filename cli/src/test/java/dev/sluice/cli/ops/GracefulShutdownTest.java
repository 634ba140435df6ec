package dev.sluice.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class GracefulShutdownTest {

    @Test
    void closesStreamsFirstThenTheOpsServerThenTheRestInOrderAndOnlyOnce(EmbeddedKafkaBroker broker, @TempDir Path stateDir)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("shutdown-order");
        broker.createTopic(app + "-in", 1);
        broker.createTopic(app + "-out", 1);
        KafkaStreams streams = OpsServerTest.passThrough(broker, app, app + "-in", app + "-out", stateDir);
        OpsServer ops = OpsServer.start(0, streams);
        List<String> seen = new ArrayList<>();
        AutoCloseable last = () -> seen.add("last: streams " + streams.state() + ", ops " + (answers(ops) ? "up" : "down"));
        GracefulShutdown shutdown = GracefulShutdown.install(streams, Duration.ofSeconds(20), ops, last);
        streams.start();
        waitUntil(() -> streams.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(60), "streams RUNNING");

        GracefulShutdown.Report report = shutdown.shutdown();
        assertEquals(List.of("last: streams NOT_RUNNING, ops down"), seen);
        assertTrue(report.streamsClosedInTime());
        assertTrue(shutdown.awaitShutdown(Duration.ZERO));
        assertSame(report, shutdown.shutdown(), "a second shutdown (the hook at exit) does nothing again");
        assertEquals(1, seen.size());
        System.out.println("single instance: Kafka Streams closed (leaving the group) in " + report.streamsClose().toMillis() + " ms");
    }

    /**
     * Two replicas of one application split a 4-partition topic; SIGTERM to one, as Kubernetes sends,
     * makes it close and leave the group, and the survivor owns all 4 partitions in seconds rather than
     * after the 45 s session timeout a vanished member costs.
     */
    @Test
    void aReplicaStoppedWithSigtermLeavesTheGroupAndTheSurvivorTakesOverAllPartitions(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("takeover");
        String in = app + "-in";
        String out = app + "-out";
        broker.createTopic(in, 4);
        broker.createTopic(out, 4);
        KafkaStreams survivor = OpsServerTest.passThrough(broker, app, in, out, dir.resolve("survivor"));
        Path childLog = dir.resolve("child.log");
        Process child = startChild(broker, app, in, out, dir.resolve("child"), dir.resolve("log4j2.properties"), childLog);
        try {
            survivor.start();
            awaitLine(childLog, "RUNNING", Duration.ofSeconds(60));
            waitUntil(() -> survivor.state() == KafkaStreams.State.RUNNING && activeTasks(survivor) == 2,
                    Duration.ofSeconds(60), "a 2/2 split of the 4 partitions");

            long sigterm = System.nanoTime();
            // SIGTERM; through the handle because Process.destroy() also closes our end of its pipes
            child.toHandle().destroy();
            waitUntil(() -> survivor.state() == KafkaStreams.State.RUNNING && activeTasks(survivor) == 4,
                    Duration.ofSeconds(40), "the survivor owning all 4 partitions");
            long takeoverMillis = (System.nanoTime() - sigterm) / 1_000_000;
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the replica exits after SIGTERM");
            long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;

            awaitLine(childLog, "after streams close: state=NOT_RUNNING", Duration.ofSeconds(5));
            String stopped = awaitLine(childLog, "stopped: Kafka Streams closed in", Duration.ofSeconds(5));
            System.out.println("SIGTERM takeover: survivor owned all partitions after " + takeoverMillis
                    + " ms; the replica had exited after at most " + exitMillis + " ms (" + stopped.trim() + ")");
            assertEquals(143, child.exitValue(), "exit status of a JVM ended by SIGTERM");
            assertTrue(takeoverMillis < 20_000, "takeover well inside the 45 s session timeout: " + takeoverMillis + " ms");
        } finally {
            child.destroyForcibly();
            survivor.close(Duration.ofSeconds(30));
        }
    }

    private static Process startChild(EmbeddedKafkaBroker broker, String app, String in, String out, Path stateDir,
            Path log4j, Path output) throws IOException {
        // only Sluice's own INFO lines: the test reads GracefulShutdown's report from them
        Files.writeString(log4j, String.join("\n",
                "appender.out.type = Console", "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %m%n",
                "rootLogger.level = ERROR", "rootLogger.appenderRef.out.ref = OUT",
                "logger.sluice.name = dev.sluice", "logger.sluice.level = INFO", ""));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m",
                // log4j's own shutdown hook would stop logging while ours still reports
                "-Dlog4j2.shutdownHookEnabled=false", "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp", System.getProperty("java.class.path"), GracefulShutdownChild.class.getName(),
                broker.bootstrapServers(), app, in, out, stateDir.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String awaitLine(Path output, String containing, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (line.contains(containing)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the child never printed '" + containing + "'; it printed:\n" + Files.readString(output));
    }

    private static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    private static boolean answers(OpsServer ops) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static void waitUntil(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
