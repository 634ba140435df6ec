package dev.sluice.compiler.advanced;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka's {@code SuppressScenarioTest} style for compiled scripts: records go in one at a time with
 * explicit timestamps, and the whole ordered output of a sink comes back as {@code key -> value}
 * lines ({@code key -> null} for a tombstone), so that a test sees every update and retraction in
 * order, not a final multiset.
 */
final class ChangelogDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final CompiledScript script;
    private final Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();

    ChangelogDriver(String sql, BuildOptions options) {
        script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", options);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "changelog-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("changelog-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(script.topology(), props);
    }

    ChangelogDriver(String sql) {
        this(sql, BuildOptions.PRODUCTION);
    }

    /** One record on {@code topic}: {@code key} may be null, {@code json} null is a tombstone. */
    ChangelogDriver pipe(String topic, String key, String json, long timestamp) {
        inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new StringSerializer(), new StringSerializer()))
                .pipeInput(key, json, timestamp);
        return this;
    }

    /** Everything the query writing {@code sink} emitted since the last call, in order. */
    List<String> output(String sink) {
        CompiledQuery q = script.queries().stream().filter(x -> x.id().equalsIgnoreCase(sink)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + sink + " in " + script.queries()));
        List<String> out = new ArrayList<>();
        for (TestRecord<String, String> r : driver.createOutputTopic(q.outputTopic(), new StringDeserializer(),
                new StringDeserializer()).readRecordsToList()) {
            out.add(r.key() + " -> " + r.value());
        }
        return out;
    }

    CompiledScript script() {
        return script;
    }

    @Override
    public void close() {
        driver.close();
    }
}
