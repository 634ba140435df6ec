package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processing-time TUMBLE, HOP and CUMULATE windows keep DISTINCT values, percentile / COUNT_DISTINCT values
 * and ARRAY_AGG / COLLECT_SET elements in the event-time window's helper stores
 * ({@code <step>-distinct-store}, {@code <step>-values-store}, {@code <step>-elements-store}), not in
 * the window's state: random bids at a wall clock moved by hand give the rows of an in-memory model
 * of the windows, the helper stores hold entries while a window is open and are empty once every
 * window was emitted.
 */
class ProcessingTimeWindowHelpersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;
    private static final String SOURCE = "CREATE TABLE bids (bidder BIGINT, price BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'kafka', 'topic' = 'bids', "
            + "'format' = 'json');\n"
            + "CREATE VIEW b AS SELECT *, PROCTIME() AS p_time FROM bids;\n";
    private static final String DISTINCTS = "CREATE TABLE out (bidder BIGINT, cd BIGINT, sd BIGINT, cdf BIGINT, "
            + "med DOUBLE, ws TIMESTAMP(3), we TIMESTAMP(3)) WITH ('connector' = 'kafka', 'topic' = 'out', "
            + "'format' = 'json');\n"
            + "INSERT INTO out SELECT bidder, COUNT(DISTINCT price), SUM(DISTINCT price), COUNT_DISTINCT(price), "
            + "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY price), window_start, window_end FROM TABLE(%s) "
            + "GROUP BY bidder, window_start, window_end";
    private static final String LISTS = "CREATE TABLE out (bidder BIGINT, arr ARRAY<BIGINT>, cs ARRAY<BIGINT>, "
            + "ws TIMESTAMP(3), we TIMESTAMP(3)) WITH ('connector' = 'kafka', 'topic' = 'out', 'format' = 'json');\n"
            + "INSERT INTO out SELECT bidder, ARRAY_AGG(price), COLLECT_SET(price), window_start, window_end "
            + "FROM TABLE(%s) GROUP BY bidder, window_start, window_end";
    private static final String TUMBLE = "TUMBLE(TABLE b, DESCRIPTOR(p_time), INTERVAL '2' SECOND)";
    private static final String HOP = "HOP(TABLE b, DESCRIPTOR(p_time), INTERVAL '1' SECOND, INTERVAL '2' SECOND)";
    private static final String CUMULATE = "CUMULATE(TABLE b, DESCRIPTOR(p_time), INTERVAL '1' SECOND, "
            + "INTERVAL '3' SECOND)";

    @Test
    void tumblingDistinctsAndPercentiles() {
        run(DISTINCTS.formatted(TUMBLE), 2000, 2000, false, List.of("-distinct-store", "-values-store"));
    }

    @Test
    void hoppingDistinctsAndPercentiles() {
        run(DISTINCTS.formatted(HOP), 2000, 1000, false, List.of("-distinct-store", "-values-store"));
    }

    @Test
    void tumblingListsAndSets() {
        run(LISTS.formatted(TUMBLE), 2000, 2000, true, List.of("-elements-store"));
    }

    @Test
    void hoppingListsAndSets() {
        run(LISTS.formatted(HOP), 2000, 1000, true, List.of("-elements-store"));
    }

    @Test
    void cumulatingDistinctsAndPercentiles() {
        run(DISTINCTS.formatted(CUMULATE), 3000, -1000, false, List.of("-distinct-store", "-values-store"));
    }

    @Test
    void cumulatingListsAndSets() {
        run(LISTS.formatted(CUMULATE), 3000, -1000, true, List.of("-elements-store"));
    }

    /** Without a group key: the helper stores key every window by the empty key's bytes. */
    @Test
    void globalHoppingWindows() {
        run(global(DISTINCTS.formatted(HOP)), 2000, 1000, false, List.of("-distinct-store", "-values-store"));
        run(global(LISTS.formatted(HOP)), 2000, 1000, true, List.of("-elements-store"));
    }

    /** The query without its GROUP BY key: every bid counts under bidder 0. */
    private static String global(String query) {
        return query.replace("SELECT bidder,", "SELECT CAST(0 AS BIGINT),").replace("GROUP BY bidder, ", "GROUP BY ");
    }

    /** A bid processed at wall clock {@code at}. */
    private record Bid(long bidder, long price, long at) {
    }

    /** {@code slide}: a HOP's slide (the size for TUMBLE), or minus a CUMULATE's step. */
    private static void run(String query, long size, long slide, boolean lists, List<String> helperSuffixes) {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(SOURCE + query, "t", BuildOptions.PRODUCTION);
        // record cache off, then on (the aggregate and distinct stores are cached; the punctuator's
        // range scans and deletes then go through the cache)
        for (String cacheBytes : List.of("0", "10485760")) {
            Properties props = ChangelogDriver.properties("proctime-helpers");
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes);
            // a query without its GROUP BY key counts every bid under bidder 0
            run(script, props, size, slide, lists, helperSuffixes, !query.contains("GROUP BY bidder"));
        }
    }

    private static void run(CompiledScript script, Properties props, long size, long slide, boolean lists,
                            List<String> helperSuffixes, boolean global) {
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props, Instant.ofEpochMilli(T0))) {
            TestInputTopic<String, String> bids = driver.createInputTopic("bids", new StringSerializer(),
                    new StringSerializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(),
                    new StringDeserializer());
            List<String> helpers = driver.getAllStateStores().keySet().stream()
                    .filter(name -> helperSuffixes.stream().anyMatch(name::endsWith)).sorted().toList();
            assertEquals(helperSuffixes.size(), helpers.size(), "helper stores " + driver.getAllStateStores().keySet());
            Random random = new Random(13);
            List<Bid> all = new ArrayList<>();
            List<String> emitted = new ArrayList<>();
            long wallClock = T0;
            for (int i = 0; i < 30; i++) {
                long step = random.nextInt(4) == 0 ? random.nextInt(900) : random.nextInt(60);
                driver.advanceWallClockTime(Duration.ofMillis(step));
                wallClock += step;
                Bid bid = new Bid(1 + random.nextInt(3), random.nextInt(8), wallClock);
                all.add(bid);
                // event time plays no part
                bids.pipeInput(null, "{\"bidder\":" + bid.bidder + ",\"price\":" + bid.price + ",\"ts\":"
                        + random.nextInt(1_000_000) + "}", random.nextInt(1_000_000));
                for (String helper : helpers) {
                    assertTrue(entries(driver, helper) > 0, helper + " holds the open window's values");
                }
                emitted.addAll(rows(out, lists));
            }
            driver.advanceWallClockTime(Duration.ofMillis(size + 1000));
            emitted.addAll(rows(out, lists));
            assertEquals(model(global ? all.stream().map(b -> new Bid(0, b.price, b.at)).toList() : all, size, slide,
                    lists), emitted, "each window once, in the order windows end");
            for (String helper : helpers) {
                assertEquals(0, entries(driver, helper), helper + " is empty once every window was emitted");
            }
        }
    }

    private static long entries(TopologyTestDriver driver, String name) {
        long n = 0;
        try (KeyValueIterator<?, ?> it = driver.getKeyValueStore(name).all()) {
            for (; it.hasNext(); it.next()) {
                n++;
            }
        }
        return n;
    }

    /** Emitted rows as "start end bidder results". */
    private static List<String> rows(TestOutputTopic<String, String> out, boolean lists) {
        return out.readValuesToList().stream().map(value -> {
            JsonNode v = parse(value);
            String results = lists ? v.get("arr") + " " + v.get("cs")
                    : v.get("cd").asLong() + " " + v.get("sd").asLong() + " " + v.get("cdf").asLong() + " "
                    + v.get("med").asDouble();
            return millis(v.get("ws")) + " " + millis(v.get("we")) + " " + v.get("bidder").asLong() + " " + results;
        }).toList();
    }

    /** The rows every (window, bidder) should give, in emission order. */
    private static List<String> model(List<Bid> bids, long size, long slide, boolean lists) {
        Map<String, List<Long>> windows = new TreeMap<>();
        for (Bid bid : bids) {
            if (slide < 0) {
                long period = bid.at - Math.floorMod(bid.at, size);
                for (long end = period - slide; end <= period + size; end -= slide) {
                    if (end > bid.at) {
                        windows.computeIfAbsent((period - T0) + " " + (end - T0) + " " + bid.bidder,
                                k -> new ArrayList<>()).add(bid.price);
                    }
                }
                continue;
            }
            long last = bid.at - Math.floorMod(bid.at, slide);
            for (long start = last; start > bid.at - size; start -= slide) {
                windows.computeIfAbsent((start - T0) + " " + (start + size - T0) + " " + bid.bidder,
                        k -> new ArrayList<>()).add(bid.price);
            }
        }
        List<String> rows = new ArrayList<>();
        windows.forEach((window, prices) -> {
            LinkedHashSet<Long> set = new LinkedHashSet<>(prices);
            String results;
            if (lists) {
                results = prices.toString().replace(" ", "") + " " + set.toString().replace(" ", "");
            } else {
                List<Long> sorted = prices.stream().sorted().toList();
                double position = 0.5 * (sorted.size() - 1);
                int low = (int) Math.floor(position);
                int high = (int) Math.ceil(position);
                double median = sorted.get(low) + (position - low) * (sorted.get(high) - sorted.get(low));
                results = set.size() + " " + set.stream().mapToLong(Long::longValue).sum() + " " + set.size() + " "
                        + median;
            }
            rows.add(window + " " + results);
        });
        // the aggregate's order: window end, then start, then group
        return rows.stream().sorted(java.util.Comparator.<String>comparingLong(row -> field(row, 1))
                .thenComparingLong(row -> field(row, 0)).thenComparingLong(row -> field(row, 2))).toList();
    }

    private static long field(String row, int i) {
        return Long.parseLong(row.split(" ")[i]);
    }

    private static long millis(JsonNode timestamp) {
        return Instant.parse(timestamp.asText()).toEpochMilli() - T0;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
