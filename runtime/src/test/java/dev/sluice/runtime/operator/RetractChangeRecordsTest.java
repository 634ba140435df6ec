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
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A table's upserts and tombstones as Flink's changelog-json records: +I, -U/+U, -D with the whole row. */
class RetractChangeRecordsTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final Schema VALUE = KEY.append(new Column("n", ScalarType.BIGINT));
    private static final Schema OUT = VALUE.append(new Column("op", ScalarType.VARCHAR));
    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    @BeforeEach
    void open() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("q-changes-store"),
                new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)));
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> new RetractChangeRecords("q-changes-store", VALUE.size()), Named.as("q-changes"),
                        "q-changes-store")
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(OUT)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "retract-change-records-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("retract-changes").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(), new BinaryRowSerde(OUT).deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static KeyValue<Row, Row> change(String k, long n, String op) {
        return KeyValue.pair(Row.of(k), Row.of(k, n, op));
    }

    @Test
    void writesInsertThenUpdateBeforeAndAfterThenTheWholeDeletedRow() {
        in.pipeInput(Row.of("a"), Row.of("a", 1L));
        in.pipeInput(Row.of("a"), Row.of("a", 2L));
        in.pipeInput(Row.of("a"), (Row) null);
        assertEquals(List.of(change("a", 1, "+I"), change("a", 1, "-U"), change("a", 2, "+U"), change("a", 2, "-D")),
                out.readKeyValuesToList());
    }

    @Test
    void writesNothingForTheSameRowAgainOrADeletionOfAKeyWithoutARow() {
        in.pipeInput(Row.of("b"), (Row) null);
        in.pipeInput(Row.of("a"), Row.of("a", 1L));
        in.pipeInput(Row.of("a"), Row.of("a", 1L));
        assertEquals(List.of(change("a", 1, "+I")), out.readKeyValuesToList());
        in.pipeInput(Row.of("a"), (Row) null);
        in.pipeInput(Row.of("a"), Row.of("a", 5L));
        assertEquals(List.of(change("a", 1, "-D"), change("a", 5, "+I")), out.readKeyValuesToList(),
                "after a deletion the key's next row is an insert again");
    }
}
