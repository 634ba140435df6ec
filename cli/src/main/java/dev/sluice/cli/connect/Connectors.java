package dev.sluice.cli.connect;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What {@code sluice run} does for a script with connectors, before its topology starts: create
 * the topics the source connectors write (one partition: a file or a table's change log is one
 * ordered sequence), start the in-process worker, create each connector through its REST API and
 * wait until its tasks run.
 */
public final class Connectors {
    private Connectors() {
    }

    /**
     * @param session a run without --data-dir: its connector offsets are not kept, so at its end the
     *                worker forgets them and Debezium drops its replication slots (a slot nobody
     *                will read again keeps WAL on the database's disk forever); the next run
     *                snapshots again. A run with --data-dir keeps both and resumes where it stopped.
     */
    public static ConnectWorker start(CompiledScript script, Properties streamsProps, String bootstrap, PrintWriter err,
                                      boolean session) {
        // per application: a shared state.dir (runs without --data-dir) must not hand one application's
        // source offsets (a file position, a replication slot's LSN) to another
        Path dir = Path.of(streamsProps.getProperty("state.dir", System.getProperty("java.io.tmpdir")))
                .resolve(streamsProps.getProperty("application.id", "sluice") + "-connect");
        ConnectWorker worker = ConnectWorker.start(bootstrap, dir);
        err.println("sluice: Kafka Connect worker on " + worker.rest().url() + " (started in "
                + worker.startupTime().toMillis() + " ms, offsets in " + dir + ")");
        err.flush();
        try {
            if (session) {
                worker.forgetOffsetsOnClose();
            }
            for (ConnectorPlan c : script.connectors()) {
                worker.rest().put(c.name(), session ? sessionConfig(c.config()) : c.config());
            }
            for (ConnectorPlan c : script.connectors()) {
                worker.rest().awaitRunning(c.name(), Duration.ofSeconds(60));
                err.println("sluice: connector " + c.name() + " running: " + (c.direction() == ConnectorPlan.Direction.SOURCE
                        ? c.endpoint() + " -> topic '" + c.topic() + "'" : "topic '" + c.topic() + "' -> " + c.endpoint()));
            }
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        err.flush();
        return worker;
    }

    /** Debezium's own switch: drop the replication slot when the connector stops gracefully. */
    static Map<String, String> sessionConfig(Map<String, String> config) {
        String debezium = "io.debezium.connector.postgresql.PostgresConnector";
        if (!debezium.equals(config.get("connector.class")) && !debezium.equals(config.get("breaker.delegate.connector.class"))) {
            return config;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>(config);
        out.putIfAbsent("slot.drop.on.stop", "true");
        return out;
    }

    /** The topics source connectors write: created before the run checks that its source topics exist. */
    public static void createSourceTopics(List<ConnectorPlan> connectors, Map<String, Object> adminConfig) {
        String bootstrap = String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        List<NewTopic> topics = new ArrayList<>();
        for (ConnectorPlan c : connectors) {
            if (c.direction() == ConnectorPlan.Direction.SOURCE) {
                topics.add(new NewTopic(c.topic(), Optional.of(1), Optional.empty()));
            }
        }
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            // KRaft answers CreateTopics once the controller has the topic; the broker learns it a moment
            // later, and the run's source-topic check lists topics right after this
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> names = topics.stream().map(NewTopic::name).toList();
            try {
                while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(names)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot list topics on " + bootstrap + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating connector topics on " + bootstrap + " took more than 60 s", e);
        }
    }
}
