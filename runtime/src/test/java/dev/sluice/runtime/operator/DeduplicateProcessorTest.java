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
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DeduplicateProcessor} alone in a topology: the ordered list of rows it forwards after each
 * input (Kafka's {@code SuppressScenarioTest} style), with explicit timestamps.
 */
class DeduplicateProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("id", ScalarType.VARCHAR)));
    /** (id, v, ts): {@code ts} is the event-time column (BIGINT millis). */
    private static final Schema VALUE = new Schema(List.of(new Column("id", ScalarType.VARCHAR),
            new Column("v", ScalarType.VARCHAR), new Column("ts", ScalarType.BIGINT)));
    private static final String STORE = "q-dedup-store";

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
        Path stateDir = Files.createTempDirectory("dedup-processor");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
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

    @Test
    void keepsTheFirstRowInArrivalOrderAndDropsEveryLaterOne() throws Exception {
        open(false, OptionalInt.empty(), 0);
        send("a", "first", 10);
        send("a", "second", 5);
        send("b", "only", 7);
        send("a", "third", 20);
        assertEquals(List.of(row("a", "first", 10), row("b", "only", 7)), out.readKeyValuesToList());
    }

    @Test
    void anEarlierRowArrivingLaterReplacesTheFirstByEventTime() throws Exception {
        open(false, OptionalInt.of(2), 0);
        send("a", "at-10", 10);
        assertEquals(List.of(row("a", "at-10", 10)), out.readKeyValuesToList());
        send("a", "at-5", 5);
        assertEquals(List.of(row("a", "at-5", 5)), out.readKeyValuesToList());
        send("a", "at-7", 7);
        assertEquals(List.of(), out.readKeyValuesToList(), "7 is not earlier than the kept 5");
    }

    @Test
    void keepingTheLastForwardsEveryRowAtOrAfterTheKeptOne() throws Exception {
        open(true, OptionalInt.of(2), 0);
        send("a", "at-10", 10);
        send("a", "at-5", 5);
        send("a", "at-10-again", 10);
        assertEquals(List.of(row("a", "at-10", 10), row("a", "at-10-again", 10)), out.readKeyValuesToList());
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
