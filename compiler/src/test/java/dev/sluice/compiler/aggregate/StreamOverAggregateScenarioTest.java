package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aggregates OVER an append-only stream (Flink's streaming OVER aggregation, Nexmark q6's
 * {@code AVG(price) OVER (PARTITION BY seller ORDER BY dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)}):
 * rows wait for the watermark, leave in event-time order, each once, with its frame's aggregate.
 * Whole outputs, in order.
 */
class StreamOverAggregateScenarioTest {
    private static final String BIDS = "CREATE STREAM bids (seller VARCHAR, price INT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('topic' = 'bids', 'format' = 'json');\n";

    private static void bid(ChangelogDriver d, String seller, int price, int second) {
        d.pipe("bids", "{\"seller\":\"" + seller + "\",\"price\":" + price + ",\"ts\":\"2024-01-01 00:00:"
                + String.format("%02d", second) + "\"}", 1_704_067_200_000L + second * 1000L);
    }

    @Test
    void rowsPrecedingAveragesTheLastRowsPerPartitionInEventTimeOrderOnceTheWatermarkPasses() {
        try (ChangelogDriver d = new ChangelogDriver(BIDS + "CREATE STREAM avgs AS SELECT seller, price, "
                + "AVG(price) OVER (PARTITION BY seller ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS avg_price, "
                + "COUNT(*) OVER (PARTITION BY seller ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS n "
                + "FROM bids")) {
            bid(d, "a", 10, 1);
            bid(d, "a", 30, 3);
            bid(d, "a", 20, 2); // out of order, still ahead of the watermark (3 s - 2 s)
            bid(d, "b", 5, 2);
            assertEquals(List.of("{\"seller\":\"a\",\"price\":10,\"avg_price\":10.0,\"n\":1}"), values(d.read()),
                    "the watermark is at 1 s (3 s - 2 s): only the row at 1 s has left");
            bid(d, "a", 40, 10); // watermark to 8 s: every row up to 3 s leaves, in event-time order
            assertEquals(List.of(
                    "{\"seller\":\"a\",\"price\":20,\"avg_price\":15.0,\"n\":2}",
                    "{\"seller\":\"b\",\"price\":5,\"avg_price\":5.0,\"n\":1}",
                    "{\"seller\":\"a\",\"price\":30,\"avg_price\":25.0,\"n\":2}"), values(d.read()));
            assertTrue(d.stores().containsAll(List.of("avgs-over-store", "avgs-over-buffer")), d.stores().toString());
        }
    }

    @Test
    void theDefaultFrameGivesPeersOneValueFromThePartitionsFirstRow() {
        try (ChangelogDriver d = new ChangelogDriver(BIDS + "CREATE STREAM totals AS SELECT seller, price, "
                + "SUM(price) OVER (PARTITION BY seller ORDER BY ts) AS total, "
                + "MIN(price) OVER (PARTITION BY seller ORDER BY ts) AS low, "
                + "MAX(price) OVER (PARTITION BY seller ORDER BY ts) AS high FROM bids")) {
            bid(d, "a", 10, 1);
            bid(d, "a", 7, 2);
            bid(d, "a", 3, 2); // a peer of the row before: both read the total through both
            bid(d, "a", 50, 4);
            bid(d, "a", 0, 9);
            assertEquals(List.of(
                    "{\"seller\":\"a\",\"price\":10,\"total\":10,\"low\":10,\"high\":10}",
                    "{\"seller\":\"a\",\"price\":7,\"total\":20,\"low\":3,\"high\":10}",
                    "{\"seller\":\"a\",\"price\":3,\"total\":20,\"low\":3,\"high\":10}",
                    "{\"seller\":\"a\",\"price\":50,\"total\":70,\"low\":3,\"high\":50}"), values(d.read()));
        }
    }

    @Test
    void aRangeIntervalFrameAggregatesTheRowsOfTheLastInterval() {
        try (ChangelogDriver d = new ChangelogDriver(BIDS + "CREATE STREAM recent AS SELECT price, "
                + "SUM(price) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW) AS s "
                + "FROM bids")) {
            bid(d, "a", 1, 1);
            bid(d, "b", 2, 2);
            bid(d, "a", 4, 3);
            bid(d, "b", 8, 6);
            bid(d, "a", 16, 20);
            assertEquals(List.of("{\"price\":1,\"s\":1}", "{\"price\":2,\"s\":3}", "{\"price\":4,\"s\":7}",
                    "{\"price\":8,\"s\":8}"), values(d.read()));
        }
    }

