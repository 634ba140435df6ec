package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record whose every window has closed fails here (to the exception handler), before the aggregate. */
class LateRecordGuardTest {
    private static final Schema ROW = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private TopologyTestDriver driver;
    private TestInputTopic<Row, Row> in;
    private TestOutputTopic<Row, Row> out;

    private void open(WindowSpec window) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(new BinaryRowSerde(ROW), new BinaryRowSerde(ROW)))
                .processValues(() -> new LateRecordGuard(window), Named.as("q-late-guard"))
                .to("out", Produced.with(new BinaryRowSerde(ROW), new BinaryRowSerde(ROW)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "late-guard-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new BinaryRowSerde(ROW).serializer(), new BinaryRowSerde(ROW).serializer());
        out = driver.createOutputTopic("out", new BinaryRowSerde(ROW).deserializer(), new BinaryRowSerde(ROW).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aRecordWithinGraceIsForwardedInOrder() {
        open(WindowSpec.tumble(10_000, 6_000));
        in.pipeInput(Row.of("a"), Row.of("a"), 15_000);
        in.pipeInput(Row.of("b"), Row.of("b"), 9_000); // [0,10 s) closes at 16 s: 15 s is before
        assertEquals(List.of(Row.of("a"), Row.of("b")), out.readValuesToList());
    }

    @Test
    void aRecordPastGraceIsALateRecordErrorNamingItsWindow() {
        open(WindowSpec.tumble(10_000, 2_000));
        in.pipeInput(Row.of("a"), Row.of("a"), 15_000);
        StreamsException e = assertThrows(StreamsException.class, () -> in.pipeInput(Row.of("b"), Row.of("b"), 5_000));
        LateRecordException late = assertInstanceOf(LateRecordException.class, e.getCause());
        assertTrue(late.getMessage().contains("its last window closed at 1970-01-01T00:00:12Z"), late.getMessage());
        assertEquals(List.of(Row.of("a")), out.readValuesToList(), "the late record is not forwarded");
    }
}
