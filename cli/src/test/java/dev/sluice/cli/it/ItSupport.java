package dev.sluice.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.run.BacklogProbe;
import dev.sluice.cli.run.StreamsProperties;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/** Shared steps of the integration tests: compile, configure, produce, read committed output, wait. */
final class ItSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private ItSupport() {
    }

    /** The repository root, found from the test's working directory (the cli module or the root). */
    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("topologies"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no topologies/ folder above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    static CompiledScript compile(String sql, String name) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, name, BuildOptions.PRODUCTION);
    }

    /** The run's configuration for one instance, with extra settings (tests shorten timeouts here). */
    static Properties streamsConfig(EmbeddedKafkaBroker broker, CompiledScript script, Path stateDir,
                                    Map<String, String> extra) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(script.settings());
        settings.putAll(extra);
        return StreamsProperties.build(script.applicationId(), settings, broker.bootstrapServers(), stateDir);
    }

    /** Writes JSON lines to explicit partitions, with the given timestamps. */
    static void produce(EmbeddedKafkaBroker broker, String topic, List<Sent> records) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (Sent r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.json())));
            }
            producer.flush();
            for (var f : sent) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Sent(Integer partition, String key, String json, long timestamp) {
    }

    /** Reads a topic from the beginning with read_committed until {@code count} records or the timeout. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(EmbeddedKafkaBroker broker, String topic, int count,
                                                              Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // a little longer: more than expected means duplicates, which the caller must see
            long settle = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /**
     * Waits until everything written so far is processed and committed: the application's group has
     * committed every partition of the input and of its repartition topics to the end (a commit
     * marker aside), and no transaction of it is open ({@link BacklogProbe}, as {@code sluice run}
     * uses). Tests that close windows with a late record need this, because stream time is per
     * partition: a closing record read from one input partition before another partition's data would
     * make that data late.
     *
     * <p>The repartition topics come from the topology (a probe answers nothing until they exist).
     * Taking "the partitions the group has committed"
     * missed a repartition partition the aggregate had not committed yet: the wait ended while the
     * aggregate still had records to process, and RestartTest's first instance stopped before its
     * windows were in the changelog (restored 0, 2 or 20 records; the second instance then processed
     * them from the repartition topic, so the rows were right).
     */
    static void awaitProcessed(EmbeddedKafkaBroker broker, CompiledScript script, Duration timeout) {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("application.id", script.applicationId());
        try (BacklogProbe probe = BacklogProbe.open(script, config)) {
            waitUntil(() -> probe.measure().drained(), timeout, script.applicationId() + " to process everything written");
        }
    }

    static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    /** Source-topic partitions this instance's active tasks own. */
    static List<Integer> ownedPartitions(KafkaStreams streams, String topic) {
        List<Integer> out = new ArrayList<>();
        streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task -> task.topicPartitions()
                .stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> out.add(tp.partition()))));
        out.sort(null);
        return out;
    }

    /**
     * The first life of a restart test: an instance on {@code stateDir} processes {@code records} (written
     * to {@code topic}) and leaves the group, so that the next instance takes its tasks at once.
     */
    static void processThenLeave(EmbeddedKafkaBroker broker, CompiledScript script, Path stateDir, String topic,
                                 List<Sent> records) {
        KafkaStreams first = new KafkaStreams(script.topology(), streamsConfig(broker, script, stateDir, java.util.Map.of()));
        try {
            first.start();
            produce(broker, topic, records);
            awaitProcessed(broker, script, Duration.ofSeconds(90));
        } finally {
            first.close(LEAVE);
        }
    }

    /** Closing by leaving the group: a restarted instance gets the tasks without waiting for a session timeout. */
    static final org.apache.kafka.streams.CloseOptions LEAVE = org.apache.kafka.streams.CloseOptions
            .groupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(20));
}
