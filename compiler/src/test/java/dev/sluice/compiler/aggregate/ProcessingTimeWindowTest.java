package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windows over a PROCTIME() column (Nexmark q12) with TopologyTestDriver's wall clock moved by
 * hand: a row lands in the window of the wall clock when it is processed, whatever its event
 * time; a window comes out once, after the wall clock passed its end (within one punctuator tick,
 * 1 s for a 10 s window), and leaves the store then; open windows survive a restart.
 */
class ProcessingTimeWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A wall-clock instant on a 10 s boundary. */
    private static final long T0 = 1_700_000_000_000L;
    private static final String SOURCE = "CREATE TABLE bids (bidder BIGINT, price BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'kafka', 'topic' = 'bids', "
            + "'format' = 'json');\n"
            + "CREATE TABLE counts (bidder BIGINT, n BIGINT, total BIGINT, ws TIMESTAMP(3), we TIMESTAMP(3)) "
            + "WITH ('connector' = 'kafka', 'topic' = 'counts', 'format' = 'json');\n"
            + "CREATE VIEW b AS SELECT *, PROCTIME() AS p_time FROM bids;\n";
    private static final String TUMBLE = SOURCE + "INSERT INTO counts SELECT bidder, COUNT(*), SUM(price), "
            + "window_start, window_end FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(p_time), INTERVAL '10' SECOND)) "
            + "GROUP BY bidder, window_start, window_end";

    /** The compiled script in TopologyTestDriver, its wall clock starting at {@code wallClock}. */
    private static final class Driver implements AutoCloseable {
        final CompiledScript script;
        final TopologyTestDriver driver;
        final TestInputTopic<String, String> bids;
        final TestOutputTopic<String, String> counts;
        private long wallClock;

        Driver(String sql, Properties props, long wallClock) {
            this.wallClock = wallClock;
            script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
            driver = new TopologyTestDriver(script.topology(), props, Instant.ofEpochMilli(wallClock));
            bids = driver.createInputTopic("bids", new StringSerializer(), new StringSerializer());
            counts = driver.createOutputTopic("counts", new StringDeserializer(), new StringDeserializer());
        }

        /** A bid whose event time is {@code eventTime} (it plays no part in the window). */
        void bid(long bidder, long price, long eventTime) {
            bids.pipeInput(null, "{\"bidder\":" + bidder + ",\"price\":" + price + ",\"ts\":" + eventTime + "}",
                    eventTime);
        }

        void advanceTo(long to) {
            driver.advanceWallClockTime(Duration.ofMillis(to - wallClock));
            wallClock = to;
        }

        /** Emitted rows as "bidder n total [start s, end s) @timestamp ms", times after T0. */
        List<String> rows() {
            return counts.readRecordsToList().stream().map(r -> {
                JsonNode v = parse(r.value());
                return v.get("bidder").asLong() + " " + v.get("n").asLong() + " " + v.get("total").asLong() + " ["
                        + seconds(v.get("ws")) + ", " + seconds(v.get("we")) + ") @" + (r.timestamp() - T0);
            }).toList();
        }

        String store() {
            return driver.getAllStateStores().keySet().stream().filter(name -> name.endsWith("-aggregate-store"))
                    .findFirst().orElseThrow();
        }

        long entries() {
            long n = 0;
            try (var it = driver.getKeyValueStore(store()).all()) {
                for (; it.hasNext(); it.next()) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(JsonNode timestamp) {
        return String.valueOf((Instant.parse(timestamp.asText()).toEpochMilli() - T0) / 1000);
    }

    @Test
    void rowsCountInTheWindowOfTheWallClockAndComeOutOnceItPassesTheEnd() {
        try (Driver d = new Driver(TUMBLE, ChangelogDriver.properties("proctime-tumble"), T0)) {
            // event times far in the past and the future: only the wall clock decides the window
            d.bid(1, 10, 0);
            d.bid(1, 5, T0 + 3_600_000);
            d.bid(2, 7, 42);
            d.advanceTo(T0 + 9_999);
            d.bid(1, 1, T0 - 3_600_000);
            assertEquals(List.of(), d.rows(), "the window [0 s, 10 s) is open until the wall clock passes 10 s");
            assertEquals(2, d.entries(), "one entry per open (window, bidder)");
            d.advanceTo(T0 + 10_000);
            d.bid(1, 100, 0); // processed at 10 s: the next window
            d.advanceTo(T0 + 11_000);
            assertEquals(List.of("1 3 16 [0, 10) @9999", "2 1 7 [0, 10) @9999"), d.rows(),
                    "emitted once, within a tick (1 s) of its end, in key order; window_time = end - 1 ms");
            assertEquals(1, d.entries(), "an emitted window leaves the store");
            d.advanceTo(T0 + 19_000);
            assertEquals(List.of(), d.rows(), "nothing twice");
            d.advanceTo(T0 + 21_000);
            assertEquals(List.of("1 1 100 [10, 20) @19999"), d.rows());
            assertEquals(0, d.entries(), "every window emitted: the store is empty");
        }
    }

    /**
     * TopologyTestDriver wipes its state directory on close and restores nothing, so the restart is
     * what Kafka Streams does: the store's changelog (every put and delete) written back into the
     * new instance's store before it starts processing.
     */
    @Test
    void openWindowsSurviveARestartAndComeOutWhenTheWallClockPassesTheirEnd() {
        Properties props = ChangelogDriver.properties("proctime-restart");
        Map<Bytes, byte[]> restored = new LinkedHashMap<>();
        try (Driver d = new Driver(TUMBLE, props, T0)) {
            d.bid(1, 10, 0);
            d.bid(2, 20, 0);
            d.bid(2, 1, 0);
            d.advanceTo(T0 + 5_000);
            assertEquals(List.of(), d.rows());
            d.driver.createOutputTopic("proctime-restart-" + d.store() + "-changelog", new BytesDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList().forEach(r -> {
                        if (r.value() == null) {
                            restored.remove(r.key());
                        } else {
                            restored.put(r.key(), r.value());
                        }
                    });
        }
        assertEquals(2, restored.size(), "the changelog holds both open windows");
        // the application was down past the window's end: its rows come out at the first tick
        try (Driver d = new Driver(TUMBLE, props, T0 + 30_000)) {
            KeyValueStore<Bytes, byte[]> store = d.driver.getKeyValueStore(d.store());
            restored.forEach(store::put);
            d.bid(1, 1, 0); // processed at 30 s
            d.advanceTo(T0 + 31_000);
            assertEquals(List.of("1 1 10 [0, 10) @9999", "2 2 21 [0, 10) @9999"), d.rows());
            assertEquals(1, d.entries(), "only the window of the row processed after the restart is open");
        }
    }

    @Test
    void hoppingAndCumulatingWindowsHoldARowInEveryWindowOfItsWallClock() {
        String hop = SOURCE + "INSERT INTO counts SELECT bidder, COUNT(*), SUM(price), window_start, window_end "
                + "FROM TABLE(HOP(TABLE b, DESCRIPTOR(p_time), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) "
                + "GROUP BY bidder, window_start, window_end";
        try (Driver d = new Driver(hop, ChangelogDriver.properties("proctime-hop"), T0 + 7_000)) {
            d.bid(1, 1, 0);           // at 7 s: [0, 10) and [5, 15)
            d.advanceTo(T0 + 12_000);
            d.bid(1, 2, 0);           // at 12 s: [5, 15) and [10, 20)
            assertEquals(List.of("1 1 1 [0, 10) @9999"), d.rows());
            d.advanceTo(T0 + 20_000);
            assertEquals(List.of("1 2 3 [5, 15) @14999", "1 1 2 [10, 20) @19999"), d.rows());
        }
        String cumulate = SOURCE + "INSERT INTO counts SELECT bidder, COUNT(*), SUM(price), window_start, window_end "
                + "FROM TABLE(CUMULATE(TABLE b, DESCRIPTOR(p_time), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) "
                + "GROUP BY bidder, window_start, window_end";
        try (Driver d = new Driver(cumulate, ChangelogDriver.properties("proctime-cumulate"), T0 + 2_000)) {
            d.bid(1, 1, 0);           // at 2 s: [0, 5) and [0, 10)
            d.advanceTo(T0 + 6_000);
            d.bid(1, 2, 0);           // at 6 s: [0, 10)
            d.advanceTo(T0 + 10_000);
            assertEquals(List.of("1 1 1 [0, 5) @4999", "1 2 3 [0, 10) @9999"), d.rows());
        }
    }

    @Test
    void theLegacyGroupWindowOverAProctimeColumnIsAProcessingTimeWindowToo() {
        String legacy = SOURCE + "INSERT INTO counts SELECT bidder, COUNT(*), SUM(price), "
                + "TUMBLE_START(p_time, INTERVAL '10' SECOND), TUMBLE_END(p_time, INTERVAL '10' SECOND) "
                + "FROM b GROUP BY bidder, TUMBLE(p_time, INTERVAL '10' SECOND)";
        try (Driver d = new Driver(legacy, ChangelogDriver.properties("proctime-legacy"), T0 + 1_000)) {
            d.bid(3, 4, T0 + 500_000);
            d.advanceTo(T0 + 10_000);
            assertEquals(List.of("3 1 4 [0, 10) @9999"), d.rows());
        }
    }

    @Test
    void explainSaysTheRowsDependOnProcessingTime() {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(TUMBLE, "t",
                BuildOptions.PRODUCTION);
        String plan = dev.sluice.compiler.Steps.explain(script.queries().get(0).plan().root());
        assertTrue(plan.contains("processing time: the rows depend on when each record is processed"), plan);
    }

    @Test
    void onlyAProctimeColumnMakesAProcessingTimeWindow() {
        String now = SOURCE.replace("PROCTIME()", "NOW()") + "INSERT INTO counts SELECT bidder, COUNT(*), "
                + "SUM(price), window_start, window_end FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(p_time), "
                + "INTERVAL '10' SECOND)) GROUP BY bidder, window_start, window_end";
        SqlException e = assertThrows(SqlException.class, () -> compile(now));
        assertTrue(e.getMessage().startsWith("windows group by event time, which is `ts` here, or by processing "
                + "time (a PROCTIME() column), not `p_time`"), e.getMessage());
        SqlException rows = assertThrows(SqlException.class, () -> compile(SOURCE
                + "SELECT bidder, window_start FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(p_time), INTERVAL '10' SECOND))"));
        assertTrue(rows.getMessage().startsWith("a window over processing time (a PROCTIME() column) needs GROUP BY"),
                rows.getMessage());
        SqlException session = assertThrows(SqlException.class, () -> compile(SOURCE + "SELECT bidder, COUNT(*) "
                + "FROM TABLE(SESSION(TABLE b, DESCRIPTOR(p_time), INTERVAL '10' SECOND)) "
                + "GROUP BY bidder, window_start, window_end"));
        assertTrue(session.getMessage().startsWith("not supported yet: SESSION windows over processing time"),
                session.getMessage());
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }
}
