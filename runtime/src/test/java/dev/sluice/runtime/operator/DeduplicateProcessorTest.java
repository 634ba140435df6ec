package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DeduplicateProcessor} alone in a topology: the ordered list of rows it forwards after each
 * input (Kafka's {@code SuppressScenarioTest} style), with explicit timestamps. Without a retention
 * each case also runs with the kept rows read from the table the output lands in
 * ({@link DeduplicateProcessor#overResultTable}, what the builder does): the same rows must come out.
 */
class DeduplicateProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("id", ScalarType.VARCHAR)));
    /** (id, v, ts): {@code ts} is the event-time column (BIGINT millis). */
    private static final Schema VALUE = new Schema(List.of(new Column("id", ScalarType.VARCHAR),
            new Column("v", ScalarType.VARCHAR), new Column("ts", ScalarType.BIGINT)));
    private static final String STORE = "q-dedup-store";
    private static final String TABLE = "q-dedup-table-store";

    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    private void open(boolean keepLast, OptionalInt orderColumn, long retentionMs) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE.append(new Column("dedup$time", ScalarType.BIGINT)))));
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> new DeduplicateProcessor(STORE, VALUE.size(), keepLast, orderColumn, retentionMs),
                        Named.as("q-dedup"), STORE)
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)));
        start(builder.build());
    }

    /** The processor over the store of the {@code toTable} just after it; the table's updates go out. */
    private void openOverTable(boolean keepLast, OptionalInt orderColumn) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> DeduplicateProcessor.overResultTable(TABLE, keepLast, orderColumn),
                        Named.as("q-dedup"))
                .toTable(Named.as("q-dedup-to-table"), Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(TABLE)
                        .withKeySerde(new BinaryRowSerde(KEY)).withValueSerde(new BinaryRowSerde(VALUE)))
                .toStream(Named.as("q-to-stream"))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)));
        Topology topology = builder.build();
        topology.connectProcessorAndStateStores("q-dedup", TABLE);
        start(topology);
    }

    private void open(boolean overTable, boolean keepLast, OptionalInt orderColumn) throws Exception {
        if (overTable) {
            openOverTable(keepLast, orderColumn);
        } else {
            open(keepLast, orderColumn, 0);
        }
    }

    private void start(Topology topology) throws Exception {
        Path stateDir = Files.createTempDirectory("dedup-processor");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                new BinaryRowSerde(VALUE).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(String id, String v, long ts) {
        in.pipeInput(new Row(new Object[]{id}), new Row(new Object[]{id, v, ts}), Instant.ofEpochMilli(ts));
    }

    private static KeyValue<Row, Row> row(String id, String v, long ts) {
        return KeyValue.pair(new Row(new Object[]{id}), new Row(new Object[]{id, v, ts}));
    }

    @ParameterizedTest(name = "over the result table: {0}")
    @ValueSource(booleans = {false, true})
    void keepsTheFirstRowInArrivalOrderAndDropsEveryLaterOne(boolean overTable) throws Exception {
        open(overTable, false, OptionalInt.empty());
        send("a", "first", 10);
        send("a", "second", 5);
        send("b", "only", 7);
        send("a", "third", 20);
        assertEquals(List.of(row("a", "first", 10), row("b", "only", 7)), out.readKeyValuesToList());
    }

    @ParameterizedTest(name = "over the result table: {0}")
    @ValueSource(booleans = {false, true})
    void anEarlierRowArrivingLaterReplacesTheFirstByEventTime(boolean overTable) throws Exception {
        open(overTable, false, OptionalInt.of(2));
        send("a", "at-10", 10);
        assertEquals(List.of(row("a", "at-10", 10)), out.readKeyValuesToList());
        send("a", "at-5", 5);
        assertEquals(List.of(row("a", "at-5", 5)), out.readKeyValuesToList());
        send("a", "at-7", 7);
        assertEquals(List.of(), out.readKeyValuesToList(), "7 is not earlier than the kept 5");
    }

    @ParameterizedTest(name = "over the result table: {0}")
    @ValueSource(booleans = {false, true})
    void keepingTheLastForwardsEveryRowAtOrAfterTheKeptOne(boolean overTable) throws Exception {
        open(overTable, true, OptionalInt.of(2));
        send("a", "at-10", 10);
        send("a", "at-5", 5);
        send("a", "at-10-again", 10);
        assertEquals(List.of(row("a", "at-10", 10), row("a", "at-10-again", 10)), out.readKeyValuesToList());
    }

    @ParameterizedTest(name = "over the result table: {0}")
    @ValueSource(booleans = {false, true})
    void keepingTheLastInArrivalOrderComparesRecordTimestamps(boolean overTable) throws Exception {
        open(overTable, true, OptionalInt.empty());
        send("a", "at-10", 10);
        send("a", "at-5", 5);
        send("a", "at-12", 12);
        assertEquals(List.of(row("a", "at-10", 10), row("a", "at-12", 12)), out.readKeyValuesToList(),
                "the row at 5 is older than the kept one at 10 by its record timestamp");
    }

    @Test
    void aKeyIsForgottenOnceStreamTimePassesItsRowPlusTheRetention() throws Exception {
        open(false, OptionalInt.empty(), 2_000);
        send("a", "first", 0);
        send("a", "duplicate", 1_000);
        send("b", "moves-time", 5_000); // punctuation at stream time 5 000: a (kept at 0) is older than 3 000
        send("a", "again", 5_001);
        assertEquals(List.of(row("a", "first", 0), row("b", "moves-time", 5_000), row("a", "again", 5_001)),
                out.readKeyValuesToList());
    }
}
