package dev.sluice.topologies;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.optimizer.OptimizerSettings;
import dev.sluice.runtime.build.EndOfTime;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 003 measured with and without sharing, in TopologyTestDriver: records processed (the tasks'
 * process-total: every record a task reads from an input, repartition or heartbeat topic), state (stores, and the bytes and entries of each store's
 * changelog compacted to the latest value per key: what a restore reads) and internal topics
 * (repartition topics from Topology.describe(), with the records and bytes written to them).
 * docs/optimizer.md reports the numbers this prints.
 */
class OptimizerMeasurementTest {
    private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\":\"([^\"]+)\"");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    record Measurement(long processed, int stores, long storeEntries, long storeBytes, int repartitionTopics,
                       long repartitionRecords, long repartitionBytes) {
        @Override
        public String toString() {
            return String.format("records processed %d | stores %d, %d entries, %d bytes | repartition topics %d, "
                    + "%d records, %d bytes | changelog topics %d", processed, stores, storeEntries, storeBytes,
                    repartitionTopics, repartitionRecords, repartitionBytes, stores);
        }
    }

    @Test
    void sharingTheSessionizationSavesWorkStateAndTopics() throws Exception {
        Path pipeline = Pipelines.root().resolve("seed003_shared_sessions");
        Path events = pipeline.resolve("cases/six_sessions/input/events.jsonl");
        Measurement off = measure(OptimizerEquivalenceTest.compile(pipeline, OptimizerSettings.none()), events);
        Measurement on = measure(OptimizerEquivalenceTest.compile(pipeline, OptimizerSettings.parse("share")), events);
        System.out.println("seed003 without sharing: " + off);
        System.out.println("seed003 with sharing:    " + on);
        // Three session aggregations (one store each: Sluice's session operator emits closed sessions
        // itself, with no suppress buffer) become one; the three models' own aggregations stay, each
        // with its state store (read by its sink only, a GROUP BY keeps no store of its rows: each
        // previous row is computed from the old state): 3 + 3 = 6 stores before, 1 + 3 = 4 after.
        assertEquals(6, off.stores());
        assertEquals(4, on.stores());
        // One repartition per session aggregation and one per model aggregation: 6 before, 4 after.
        assertEquals(6, off.repartitionTopics());
        assertEquals(4, on.repartitionTopics());
        // 13 events cross one sessionization repartition instead of three.
        assertEquals(off.repartitionRecords() - 2 * 13, on.repartitionRecords());
        // Read by tasks: 13 events, then 13 per sessionization repartition, 6 sessions per model
        // repartition, 1 end-of-time heartbeat per session window: 13 + 3x13 + 3x6 + 3 = 73 before,
        // 13 + 13 + 3x6 + 1 = 45 after.
        assertEquals(73, off.processed());
        assertEquals(45, on.processed());
        assertTrue(on.storeBytes() < off.storeBytes(), on + " vs " + off);
        assertTrue(on.repartitionBytes() < off.repartitionBytes(), on + " vs " + off);
    }

    static Measurement measure(CompiledScript compiled, Path events) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, compiled.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "measure:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sluice-measure-").toString());
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        try (TopologyTestDriver driver = new TopologyTestDriver(compiled.topology(), props, Instant.EPOCH)) {
            var bytes = new ByteArraySerializer();
            var in = driver.createInputTopic("events", bytes, bytes);
            for (String line : Files.readAllLines(events)) {
                if (!line.isBlank()) {
                    Matcher m = EVENT_TIME.matcher(line);
                    assertTrue(m.find(), line);
                    long ts = LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
                    in.pipeInput(null, line.getBytes(StandardCharsets.UTF_8), ts);
                }
            }
            for (String heartbeat : compiled.endOfTimeTopics()) {
                driver.createInputTopic(heartbeat, bytes, bytes).pipeInput(new byte[0], new byte[0], EndOfTime.TIMESTAMP);
            }
            long processed = 0;
            for (var e : driver.metrics().entrySet()) {
                if (e.getKey().name().equals("process-total") && e.getKey().group().equals("stream-task-metrics")) {
                    processed += Math.round((Double) e.getValue().metricValue());
                }
            }
            TreeSet<String> stores = new TreeSet<>();
            TreeSet<String> repartitions = new TreeSet<>();
            for (TopologyDescription.Subtopology sub : compiled.topology().describe().subtopologies()) {
                for (TopologyDescription.Node node : sub.nodes()) {
                    if (node instanceof TopologyDescription.Processor p) {
                        stores.addAll(p.stores());
                    }
                    if (node instanceof TopologyDescription.Sink s && s.topic().endsWith("-repartition")) {
                        repartitions.add(s.topic());
                    }
                }
            }
            long entries = 0;
            long storeBytes = 0;
            for (String store : stores) {
                Map<Bytes, byte[]> latest = latest(read(driver, compiled.applicationId() + "-" + store + "-changelog"));
                entries += latest.size();
                for (var e : latest.entrySet()) {
                    storeBytes += e.getKey().get().length + e.getValue().length;
                }
            }
            long repartitionRecords = 0;
            long repartitionBytes = 0;
            for (String topic : repartitions) {
                for (TestRecord<byte[], byte[]> r : read(driver, compiled.applicationId() + "-" + topic)) {
                    repartitionRecords++;
                    repartitionBytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                }
            }
            return new Measurement(processed, stores.size(), entries, storeBytes, repartitions.size(),
                    repartitionRecords, repartitionBytes);
        }
    }

    private static List<TestRecord<byte[], byte[]>> read(TopologyTestDriver driver, String topic) {
        var raw = new ByteArrayDeserializer();
        return driver.createOutputTopic(topic, raw, raw).readRecordsToList();
    }

    /** A changelog compacted: the latest value per key, deleted keys gone. */
    private static Map<Bytes, byte[]> latest(List<TestRecord<byte[], byte[]>> records) {
        Map<Bytes, byte[]> out = new HashMap<>();
        for (TestRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                out.remove(Bytes.wrap(r.key()));
            } else {
                out.put(Bytes.wrap(r.key()), r.value());
            }
        }
        return out;
    }
}
