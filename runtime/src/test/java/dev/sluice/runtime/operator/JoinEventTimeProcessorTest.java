package dev.sluice.runtime.operator;

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
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link JoinEventTimeProcessor} over joined rows (left time, right time): the timestamp each one leaves with. */
class JoinEventTimeProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final Schema JOINED = new Schema(List.of(new Column("lt", ScalarType.BIGINT),
            new Column("rt", ScalarType.BIGINT)));

    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aJoinedRowTakesTheLeftTimeOrTheRightTimeWhenPaddedOnTheLeft() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(JOINED)))
                .processValues(() -> new JoinEventTimeProcessor(0, 1), Named.as("q-join-event-time"))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(JOINED)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "join-event-time-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("join-event-time").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        TestInputTopic<Row, Row> in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(),
                new BinaryRowSerde(JOINED).serializer());
        TestOutputTopic<Row, Row> out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                new BinaryRowSerde(JOINED).deserializer());
        in.pipeInput(Row.of("a"), Row.of(10L, 50L), 50);
        in.pipeInput(Row.of("b"), Row.of(null, 70L), 70);
        in.pipeInput(Row.of("c"), Row.of(null, null), 90);
        assertEquals(List.of(10L, 70L, 90L),
                out.readRecordsToList().stream().map(TestRecord::timestamp).toList());
    }
}