    @Test
    void aLateRowIsDeadLetteredAndTheOthersGoOn() throws Exception {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(BIDS
                + "CREATE STREAM counts AS SELECT seller, COUNT(*) OVER (PARTITION BY seller ORDER BY ts "
                + "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n FROM bids", "t", BuildOptions.PRODUCTION);
        Properties props = ChangelogDriver.properties("over-late-test");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "bids-dlq");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("bids", new StringSerializer(), new StringSerializer());
            long t0 = 1_704_067_200_000L;
            in.pipeInput(null, "{\"seller\":\"a\",\"price\":1,\"ts\":\"2024-01-01 00:00:01\"}", t0 + 1000);
            in.pipeInput(null, "{\"seller\":\"a\",\"price\":1,\"ts\":\"2024-01-01 00:00:10\"}", t0 + 10_000);
            in.pipeInput(null, "{\"seller\":\"a\",\"price\":1,\"ts\":\"2024-01-01 00:00:05\"}", t0 + 5000); // late
            in.pipeInput(null, "{\"seller\":\"a\",\"price\":1,\"ts\":\"2024-01-01 00:00:20\"}", t0 + 20_000);
            List<String> out = driver.createOutputTopic(script.queries().get(0).outputTopic(), new ByteArrayDeserializer(),
                    new StringDeserializer()).readValuesToList();
            assertEquals(List.of("{\"seller\":\"a\",\"n\":1}", "{\"seller\":\"a\",\"n\":2}"), out);
            var dead = driver.createOutputTopic("bids-dlq", new StringDeserializer(), new StringDeserializer())
                    .readRecordsToList();
            assertEquals(1, dead.size());
            StringBuilder why = new StringBuilder();
            dead.get(0).headers().forEach(h -> why.append(h.key()).append('=')
                    .append(new String(h.value(), StandardCharsets.UTF_8)).append(' '));
            assertTrue(why.toString().contains("late record"), why.toString());
        }
    }

    /**
     * Flink SQL's watermark is the largest time seen minus the delay, and a row not after it is late:
     * with a 2 s delay, a row at 3 s after one at 5 s is dropped (the oracle drops it too: Flink 1.20.3
     * over rows at 1, 5, 3, 4, 20 s gives counts 1, 2, 3 for 1, 4, 5 s and 4 for 20 s).
     */
    @Test
    void aRowExactlyAtTheWatermarkIsLateAsFlinkDropsIt() throws Exception {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(BIDS
                + "CREATE STREAM counts AS SELECT seller, price, COUNT(*) OVER (PARTITION BY seller ORDER BY ts "
                + "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n FROM bids", "t", BuildOptions.PRODUCTION);
        Properties props = ChangelogDriver.properties("over-at-watermark-test");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "bids-dlq");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("bids", new StringSerializer(), new StringSerializer());
            long t0 = 1_704_067_200_000L;
            for (int[] priceAndSecond : new int[][]{{1, 1}, {2, 5}, {3, 3}, {4, 4}, {5, 20}}) {
                in.pipeInput(null, "{\"seller\":\"a\",\"price\":" + priceAndSecond[0] + ",\"ts\":\"2024-01-01 00:00:"
                        + String.format("%02d", priceAndSecond[1]) + "\"}", t0 + priceAndSecond[1] * 1000L);
            }
            List<String> out = driver.createOutputTopic(script.queries().get(0).outputTopic(), new ByteArrayDeserializer(),
                    new StringDeserializer()).readValuesToList();
            assertEquals(List.of("{\"seller\":\"a\",\"price\":1,\"n\":1}", "{\"seller\":\"a\",\"price\":4,\"n\":2}",
                    "{\"seller\":\"a\",\"price\":2,\"n\":3}"), out);
            var dead = driver.createOutputTopic("bids-dlq", new StringDeserializer(), new StringDeserializer())
                    .readRecordsToList();
            assertEquals(1, dead.size(), "the row at 3 s, the watermark when it came");
            StringBuilder why = new StringBuilder();
            dead.get(0).headers().forEach(h -> why.append(h.key()).append('=')
                    .append(new String(h.value(), StandardCharsets.UTF_8)).append(' '));
            assertTrue(why.toString().contains("late record at 2024-01-01T00:00:03Z"), why.toString());
        }
    }

    @Test
    void anOrderOtherThanEventTimeIsRefusedAtTheOrderBy() {
        SqlException e = assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(BIDS + "SELECT seller,\n SUM(price) OVER (PARTITION BY seller ORDER BY price) AS s FROM bids;",
                        "t", BuildOptions.PRODUCTION));
        assertTrue(e.getMessage().contains("needs ORDER BY its event time ascending"), e.getMessage());
        assertEquals(3, e.line());
        assertEquals(48, e.column());
    }

    /** The values of {@code key -> value @time} lines. */
    private static List<String> values(List<String> lines) {
        return lines.stream().map(l -> l.substring(l.indexOf(" -> ") + 4, l.lastIndexOf(" @"))).toList();
    }
}
