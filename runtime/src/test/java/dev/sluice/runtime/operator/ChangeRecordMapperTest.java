package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ChangeRecordMapper} after a table: every upsert and tombstone of the table is one record
 * of the stream, in order, carrying its operation.
 */
class ChangeRecordMapperTest {
    private static final Schema KEY = new Schema(List.of(new Column("id", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("v", ScalarType.BIGINT),
            new Column("id", ScalarType.VARCHAR)));
    private static final Schema OUT = VALUE.append(new Column("op", ScalarType.VARCHAR));

    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    private void open() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)),
                        Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as("q-source-store"))
                .toStream(Named.as("q-to-stream"))
                .mapValues(new ChangeRecordMapper(VALUE.size(), new int[]{1}), Named.as("q-changes"))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(OUT)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "change-records-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("change-records").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                new BinaryRowSerde(OUT).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static Row key(String id) {
        return new Row(new Object[]{id});
    }

    private static KeyValue<Row, Row> change(String id, Long v, String op) {
        return KeyValue.pair(key(id), new Row(new Object[]{v, id, op}));
    }

    @Test
    void everyUpsertIsAPlusURecordAndEveryTombstoneAMinusDRecordOfTheKeyColumns() throws Exception {
        open();
        in.pipeInput(key("a"), new Row(new Object[]{1L, "a"}), 1);
        in.pipeInput(key("b"), new Row(new Object[]{2L, "b"}), 2);
        in.pipeInput(key("a"), new Row(new Object[]{3L, "a"}), 3);
        in.pipeInput(key("a"), null, 4);
        assertEquals(List.of(change("a", 1L, "+U"), change("b", 2L, "+U"), change("a", 3L, "+U"),
                change("a", null, "-D")), out.readKeyValuesToList());
    }

    @Test
    void aKeyColumnTheRowDoesNotCarryStaysNullInADeletion() {
        ChangeRecordMapper mapper = new ChangeRecordMapper(2, new int[]{-1});
        assertEquals(new Row(new Object[]{null, null, "-D"}), mapper.apply(key("a"), null));
    }
}
