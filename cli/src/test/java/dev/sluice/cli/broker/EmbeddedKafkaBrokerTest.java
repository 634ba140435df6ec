package dev.sluice.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void keepsTopicsAcrossARestartInTheSameDataDirAndFreesItsPortsOnClose(@TempDir Path dir) throws Exception {
        String firstBootstrap;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir)) {
            System.out.println("embedded broker started in " + broker.startupTime().toMillis() + " ms");
            firstBootstrap = broker.bootstrapServers();
            assertTrue(firstBootstrap.startsWith("127.0.0.1:"));
            assertNotEquals("127.0.0.1:9092", firstBootstrap);
            broker.createTopic("orders", 3);
            TopicDescription orders = broker.admin().describeTopics(Set.of("orders")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("orders");
            assertEquals(3, orders.partitions().size());
            assertEquals(1, orders.partitions().get(0).replicas().size());
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> broker.createTopic("orders", 3));
            assertTrue(twice.getMessage().contains("'orders'"), twice.getMessage());
        }
        int port = Integer.parseInt(firstBootstrap.substring(firstBootstrap.indexOf(':') + 1));
        try (ServerSocket reuse = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, reuse.getLocalPort(), "the broker port is free again after close");
        }
        assertTrue(Files.exists(dir.resolve("meta.properties")) || Files.exists(dir.resolve("kraft-logs/meta.properties")),
                "a data directory given by the caller is kept");

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(dir)) {
            System.out.println("embedded broker restarted in " + again.startupTime().toMillis() + " ms");
            Set<String> topics = again.admin().listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(topics.contains("orders"), "topics survive a restart: " + topics);
        }
    }

    @Test
    void deletesATemporaryDataDirOnClose() {
        Path dir;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        try {
            dir = broker.dataDir();
            assertTrue(Files.isDirectory(dir));
            assertTrue(broker.isAlive());
        } finally {
            broker.close();
        }
        assertFalse(broker.isAlive());
        assertFalse(Files.exists(dir), "temporary data dir " + dir + " is deleted");
        broker.close(); // a second close is harmless
    }

    /** SIGKILL runs no shutdown hook: the broker must notice on its own that its owner is gone. */
    @Test
    void theBrokerStopsWhenTheJvmThatStartedItIsKilled(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("owner.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                BrokerOwnerMain.class.getName()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        ProcessHandle broker = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (broker == null && System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(output)) {
                    if (line.startsWith("BROKER_PID ")) {
                        broker = ProcessHandle.of(Long.parseLong(line.substring(11).trim())).orElseThrow();
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(broker != null, "the owner started a broker: " + Files.readString(output));
            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
            assertTrue(broker.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null,
                    "the broker exits within 30 s of its owner's death");
        } finally {
            owner.destroyForcibly();
            if (broker != null) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void aBrokerThatCannotStartFailsWithTheTailOfItsLog(@TempDir Path dir) {
        var settings = new EmbeddedKafkaBroker.Settings(dir, null, null, Map.of("node.id", "not-a-number"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedKafkaBroker.start(settings));
        assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value not-a-number"), "the log tail names the bad value: " + e.getMessage());
    }
}
