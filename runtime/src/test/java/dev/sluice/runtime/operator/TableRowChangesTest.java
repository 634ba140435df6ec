package dev.sluice.runtime.operator;

import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A table's upserts and tombstones become change rows keyed by group, carrying the row they retract. */
class TableRowChangesTest {
    private static final Schema KEY = new Schema(List.of(new Column("id", ScalarType.VARCHAR)));
    private static final Schema ROW = new Schema(List.of(new Column("id", ScalarType.VARCHAR),
            new Column("team", ScalarType.VARCHAR)));
    private static final Schema GROUP = new Schema(List.of(new Column("team", ScalarType.VARCHAR)));
    private static final Schema CHANGE = ROW.append(new Column("deleted", ScalarType.BOOLEAN));

    private static List<KeyValue<Row, Row>> run(Object... records) throws IOException {
        Serde<Row> keys = Formats.internalSerde(KEY);
        Serde<Row> rows = Formats.internalSerde(ROW);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("previous"), keys, rows));
        builder.stream("in", Consumed.with(keys, rows))
                .process(() -> new TableRowChanges("previous", r -> Row.of(r.get(1))), Named.as("changes"), "previous")
                .to("out", Produced.with(Formats.internalSerde(GROUP), Formats.internalSerde(CHANGE)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "table-row-changes-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("table-row-changes").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<Row, Row> in = driver.createInputTopic("in", keys.serializer(), rows.serializer());
            for (int i = 0; i < records.length; i += 2) {
                String team = (String) records[i + 1];
                in.pipeInput(Row.of(records[i]), team == null ? null : Row.of(records[i], team), i);
            }
            TestOutputTopic<Row, Row> out = driver.createOutputTopic("out",
                    Formats.internalSerde(GROUP).deserializer(), Formats.internalSerde(CHANGE).deserializer());
            return out.readKeyValuesToList();
        }
    }

    private static KeyValue<Row, Row> change(String team, String id, boolean deleted) {
        return KeyValue.pair(Row.of(team), Row.of(id, team, deleted));
    }

    @Test
    void aMoveRetractsTheOldRowFromItsGroupBeforeAddingTheNewOne() throws IOException {
        assertEquals(List.of(
                change("x", "a", false),
                change("x", "a", false),  // an update within the group: the row replaces itself there
                change("x", "a", true),   // a move: the old row leaves x...
                change("y", "a", false)), // ...and the new row enters y
                run("a", "x", "a", "x", "a", "y"));
    }

    @Test
    void aTombstoneRetractsTheLastRowAndOneForAnUnknownKeyRetractsNothing() throws IOException {
        assertEquals(List.of(
                change("x", "a", false),
                change("x", "a", true)),
                run("a", "x", "a", null, "a", null, "b", null));
    }
}
