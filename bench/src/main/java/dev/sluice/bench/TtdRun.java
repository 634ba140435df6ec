package dev.sluice.bench;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One pass of the input through one topology in TopologyTestDriver: the CPU cost of the topology
 * (serdes, operators, state stores, internal topics) without a broker. Output is drained as it comes
 * so the driver's queue does not grow; it is kept only when asked (the correctness check).
 */
public final class TtdRun {
    private static final int DRAIN_EVERY = 4096;

    /** {@code cpuNanos}: CPU time of the driving thread (robust on a shared machine); {@code wallNanos}: elapsed. */
    public record Result(long records, long cpuNanos, long wallNanos, long outputs, long stateBytes, RowSpool rows) {
        public double recordsPerSecond() {
            return records * 1e9 / cpuNanos;
        }

        public double recordsPerWallSecond() {
            return records * 1e9 / wallNanos;
        }
    }

    private TtdRun() {
    }

    /**
     * @param check       keep the output rows, and measure state bytes just before the last record (the
     *                    far-future one that closes every window and so empties the stores); a checking
     *                    run is not timed
     * @param beforeFinal called at that moment in a checking run, with the driver open (heap probes)
     */
    public static Result run(Topology topology, InputGenerator.Inputs inputs, String applicationId, boolean check,
                             Runnable beforeFinal) {
        RowSpool rows = check ? RowSpool.create() : null;
        Path stateDir = tempDir();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "benchmark:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true");
        // TopologyTestDriver commits after every record. With RocksDB that is a memtable flush per record,
        // and with the record cache a cache flush per record: costs of the driver, not of the topology.
        // In-memory stores without the cache leave the topology's own work (see docs/performance.md).
        if (!System.getProperty("bench.stores", "memory").equals("rocksdb")) {
            props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                    org.apache.kafka.streams.state.BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class.getName());
        }
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, System.getProperty("bench.cache", "0"));
        Set<String> sources = sourceTopics(topology);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.EPOCH)) {
            ByteArraySerializer ser = new ByteArraySerializer();
            Map<String, TestInputTopic<byte[], byte[]>> topics = new HashMap<>();
            for (String topic : sources) {
                topics.put(topic, driver.createInputTopic(topic, ser, ser));
            }
            ByteArrayDeserializer de = new ByteArrayDeserializer();
            TestOutputTopic<byte[], byte[]> output = driver.createOutputTopic(Shape.OUTPUT, de, de);
            long piped = 0;
            long outputs = 0;
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long stateBytes = -1;
            List<InputGenerator.Input> all = inputs.records();
            for (int i = 0; i < all.size(); i++) {
                InputGenerator.Input in = all.get(i);
                if (check && i == all.size() - 1) {
                    discardInternal(driver);
                    stateBytes = StateSize.of(driver.getAllStateStores()) + directorySize(stateDir);
                    beforeFinal.run();
                }
                TestInputTopic<byte[], byte[]> topic = topics.get(in.topic());
                if (topic == null) {
                    continue; // a topic this shape does not read
                }
                topic.pipeInput(in.record());
                if (++piped % DRAIN_EVERY == 0) {
                    outputs += drain(output, rows);
                    discardInternal(driver);
                }
            }
            outputs += drain(output, rows);
            discardInternal(driver);
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            long wall = System.nanoTime() - start;
            if (rows != null) {
                rows.finish();
            }
            return new Result(piped, cpu, wall, outputs, stateBytes, rows);
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static long drain(TestOutputTopic<byte[], byte[]> output, RowSpool rows) {
        List<TestRecord<byte[], byte[]>> records = output.readRecordsToList();
        if (rows != null) {
            rows.write(records);
        }
        return records.size();
    }

    /**
     * The driver keeps every record written to changelog and repartition topics until read; left
     * there they would fill the heap and be counted as the topology's memory.
     */
    private static void discardInternal(TopologyTestDriver driver) {
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        for (String topic : driver.producedTopicNames()) {
            if (!topic.equals(Shape.OUTPUT)) {
                driver.createOutputTopic(topic, de, de).readRecordsToList();
            }
        }
    }

    static Set<String> sourceTopics(Topology topology) {
        Set<String> topics = new HashSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }

    public static Result timed(Topology topology, InputGenerator.Inputs inputs, String applicationId) {
        return run(topology, inputs, applicationId, false, () -> { });
    }

    /** Live heap after a full collection: what the run's state and buffers still hold. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file RocksDB removed while we walked
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
