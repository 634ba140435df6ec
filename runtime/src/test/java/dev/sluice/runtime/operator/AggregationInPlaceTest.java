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
import org.apache.kafka.common.serialization.Serdes;
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
import org.apache.kafka.streams.kstream.internals.SluiceGraph;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link Aggregation#add} leaves the state it is handed as it was (Kafka Streams' DSL aggregate
 * forwards that object as the old value when a downstream table asks for old values and the record
 * cache is off), while {@link Aggregation#addInPlace} changes it: the same results and the same
 * stored bytes, without the per-record copy.
 */
class AggregationInPlaceTest {
    private static final Schema VALUE = new Schema(List.of(new Column("k", ScalarType.VARCHAR),
            new Column("v", ScalarType.BIGINT)));
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("MAX", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT));

    private static Aggregation aggregation() {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return new Aggregation(CALLS, -1, functions, new ExprCompiler(functions));
    }

    @Test
    void addLeavesTheStateItWasHandedAndAddInPlaceChangesItToTheSameResult() {
        Aggregation aggregation = aggregation();
        AggregateStateSerde serde = aggregation.serde();
        AggregateState state = aggregation.addInPlace(Row.of("a", 4L), aggregation.initial());
        byte[] before = serde.serializer().serialize("t", state);

        AggregateState copied = aggregation.add(Row.of("a", 9L), state);
        assertArrayEquals(before, serde.serializer().serialize("t", state), "add must not change its input");
        assertArrayEquals(new Object[] {2L, 2L, 9L}, aggregation.results(copied, 0));

        AggregateState inPlace = aggregation.addInPlace(Row.of("a", 9L), state);
        assertSame(state.accumulators, inPlace.accumulators);
        assertArrayEquals(serde.serializer().serialize("t", copied), serde.serializer().serialize("t", inPlace),
                "in place and by copy store the same bytes");
        assertArrayEquals(new Object[] {1L, 0L, null}, aggregation.results(aggregation.addInPlace(Row.of("a", null),
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", aggregation.initial()))), 0));
    }

    @Test
    void theDslAggregateForwardsTheOldStateUnchangedWithTheCacheOffAndOldValues() throws Exception {
        Aggregation aggregation = aggregation();
        StreamsBuilder builder = new StreamsBuilder();
        KTable<Row, AggregateState> states = builder.stream("in", Consumed.with(new BinaryRowSerde(KEY),
                        new BinaryRowSerde(VALUE)))
                .groupByKey(Grouped.with("q-groupby", new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .aggregate(aggregation::initial, (k, v, agg) -> aggregation.add(v, agg), Named.as("q-aggregate"),
                        Materialized.<Row, AggregateState, KeyValueStore<Bytes, byte[]>>as("q-store")
                                .withKeySerde(new BinaryRowSerde(KEY)).withValueSerde(aggregation.serde()));
        // a downstream that asks for old values (as suppress or a table's groupBy do)
        SluiceGraph.changes(states, "q-changes", (old, now) -> (old == null ? "-" : aggregation.results(old, 0)[0])
                        + "->" + aggregation.results(now, 0)[0]).orElseThrow()
                .to("out", Produced.with(new BinaryRowSerde(KEY), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregation-in-place-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregation-in-place").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<Row, Row> in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(),
                    new BinaryRowSerde(VALUE).serializer());
            TestOutputTopic<Row, String> out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                    Serdes.String().deserializer());
            for (long v = 1; v <= 3; v++) {
                in.pipeInput(Row.of("a"), Row.of("a", v));
            }
            in.pipeInput(Row.of("b"), Row.of("b", 1L));
            assertEquals(List.of(KeyValue.pair(Row.of("a"), "0->1"), KeyValue.pair(Row.of("a"), "1->2"),
                    KeyValue.pair(Row.of("a"), "2->3"), KeyValue.pair(Row.of("b"), "0->1")), out.readKeyValuesToList(),
                    "a new group's old value is the initializer's state");
        }
    }
}
