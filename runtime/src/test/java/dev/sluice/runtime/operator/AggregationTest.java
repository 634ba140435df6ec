package dev.sluice.runtime.operator;

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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * {@link Aggregation} as the adder and subtractor of a table GROUP BY (SUM and MAX of v per grp),
 * with the result mapping the builders use: the ordered records after each change of the input
 * table, including a row that moves between groups, a group that empties, and an update that
 * changes nothing.
 */
class AggregationTest {
    private static final Schema KEY = new Schema(List.of(new Column("id", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("id", ScalarType.VARCHAR),
            new Column("grp", ScalarType.VARCHAR), new Column("v", ScalarType.BIGINT)));
    private static final Schema GROUP = new Schema(List.of(new Column("grp", ScalarType.VARCHAR)));
    private static final Schema OUT = GROUP.append(new Column("total", ScalarType.BIGINT))
            .append(new Column("hi", ScalarType.BIGINT));
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("SUM", List.of(new Expr.InputRef(2, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("MAX", List.of(new Expr.InputRef(2, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT));

    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    private static Aggregation aggregation() {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return new Aggregation(CALLS, -1, functions, new ExprCompiler(functions), true);
    }

    private void open() throws Exception {
        open(true);
    }

    private void open(boolean dropUnchanged) throws Exception {
        Aggregation aggregation = aggregation();
        StreamsBuilder builder = new StreamsBuilder();
        KTable<Row, AggregateState> states = builder.table("in", Consumed.with(new BinaryRowSerde(KEY),
                        new BinaryRowSerde(VALUE)))
                .groupBy((k, v) -> KeyValue.pair(Row.of(v.get(1)), v),
                        Grouped.with("q-groupby", new BinaryRowSerde(GROUP), new BinaryRowSerde(VALUE)))
                .aggregate(aggregation::initial, (k, v, agg) -> aggregation.add(v, agg),
                        (k, v, agg) -> aggregation.retract(v, agg), Named.as("q-aggregate"),
                        Materialized.<Row, AggregateState, KeyValueStore<Bytes, byte[]>>as("q-store")
                                .withKeySerde(new BinaryRowSerde(GROUP)).withValueSerde(aggregation.serde()));
        states.toStream(Named.as("q-to-stream"))
                .processValues(() -> new GroupResultProcessor((Row k, AggregateState state) -> {
                    Object[] row = aggregation.results(state, 1);
                    row[0] = k.get(0);
                    return new Row(row);
                }, "q-table-store", dropUnchanged), Named.as("q-result"))
                .toTable(Named.as("q-to-table"), Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as("q-table-store")
                        .withKeySerde(new BinaryRowSerde(GROUP)).withValueSerde(new BinaryRowSerde(OUT)))
                .toStream(Named.as("q-table-to-stream"))
                .to("out", Produced.with(new BinaryRowSerde(GROUP), new BinaryRowSerde(OUT)));
        org.apache.kafka.streams.Topology topology = builder.build();
        // the result processor reads the table its rows go to, which is added after it
        topology.connectProcessorAndStateStores("q-result", "q-table-store");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregation-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregation").toString());
        driver = new TopologyTestDriver(topology, props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(GROUP).deserializer(),
                new BinaryRowSerde(OUT).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void put(String id, String grp, long v) {
        in.pipeInput(Row.of(id), Row.of(id, grp, v));
    }

    private static KeyValue<Row, Row> row(String grp, long total, long hi) {
        return KeyValue.pair(Row.of(grp), Row.of(grp, total, hi));
    }

    @Test
    void retractsMovedAndDeletedRowsDeletesAnEmptiedGroupAndSkipsUnchangedResults() throws Exception {
        open();
        put("a", "g1", 5);
        put("b", "g1", 3);
        assertEquals(List.of(row("g1", 5, 5), row("g1", 8, 5)), out.readKeyValuesToList());
        put("a", "g2", 5);
        assertEquals(List.of(row("g1", 3, 3), row("g2", 5, 5)), out.readKeyValuesToList(),
                "a leaves g1 (MAX falls back to 3) and joins g2");
        put("b", "g1", 3);
        assertEquals(List.of(), out.readKeyValuesToList(), "b's row is the same: g1's result does not change");
        in.pipeInput(Row.of("b"), (Row) null);
        assertEquals(List.of(KeyValue.pair(Row.of("g1"), null)), out.readKeyValuesToList(),
                "g1's last row is gone: the group is deleted");
    }

    @Test
    void keepsUnchangedResultsWhenThePlanSaysSoButNeverDeletesAGroupTwice() throws Exception {
        open(false); // ksqlDB's dialect: every input row re-emits its group's row
        put("a", "g1", 5);
        put("a", "g1", 5);
        assertEquals(List.of(row("g1", 5, 5), row("g1", 5, 5)), out.readKeyValuesToList(),
                "the same row again is emitted again");
        in.pipeInput(Row.of("a"), (Row) null);
        in.pipeInput(Row.of("a"), (Row) null);
        assertEquals(List.of(KeyValue.pair(Row.of("g1"), null)), out.readKeyValuesToList(),
                "the group is deleted once; a second deletion of a row that is gone is nothing");
    }

    @Test
    void addingNeverChangesTheStateItWasHanded() {
        Aggregation aggregation = aggregation();
        AggregateState one = aggregation.add(Row.of("a", "g", 5L), aggregation.initial());
        AggregateState two = aggregation.add(Row.of("b", "g", 7L), one);
        assertNotSame(one, two);
        assertEquals(List.of(5L, 5L), List.of(aggregation.results(one, 0)));
        assertEquals(List.of(12L, 7L), List.of(aggregation.results(two, 0)));
        assertEquals(List.of(5L, 5L), List.of(aggregation.results(aggregation.retract(Row.of("b", "g", 7L), two), 0)));
    }
}
