package dev.sluice.compiler.advanced;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
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
        Properties props = ChangelogDriver.properties("advanced-runtime-test");
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
    void aDynamicTablePublishesWithinItsTargetLagOfWallClockTimeAlsoWhenTheInputStops() {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(EVENTS
                + "CREATE DYNAMIC TABLE lagged TARGET_LAG = '1 minute' WAREHOUSE = WH AS "
                + "SELECT model_name, COUNT(*) AS n FROM events GROUP BY model_name", "t", BuildOptions.PRODUCTION);
        CompiledQuery q = script.queries().get(0);
        Properties props = ChangelogDriver.properties("advanced-runtime-lag-test");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props, Instant.ofEpochMilli(T0))) {
            TestInputTopic<String, String> in = driver.createInputTopic("events", new StringSerializer(), new StringSerializer());
            var out = driver.createOutputTopic(q.outputTopic(), new StringDeserializer(), new StringDeserializer());
            java.util.function.Supplier<List<String>> published = () -> out.readRecordsToList().stream()
                    .map(r -> countOf(parse(r.value()))).toList();
            // event times far apart: stream time plays no part, only the wall clock does
            for (Object[] e : new Object[][]{{"a", 0L}, {"a", 600_000L}, {"b", 1_200_000L}}) {
                long ts = T0 + (Long) e[1];
                in.pipeInput(null, "{\"model_name\":\"" + e[0] + "\",\"event_time\":" + ts + "}", ts);
            }
            driver.advanceWallClockTime(Duration.ofSeconds(59));
            assertEquals(List.of(), published.get(), "within the lag nothing is published yet");
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertEquals(List.of("a=2", "b=1"), published.get(), "one minute after the last publish: the latest per key");
            in.pipeInput(null, "{\"model_name\":\"a\",\"event_time\":" + (T0 + 1_300_000L) + "}", T0 + 1_300_000L);
            driver.advanceWallClockTime(Duration.ofSeconds(30));
            assertEquals(List.of(), published.get(), "at most one update per key per lag");
            driver.advanceWallClockTime(Duration.ofSeconds(30));
            assertEquals(List.of("a=3"), published.get(), "published although no input followed");
            in.pipeInput(null, "{\"model_name\":\"b\",\"event_time\":" + (T0 + 1_400_000L) + "}", T0 + 1_400_000L);
            dev.sluice.runtime.build.TargetLags.of("lagged-target-lag").orElseThrow().requestRefresh();
            driver.advanceWallClockTime(Duration.ofMillis(100));
            assertEquals(List.of("b=2"), published.get(), "ALTER DYNAMIC TABLE ... REFRESH publishes at the next tick");
            driver.advanceWallClockTime(Duration.ofMinutes(5));
            assertEquals(List.of(), published.get(), "nothing waits, nothing is published again");
        }
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
