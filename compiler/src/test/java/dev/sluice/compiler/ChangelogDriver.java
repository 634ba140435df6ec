package dev.sluice.compiler;

import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka's {@code SuppressScenarioTest} style for compiled scripts: the script's topology runs in
 * TopologyTestDriver with the record cache off (as in production, so no update is folded away),
 * records go in one at a time with explicit timestamps, and the whole ordered output of a sink
 * comes back as {@code key -> value} lines ({@code null} for a tombstone), so a missing retraction
 * or an extra intermediate row fails the comparison, not only a wrong final multiset.
 */
public final class ChangelogDriver implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final TopologyTestDriver driver;
    private final CompiledScript script;
    private final Properties properties;
    private final Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
    private TestOutputTopic<byte[], String> lastSink;

    public ChangelogDriver(String sql, BuildOptions options) {
        script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", options);
        properties = properties("changelog-test");
        driver = new TopologyTestDriver(script.topology(), properties);
    }

    public ChangelogDriver(String sql) {
        this(sql, BuildOptions.PRODUCTION);
    }

    /**
     * With some driver settings changed, e.g. the record cache on ({@code statestore.cache.max.bytes}):
     * the driver commits, and so flushes the cache, after each input record.
     */
    public ChangelogDriver(String sql, Map<String, String> settings) {
        this(sql, BuildOptions.PRODUCTION, settings);
    }

    /** As above, built with {@code options}. */
    public ChangelogDriver(String sql, BuildOptions options, Map<String, String> settings) {
        script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", options);
        properties = properties("changelog-test");
        properties.putAll(settings);
        driver = new TopologyTestDriver(script.topology(), properties);
    }

    /**
     * TopologyTestDriver settings for a compiled script: the record cache off (every update becomes
     * a record, as the tests compare changelogs) and a fresh state directory.
     */
    public static Properties properties(String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(applicationId).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    /** One record on {@code topic} without a key. */
    public ChangelogDriver pipe(String topic, String json, long timestamp) {
        return pipe(topic, null, json, timestamp);
    }

    /** One record on {@code topic}: {@code key} may be null, {@code json} null is a tombstone. */
    public ChangelogDriver pipe(String topic, String key, String json, long timestamp) {
        inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new StringSerializer(), new StringSerializer()))
                .pipeInput(key, json, timestamp);
        return this;
    }

    /** Everything the query writing {@code sink} emitted since the last call, in order, as {@code key -> value}. */
    public List<String> output(String sink) {
        CompiledQuery q = script.queries().stream().filter(x -> x.id().equalsIgnoreCase(sink)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + sink + " in " + script.queries()));
        List<String> out = new ArrayList<>();
        for (TestRecord<String, String> r : driver.createOutputTopic(q.outputTopic(), new StringDeserializer(),
                new StringDeserializer()).readRecordsToList()) {
            out.add(r.key() + " -> " + r.value());
        }
        return out;
    }

    /**
     * Everything the script's last query emitted since the last call, in order, as
     * {@code key -> value @timestamp}, the key read as a KAFKA-format key.
     */
    public List<String> read() {
        if (lastSink == null) {
            CompiledQuery query = script.queries().get(script.queries().size() - 1);
            lastSink = driver.createOutputTopic(query.outputTopic(), new ByteArrayDeserializer(), new StringDeserializer());
        }
        List<String> out = new ArrayList<>();
        for (TestRecord<byte[], String> r : lastSink.readRecordsToList()) {
            out.add(kafkaKey(r.key()) + " -> " + r.value() + " @" + r.timestamp());
        }
        return out;
    }

    /** A KAFKA-format key: a string, or an 8-byte BIGINT. */
    private static String kafkaKey(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        boolean text = true;
        for (byte b : bytes) {
            text &= b >= 32 && b < 127;
        }
        return text || bytes.length != 8 ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(ByteBuffer.wrap(bytes).getLong());
    }

    public CompiledScript script() {
        return script;
    }

    /** The one store whose name ends with {@code suffix} (e.g. {@code -values-store}); fails if there is none. */
    public String store(String suffix) {
        return stores().stream().filter(s -> s.endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no store ending with " + suffix + " in " + stores()));
    }

    /**
     * The value of a record as {@link #read()} prints it ({@code key -> value @ time}) parsed as JSON;
     * a tombstone ({@code null}) is Java's null.
     */
    public static com.fasterxml.jackson.databind.JsonNode valueOf(String record) {
        String value = record.substring(record.indexOf("-> ") + 3, record.lastIndexOf(" @"));
        try {
            return value.equals("null") ? null : JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError(record, e);
        }
    }

    /** The names of the topology's state stores. */
    public java.util.Set<String> stores() {
        return driver.getAllStateStores().keySet();
    }

    /** How many entries key-value store {@code store} holds now. */
    public long entries(String store) {
        long n = 0;
        try (var it = driver.getKeyValueStore(store).all()) {
            for (; it.hasNext(); it.next()) {
                n++;
            }
        }
        return n;
    }

    /** Key-value store {@code store} itself, to read or damage it in a test. */
    public org.apache.kafka.streams.state.KeyValueStore<Object, Object> keyValueStore(String store) {
        return driver.getKeyValueStore(store);
    }

    /** The values written to {@code topic} (a changelog, say) since the last call, as bytes, in order. */
    public List<byte[]> rawValues(String topic) {
        List<byte[]> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList()) {
            out.add(r.value());
        }
        return out;
    }

    /** The topics the topology has written to so far (sinks, repartition and changelog topics). */
    public java.util.Set<String> producedTopics() {
        return driver.producedTopicNames();
    }

    /**
     * Every logged store's changelog records written since the last call, by store: what Kafka
     * Streams restores after a restart (TopologyTestDriver wipes its state directory on close).
     */
    public Map<String, List<TestRecord<byte[], byte[]>>> changelogs() {
        Map<String, List<TestRecord<byte[], byte[]>>> out = new HashMap<>();
        String applicationId = String.valueOf(properties.get(StreamsConfig.APPLICATION_ID_CONFIG));
        for (String store : stores()) {
            out.put(store, driver.createOutputTopic(applicationId + "-" + store + "-changelog",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList());
        }
        return out;
    }

    /**
     * Writes another driver's {@link #changelogs} into this one's key-value stores, beneath their
     * metering, caching and logging layers, as Kafka Streams' restore fills a store; call it before
     * piping the first record (the processors' init has run, as it runs after a restore).
     */
    public void restore(Map<String, List<TestRecord<byte[], byte[]>>> changelogs) {
        changelogs.forEach((name, records) -> {
            org.apache.kafka.streams.processor.StateStore store = driver.getAllStateStores().get(name);
            while (store instanceof org.apache.kafka.streams.state.internals.WrappedStateStore<?, ?, ?> wrapped) {
                store = wrapped.wrapped();
            }
            if (!(store instanceof org.apache.kafka.streams.state.KeyValueStore<?, ?>)) {
                return; // a store without changelog (a pre-aggregation's commit hook): nothing to restore
            }
            @SuppressWarnings("unchecked")
            var bytes = (org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>) store;
            boolean timestamped = store instanceof org.apache.kafka.streams.state.TimestampedBytesStore;
            for (TestRecord<byte[], byte[]> r : records) {
                byte[] value = r.value() == null || !timestamped ? r.value()
                        : ByteBuffer.allocate(Long.BYTES + r.value().length).putLong(r.timestamp()).put(r.value()).array();
                bytes.put(org.apache.kafka.common.utils.Bytes.wrap(r.key()), value);
            }
        });
    }

    /** One input record: its topic, JSON value and timestamp. */
    public record Input(String topic, String json, long timestamp) {
    }

    /**
     * The ordered output ({@link #read}) of {@code sql}'s last query over {@code inputs}, the
     * application restarting before each index of {@code restarts}: each life is a new driver whose
     * stores are {@link #restore}d from {@code changelogs}, the changelog records every earlier life
     * wrote (this call adds its own). {@code eachLife} checks each new driver before its records.
     */
    public static List<String> readRestarting(String sql, BuildOptions options, List<Input> inputs,
                                              List<Integer> restarts,
                                              Map<String, List<TestRecord<byte[], byte[]>>> changelogs,
                                              java.util.function.Consumer<ChangelogDriver> eachLife) {
        List<String> out = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>(restarts);
        bounds.add(inputs.size());
        int from = 0;
        for (int to : bounds) {
            try (ChangelogDriver d = new ChangelogDriver(sql, options)) {
                eachLife.accept(d);
                d.restore(changelogs);
                for (Input e : inputs.subList(from, to)) {
                    d.pipe(e.topic(), e.json(), e.timestamp());
                }
                out.addAll(d.read());
                d.changelogs().forEach((store, records) -> changelogs.computeIfAbsent(store, s -> new ArrayList<>())
                        .addAll(records));
            }
            from = to;
        }
        return out;
    }

    @Override
    public void close() {
        driver.close();
    }
}
