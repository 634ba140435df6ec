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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dynamic table's TARGET_LAG: each key's latest row (or deletion) is published once per lag of wall-clock time. */
class TargetLagProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("k", ScalarType.VARCHAR),
            new Column("n", ScalarType.BIGINT)));
    private static final Schema STORED = VALUE.append(new Column("deleted", ScalarType.BOOLEAN))
            .append(new Column("ts", ScalarType.BIGINT));
    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    @BeforeEach
    void open() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("q-lag-store"),
                new BinaryRowSerde(KEY), new BinaryRowSerde(STORED)));
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> new TargetLagProcessor("target-lag-test-q", "q-lag-store", 1_000, VALUE.size()),
                        Named.as("q-lag"), "q-lag-store")
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "target-lag-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("target-lag").toString());
        driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(0));
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(), new BinaryRowSerde(VALUE).deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void publishesEachKeysLatestRowOnceTheLagHasPassedAndNothingBefore() {
        in.pipeInput(Row.of("a"), Row.of("a", 1L), 10);
        in.pipeInput(Row.of("a"), Row.of("a", 2L), 20);
        in.pipeInput(Row.of("b"), Row.of("b", 7L), 30);
        driver.advanceWallClockTime(Duration.ofMillis(900));
        assertEquals(List.of(), out.readKeyValuesToList(), "within the lag nothing is published");
        driver.advanceWallClockTime(Duration.ofMillis(200));
        assertEquals(List.of(KeyValue.pair(Row.of("a"), Row.of("a", 2L)), KeyValue.pair(Row.of("b"), Row.of("b", 7L))),
                out.readKeyValuesToList(), "a's first row was replaced before it was published");
        driver.advanceWallClockTime(Duration.ofMillis(2_000));
        assertEquals(List.of(), out.readKeyValuesToList(), "published rows are not published again");
    }

    @Test
    void aDeletionWaitsForTheLagLikeAnUpdate() {
        in.pipeInput(Row.of("a"), Row.of("a", 1L), 10);
        driver.advanceWallClockTime(Duration.ofMillis(1_100));
        assertEquals(1, out.readKeyValuesToList().size());
        in.pipeInput(Row.of("a"), (Row) null, 40);
        driver.advanceWallClockTime(Duration.ofMillis(500));
        assertEquals(List.of(), out.readKeyValuesToList());
        driver.advanceWallClockTime(Duration.ofMillis(600));
        assertEquals(List.of(KeyValue.pair(Row.of("a"), (Row) null)), out.readKeyValuesToList());
    }
}
