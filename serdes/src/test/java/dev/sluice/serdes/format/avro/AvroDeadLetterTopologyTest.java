package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A hand-written topology reading Avro with Sluice's serde: a corrupt record (wrong magic byte) is
 * skipped by LogAndContinueExceptionHandler and lands in Kafka Streams' own dead-letter topic
 * (KIP-1034) with its original bytes and the reason in headers, while good records flow on.
 */
class AvroDeadLetterTopologyTest {
    private static final String SCOPE = "dlq";

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void corruptAvroRecordGoesToTheDeadLetterTopicWithTheReason() {
        MockSchemaRegistry.drop(SCOPE);
        Schema schema = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("name", ScalarType.VARCHAR));
        FormatOptions options = new FormatOptions("orders", Map.of("format", "avro", "schema_registry_url", "mock://" + SCOPE));
        Serde<Row> avro = Formats.valueSerde(schema, options);
        Serde<Row> json = Formats.valueSerde(schema, new FormatOptions("orders-json", Map.of("format", "json")));

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(org.apache.kafka.common.serialization.Serdes.ByteArray(), avro).withName("orders-source"))
                .to("orders-json", Produced.with(org.apache.kafka.common.serialization.Serdes.ByteArray(), json).withName("orders-sink"));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/kafka-streams-state");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "orders-dlq");

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("orders", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("orders-json", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("orders-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());

            byte[] good = avro.serializer().serialize("orders", Row.of(1L, "a"));
            byte[] corrupt = "{\"id\":2}".getBytes(StandardCharsets.UTF_8);
            in.pipeInput(new byte[] {'k'}, good);
            in.pipeInput(new byte[] {'k'}, corrupt);
            in.pipeInput(new byte[] {'k'}, avro.serializer().serialize("orders", Row.of(3L, null)));

            List<String> passed = out.readValuesToList().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
            assertEquals(List.of("{\"id\":1,\"name\":\"a\"}", "{\"id\":3,\"name\":null}"), passed);

            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            assertEquals(1, dead.size());
            assertArrayEquals(corrupt, dead.get(0).value());
            assertEquals("unknown magic byte 0x7b: not the Confluent Avro wire format (magic byte 0, 4-byte schema id, Avro body);"
                    + " the record looks like JSON", header(dead.get(0), "__streams.errors.message"));
            assertEquals("org.apache.kafka.common.errors.SerializationException", header(dead.get(0), "__streams.errors.exception"));
            assertEquals("orders", header(dead.get(0), "__streams.errors.topic"));
            assertEquals("1", header(dead.get(0), "__streams.errors.offset"));
        }
    }
}
