package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
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
import java.util.List;
import java.util.Properties;

/**
 * Runs a script's topology in TopologyTestDriver (record cache off, as in production) and reads the
 * last query's sink in order, in Kafka Streams' SuppressScenarioTest style: every record, with its
 * key, its value ({@code null} for a tombstone) and its timestamp, so a missing retraction or an
 * extra intermediate row fails the comparison.
 */
final class ChangelogDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestOutputTopic<byte[], String> output;

    ChangelogDriver(String sql) {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql, "t", BuildOptions.PRODUCTION);
        CompiledQuery query = script.queries().get(script.queries().size() - 1);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "changelog-scenario");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("changelog-scenario").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(script.topology(), props);
        output = driver.createOutputTopic(query.outputTopic(), new ByteArrayDeserializer(), new StringDeserializer());
    }

    /** Pipes one JSON value (no key) at an explicit timestamp. */
    void pipe(String topic, String json, long timestamp) {
        TestInputTopic<String, String> in = driver.createInputTopic(topic, new StringSerializer(),
                new StringSerializer());
        in.pipeInput(null, json, timestamp);
    }

    /** Pipes one keyed JSON value, or a tombstone when {@code json} is null. */
    void pipe(String topic, String key, String json, long timestamp) {
        TestInputTopic<String, String> in = driver.createInputTopic(topic, new StringSerializer(),
                new StringSerializer());
        in.pipeInput(key, json, timestamp);
    }

    /** Everything the sink received since the last call, as {@code key -> value @ timestamp}. */
    List<String> read() {
        List<String> out = new ArrayList<>();
        for (TestRecord<byte[], String> r : output.readRecordsToList()) {
            out.add(key(r.key()) + " -> " + r.value() + " @" + r.timestamp());
        }
        return out;
    }

    /** A KAFKA-format key: a string, or an 8-byte BIGINT. */
    private static String key(byte[] bytes) {
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

    /** The names of the topology's state stores. */
    java.util.Set<String> stores() {
        return driver.getAllStateStores().keySet();
    }

    @Override
    public void close() {
        driver.close();
    }
}
