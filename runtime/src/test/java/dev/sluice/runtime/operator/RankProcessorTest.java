package dev.sluice.runtime.operator;

import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RankProcessor} alone: top 2 by cost descending of a table's rows (identified by user) in
 * one partition; the ordered records it forwards after each change, keyed by (partition, position).
 */
class RankProcessorTest {
    private static final Schema ROW = new Schema(List.of(new Column("user", ScalarType.VARCHAR),
            new Column("cost", ScalarType.BIGINT)));
    private static final Schema CHANGE = ROW.append(new Column("rank$deleted", ScalarType.BOOLEAN));
    private static final Schema PARTITION = new Schema(List.of(new Column("p", ScalarType.VARCHAR)));
    private static final Schema OUT_KEY = PARTITION.append(new Column("position", ScalarType.BIGINT));
    private static final Schema OUT = ROW.append(new Column("rank", ScalarType.BIGINT));
    private static final String STORE = "q-rank-store";

    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    private void open() throws Exception {
        SourceStep source = new SourceStep("s", new FormatSpec("t", Map.of()), new Schema(List.of(ROW.column(0))), ROW,
                OptionalInt.empty(), false);
        RankStep step = new RankStep("q-rank", source, RankStep.Function.ROW_NUMBER, List.of(),
                List.of(new RankStep.SortKey(1, true, true)), 2, true, OUT_KEY, OUT);
        Ranking ranking = new Ranking(step, new int[]{0});
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                new BinaryRowSerde(PARTITION),
                new BinaryRowSerde(new Schema(List.of(new Column("rows", new ArrayType(new StructType(ROW.columns()))))))));
        builder.stream("in", Consumed.with(new BinaryRowSerde(PARTITION), new BinaryRowSerde(CHANGE)))
                .process(() -> new RankProcessor(ranking, STORE), Named.as("q-rank"), STORE)
                .to("out", Produced.with(new BinaryRowSerde(OUT_KEY), new BinaryRowSerde(OUT)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rank-processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("rank-processor").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(PARTITION).serializer(),
                new BinaryRowSerde(CHANGE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(OUT_KEY).deserializer(),
                new BinaryRowSerde(OUT).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void change(String user, long cost, boolean deleted) {
        in.pipeInput(Row.of("p"), Row.of(user, cost, deleted));
    }

    private static KeyValue<Row, Row> at(long position, String user, long cost) {
        return KeyValue.pair(Row.of("p", position), Row.of(user, cost, position));
    }

    private static KeyValue<Row, Row> gone(long position) {
        return KeyValue.pair(Row.of("p", position), null);
    }

    @Test
    void forwardsOnlyThePositionsWhoseRowChanged() throws Exception {
        open();
        change("a", 3, false);
        assertEquals(List.of(at(1, "a", 3)), out.readKeyValuesToList());
        change("b", 5, false);
        assertEquals(List.of(at(1, "b", 5), at(2, "a", 3)), out.readKeyValuesToList());
        change("c", 1, false);
        assertEquals(List.of(), out.readKeyValuesToList(), "c ranks third, outside the top 2: nothing changes");
        change("a", 3, false);
        assertEquals(List.of(), out.readKeyValuesToList(), "an update to the same row leaves the top 2 as it was");
        change("a", 3, true);
        assertEquals(List.of(at(2, "c", 1)), out.readKeyValuesToList(), "the next row takes the deleted row's place");
        change("b", 5, true);
        change("c", 1, true);
        assertEquals(List.of(at(1, "c", 1), gone(2), gone(1)), out.readKeyValuesToList());
    }
}
