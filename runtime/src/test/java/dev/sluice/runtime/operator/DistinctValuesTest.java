package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store-backed distinct values of a stream GROUP BY: which rows are first occurrences per
 * group and call, and what the named, changelogged store holds.
 */
class DistinctValuesTest {
    private static final Schema KEY = new Schema(List.of(new Column("channel", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("channel", ScalarType.VARCHAR),
            new Column("bidder", ScalarType.BIGINT), new Column("price", ScalarType.BIGINT)));
    private static final Schema MARKED = VALUE.append(new Column("distinct$first", ScalarType.BIGINT));
    private static final String STEP = "q-aggregate";

    /** COUNT(*), COUNT(DISTINCT bidder), COUNT(DISTINCT bidder) FILTER (WHERE price < 100). */
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), true, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), true,
                    Optional.of(new Expr.Call("<", List.of(new Expr.InputRef(2, ScalarType.BIGINT),
                            new Expr.Literal(100L, ScalarType.BIGINT)), ScalarType.BOOLEAN)),
                    List.of(), ScalarType.BIGINT));

    private java.nio.file.Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    @BeforeEach
    void start() throws Exception {
        stateDir = Files.createTempDirectory("distinct-values");
        open(0);
    }

    /** {@code windowSize} > 0: per tumbling window of that many ms, in a window store. */
    private void open(long windowSize) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(CALLS, -1, functions, new ExprCompiler(functions), false,
                VALUE.size());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(windowSize > 0
                ? DistinctValues.windowStore(STEP, dev.sluice.runtime.plan.WindowSpec.tumble(windowSize, windowSize), StateBackend.ROCKSDB)
                : DistinctValues.store(STEP, StateBackend.ROCKSDB));
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> DistinctValues.of(STEP, CALLS, aggregation, new BinaryRowSerde(KEY), windowSize),
                        Named.as(STEP + "-distinct"), DistinctValues.storeName(STEP))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(MARKED)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "distinct-values-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                new BinaryRowSerde(MARKED).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private long firsts(String channel, long bidder, long price) {
        in.pipeInput(Row.of(channel), Row.of(channel, bidder, price));
        return (Long) out.readValue().get(VALUE.size());
    }

    @Test
    void marksAValueOnlyTheFirstTimeItsGroupSeesIt() {
        assertEquals(0b110, firsts("a", 1, 10));
        assertEquals(0b000, firsts("a", 1, 10));
        // Another group has its own values.
        assertEquals(0b110, firsts("b", 1, 10));
        assertEquals(0b110, firsts("a", 2, 50));
    }

    private long firstsAt(long timestamp, String channel, long bidder, long price) {
        in.pipeInput(Row.of(channel), Row.of(channel, bidder, price), timestamp);
        return (Long) out.readValue().get(VALUE.size());
    }

    @Test
    void inTumblingWindowsAValueIsFirstOncePerWindowAndTheStoreIsTrimmedWithTheWindows() {
        driver.close();
        open(1_000);
        assertEquals(0b110, firstsAt(100, "a", 1, 10));
        assertEquals(0b000, firstsAt(999, "a", 1, 10));
        // The next window has not seen bidder 1.
        assertEquals(0b110, firstsAt(1_000, "a", 1, 10));
        assertEquals(0b000, firstsAt(1_500, "a", 1, 10));
        // Out of order, back in the first window (open until 2000: grace 1000): seen there.
        assertEquals(0b000, firstsAt(500, "a", 1, 10));
        assertEquals(0b110, firstsAt(600, "a", 2, 10));
        org.apache.kafka.streams.state.WindowStore<Bytes, byte[]> store =
                driver.getWindowStore("q-aggregate-distinct-store");
        int entries = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                entries++;
            }
        }
        // (a, 1) x 2 calls in [0, 1000), the same in [1000, 2000), (a, 2) x 2 calls in [0, 1000)
        assertEquals(6, entries);
        // Far later, the first windows are past retention (window stores keep at least 20 minutes,
        // WindowStoreRetention): the store no longer holds them.
        firstsAt(5_000_000, "a", 3, 10);
        entries = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                entries++;
            }
        }
        assertEquals(2, entries, "only (a, 3)'s window is kept");
    }

    @Test
    void aRowItsFilterDropsIsNoOccurrenceForThatCall() {
        assertEquals(0b010, firsts("a", 7, 500));
        // Bidder 7 under 100 is new for the filtered call only.
        assertEquals(0b100, firsts("a", 7, 5));
        assertEquals(0b000, firsts("a", 7, 5));
    }

    @Test
    void keepsOneEntryPerGroupAndValueWithTheBitsOfTheCallsThatSawItInItsNamedStore() {
        firsts("a", 1, 10);
        firsts("a", 1, 10);
        firsts("a", 2, 500);
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore("q-aggregate-distinct-store");
        // state format 22: (a, 1) seen by calls 1 and 2, (a, 2) by call 1 (at 500 it is filtered out of call 2)
        assertEquals(List.of(0b110L, 0b010L), bitsOf(store));
        // bidder 2 under 100 later: its entry gains call 2's bit, no entry is added
        assertEquals(0b100, firsts("a", 2, 5));
        assertEquals(List.of(0b110L, 0b110L), bitsOf(store));
        assertTrue(driver.producedTopicNames().contains("distinct-values-test-q-aggregate-distinct-store-changelog"),
                "changelogged: " + driver.producedTopicNames());
    }

    private static List<Long> bitsOf(KeyValueStore<Bytes, byte[]> store) {
        List<Long> bits = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> bits.add(CallBits.read(kv.value)));
        }
        return bits;
    }

    @Test
    void callBitsRoundTripInTheFewestBytes() {
        for (long bits : new long[] {1L, 0b110L, 1L << 7, 1L << 8, 0x7F80L, 1L << 62, Long.MIN_VALUE | 1L}) {
            assertEquals(bits, CallBits.read(CallBits.write(bits)));
        }
        assertEquals(1, CallBits.write(0b110L).length);
        assertEquals(2, CallBits.write(0x7F80L).length, "q16's calls 7 to 14");
        assertEquals(0L, CallBits.read(null));
    }

    @Test
    void inHoppingWindowsEachOpenWindowGetsItsOwnBitsInTheAggregatesOrderAndClosedWindowsNone() {
        driver.close();
        // 3 s windows every 1 s, 1 s grace: a record at t lies in the windows starting t-2 s, t-1 s, t
        org.apache.kafka.streams.kstream.TimeWindows windows = org.apache.kafka.streams.kstream.TimeWindows
                .ofSizeAndGrace(java.time.Duration.ofMillis(3_000), java.time.Duration.ofMillis(1_000))
                .advanceBy(java.time.Duration.ofMillis(1_000));
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(CALLS, -1, functions, new ExprCompiler(functions), false,
                VALUE.size());
        List<long[]> marks = new ArrayList<>();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DistinctValues.windowStore(STEP,
                new dev.sluice.runtime.plan.WindowSpec(dev.sluice.runtime.plan.WindowSpec.Kind.HOP, 3_000, 1_000, 1_000), StateBackend.ROCKSDB));
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> DistinctValues.of(STEP, CALLS, aggregation, new BinaryRowSerde(KEY), windows),
                        Named.as(STEP + "-distinct"), DistinctValues.storeName(STEP))
                .foreach((k, v) -> {
                    WindowMarks m = (WindowMarks) v.get(VALUE.size());
                    long[] bits = new long[m.windows()];
                    for (int i = 0; i < bits.length; i++) {
                        bits[i] = m.window(i);
                    }
                    marks.add(bits);
                });
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "distinct-values-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        in.pipeInput(Row.of("a"), Row.of("a", 1L, 10L), 10_500);   // windows at 8, 9, 10 s: new in all
        in.pipeInput(Row.of("a"), Row.of("a", 1L, 10L), 11_500);   // 9, 10: seen; 11: new
        in.pipeInput(Row.of("a"), Row.of("a", 2L, 500L), 14_000);  // 12, 13, 14: new, unfiltered call only
        // Stream time 14 s, grace 1 s: windows ending at or before 13 s are closed, so of 9, 10, 11
        // only 11 (ends 14 s) is open; there bidder 1 was seen at 11.5 s.
        in.pipeInput(Row.of("a"), Row.of("a", 1L, 10L), 11_200);
        in.pipeInput(Row.of("a"), Row.of("a", 3L, 10L), 11_300);   // only window 11, new there
        assertEquals(List.of("[6, 6, 6]", "[0, 0, 6]", "[2, 2, 2]", "[0]", "[6]"),
                marks.stream().map(java.util.Arrays::toString).toList());
    }
}
