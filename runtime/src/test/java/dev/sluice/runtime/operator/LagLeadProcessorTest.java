package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.LagLeadStep.OffsetCall;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link LagLeadProcessor} alone, over rows (k, v) of one key: LAG(v) and LEAD(v) with default -1,
 * in arrival order and sorted by event time behind a watermark; the ordered output after each row.
 */
class LagLeadProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final Schema ROW = new Schema(List.of(new Column("k", ScalarType.VARCHAR),
            new Column("v", ScalarType.BIGINT)));
    private static final String STORE = "q-lag-store";
    private static final String BUFFER = "q-lag-buffer";

    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestInputTopic<byte[], byte[]> endOfTime;
    private TestOutputTopic<Row, Row> out;

    private void open(List<OffsetCall> calls, boolean sorted, long delay) throws Exception {
        Schema output = ROW;
        List<Column> state = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            output = output.append(new Column("c" + i, ScalarType.BIGINT));
            state.add(new Column("history$" + i, new ArrayType(ScalarType.BIGINT)));
        }
        state.add(new Column("pending", new ArrayType(new StructType(output.columns()))));
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                new BinaryRowSerde(KEY), new BinaryRowSerde(new Schema(state))));
        List<String> stores = new ArrayList<>(List.of(STORE));
        if (sorted) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUFFER),
                    new BinaryRowSerde(new Schema(List.of(new Column("time", ScalarType.BIGINT),
                            new Column("arrival", ScalarType.BIGINT)))),
                    new BinaryRowSerde(new Schema(List.of(new Column("key", new StructType(KEY.columns())),
                            new Column("row", new StructType(ROW.columns())))))));
            stores.add(BUFFER);
        }
        Evaluator[] defaults = new Evaluator[calls.size()];
        java.util.Arrays.fill(defaults, (Evaluator) row -> -1L);
        Schema written = output;
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(ROW)))
                .merge(builder.stream("eot", Consumed.with(EndOfTime.keySerde(1), EndOfTime.valueSerde())))
                .process(() -> new LagLeadProcessor(calls, defaults, ROW.size(), STORE, sorted ? BUFFER : null, delay),
                        Named.as("q-lag"), stores.toArray(new String[0]))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(written)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lag-lead-processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("lag-lead-processor").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(ROW).serializer());
        endOfTime = driver.createInputTopic("eot", new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                new BinaryRowSerde(written).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static OffsetCall lag() {
        return new OffsetCall(false, 1, 1, new Expr.Literal(-1L, ScalarType.BIGINT));
    }

    private static OffsetCall lead() {
        return new OffsetCall(true, 1, 1, new Expr.Literal(-1L, ScalarType.BIGINT));
    }

    private void send(long v, long time) {
        in.pipeInput(Row.of("a"), Row.of("a", v), time);
    }

    private static KeyValue<Row, Row> row(Object... values) {
        return KeyValue.pair(Row.of("a"), Row.of(values));
    }

    @Test
    void lagGivesThePreviousValueOfTheKeyAndTheDefaultFirst() throws Exception {
        open(List.of(lag()), false, 0);
        send(10, 1);
        send(20, 2);
        send(30, 3);
        assertEquals(List.of(row("a", 10L, -1L), row("a", 20L, 10L), row("a", 30L, 20L)), out.readKeyValuesToList());
    }

    @Test
    void leadHoldsARowUntilTheNextOneArrivesAndTheEndOfTimeReleasesTheLast() throws Exception {
        open(List.of(lead()), false, 0);
        send(10, 1);
        assertEquals(List.of(), out.readKeyValuesToList(), "10 waits for the value after it");
        send(20, 2);
        assertEquals(List.of(row("a", 10L, 20L)), out.readKeyValuesToList());
        endOfTime.pipeInput(new byte[0], new byte[0], 3);
        assertEquals(List.of(row("a", 20L, -1L)), out.readKeyValuesToList());
    }

    @Test
    void sortedByEventTimeARowWaitsForTheWatermarkAndALateOneFails() throws Exception {
        open(List.of(lag()), true, 5);
        send(20, 20);
        send(18, 18);
        assertEquals(List.of(), out.readKeyValuesToList(), "both wait: the watermark is at 15");
        send(40, 40);
        assertEquals(List.of(row("a", 18L, -1L), row("a", 20L, 18L)), out.readKeyValuesToList(),
                "the watermark 35 releases them in event-time order");
        org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.streams.errors.StreamsException.class,
                () -> send(30, 30), "30 is behind the watermark");
    }

    /** Flink's LAG over rows at 1, 1 s with {@code WATERMARK FOR ts AS ts} keeps the first and drops the second. */
    @Test
    void withNoDelayASecondRowOfTheNewestTimeIsLateAsInFlink() throws Exception {
        open(List.of(lag()), true, 0);
        send(1, 1000);
        assertEquals(List.of(row("a", 1L, -1L)), out.readKeyValuesToList(), "the watermark is 1000: the row leaves");
        org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.streams.errors.StreamsException.class,
                () -> send(2, 1000), "a row at the watermark is late");
    }
}
