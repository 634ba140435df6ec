package dev.sluice.compiler.advanced;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Behaviour of the advanced steps that a final-state comparison cannot show: rate limits and retractions. */
class AdvancedRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "CREATE STREAM events (model_name VARCHAR, event_time TIMESTAMP ROWTIME) "
            + "WITH ('topic' = 'events', 'format' = 'json');\n";
    private static final long T0 = Instant.parse("2024-01-15T10:00:00Z").toEpochMilli();

    /** Pipes (model, time) events through the script's topology and returns its sink's values, null for deletes. */
    private static List<String> run(String sql, Object... events) {
        return run(sql, AdvancedRuntimeTest::countOf, events);
    }

    private static List<String> run(String sql, java.util.function.Function<JsonNode, String> show, Object... events) {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(EVENTS + sql, "t", BuildOptions.PRODUCTION);
        CompiledQuery q = script.queries().get(0);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "advanced-runtime-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("advanced-runtime").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("events", new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < events.length; i += 2) {
                long ts = T0 + (Long) events[i + 1];
                in.pipeInput(null, "{\"model_name\":\"" + events[i] + "\",\"event_time\":" + ts + "}", ts);
            }
            List<String> out = new ArrayList<>();
            for (TestRecord<String, String> r : driver.createOutputTopic(q.outputTopic(), new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList()) {
                out.add(r.value() == null ? null : show.apply(parse(r.value())));
            }
            return out;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String countOf(JsonNode row) {
        return row.get("model_name").asText() + "=" + row.get("n").asLong();
    }

    private static String seenAt(JsonNode row) {
        long ms = Instant.parse(row.get("event_time").asText()).toEpochMilli();
        return row.get("model_name").asText() + "@" + (ms - T0) / 1000;
    }

    @Test
    void aDynamicTableEmitsEachKeyAtMostOncePerTargetLagOfStreamTime() {
        List<String> out = run("CREATE DYNAMIC TABLE by_model TARGET_LAG = '1 minute' WAREHOUSE = WH AS "
                        + "SELECT model_name, COUNT(*) AS n FROM events GROUP BY model_name",
                "a", 0L, "a", 10_000L, "b", 20_000L, "a", 70_000L, "b", 140_000L);
        // Updates wait in the buffer from a key's first one. At 70 s a minute has passed since a's (0 s):
        // a goes out with its latest value, a=3 (the record at 70 s is buffered first). b, buffered
        // since 20 s, goes out at 140 s as b=2. a=1, a=2 and b=1 are never emitted.
        assertEquals(List.of("a=3", "b=2"), out);
    }

    @Test
    void orderByLimitRetractsARowThatLeavesTheTopN() {
        List<String> out = run("CREATE TABLE top2 AS SELECT model_name, COUNT(*) AS n FROM events "
                        + "GROUP BY model_name ORDER BY n DESC LIMIT 2",
                "a", 0L, "a", 1L, "b", 2L, "c", 3L, "c", 4L, "c", 5L);
        // Positions: a=1 at 1, a=2 at 1, b=1 at 2; c=1 ties with b behind it (3rd, not emitted);
        // c=2 ties with a and passes b: position 2 becomes c=2; c=3 takes position 1, a=2 moves to 2.
        assertEquals(List.of("a=1", "a=2", "b=1", "c=2", "c=3", "a=2"), out);
    }

    @Test
    void deduplicationForgetsAKeyOnceItsWindowHasPassedInStreamTime() {
        List<String> out = run("CREATE TABLE first_seen AS SELECT DISTINCT ON (model_name) model_name, event_time "
                        + "FROM events WITH (deduplication_window = '1 minute') ORDER BY model_name, event_time",
                AdvancedRuntimeTest::seenAt, "a", 0L, "a", 30_000L, "b", 200_000L, "a", 210_000L);
        // a at 30 s is a duplicate (remembered for a minute after 0 s); by 200 s a is forgotten, so
        // a at 210 s counts as new again.
        assertEquals(List.of("a@0", "b@200", "a@210"), out);
    }

    @Test
    void deduplicationKeepsTheEarliestRowByEventTimeEvenWhenItArrivesLater() {
        List<String> out = run("CREATE TABLE first_seen AS SELECT DISTINCT ON (model_name) model_name, event_time "
                        + "FROM events ORDER BY model_name, event_time",
                AdvancedRuntimeTest::seenAt, "a", 20_000L, "a", 10_000L, "a", 15_000L);
        assertEquals(List.of("a@20", "a@10"), out);
    }

    @Test
    void limitWithoutOrderByKeepsTheFirstRowsAndNeverChangesThem() {
        List<String> out = run("CREATE TABLE first2 AS SELECT model_name, event_time FROM events LIMIT 2",
                AdvancedRuntimeTest::seenAt, "a", 0L, "b", 1_000L, "c", 2_000L, "d", 3_000L);
        assertEquals(List.of("a@0", "b@1"), out);
    }
}
