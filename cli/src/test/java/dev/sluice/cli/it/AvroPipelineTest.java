package dev.sluice.cli.it;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Avro end to end, with nothing mocked: a real Schema Registry (Apicurio, Confluent API), a real
 * broker, and a compiled pipeline whose source columns are discovered from the registry. Output is
 * read back with plain Avro and the registry's REST API, not with Sluice's own serde.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AvroPipelineTest {
    /** 2024-01-15T10:00:00Z */
    private static final long T0 = 1_705_312_800_000L;
    /** What the shop's producer registered for its orders topic. */
    private static final String ORDER_SCHEMA = """
            {"type": "record", "name": "Order", "namespace": "com.example.shop", "fields": [
              {"name": "order_id", "type": "long"},
              {"name": "customer", "type": "string"},
              {"name": "amount", "type": "double"},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""";

    private static RegistryServer registry;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = RegistryServer.start(); // boots while the first test starts the broker
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void discoveredAvroSourceFeedsAFilterAndAWindowedAggregateWritingAvroAndCorruptRecordsGoToTheDeadLetterTopic(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("avro");
        String url = registry.url();
        String in = app + "-orders";
        registry.register(in + "-value", ORDER_SCHEMA);
        createTopics(broker, in, app + "-big", app + "-spend", app + "-dlq");
        String avro = "'format' = 'avro', 'schema_registry_url' = '" + url + "'";
        CompiledScript script = ItSupport.compile("SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM orders WITH ('topic' = '" + in + "', " + avro + ", 'timestamp' = 'ts', "
                + "'dlq_topic' = '" + app + "-dlq');\n"
                + "CREATE STREAM big_orders WITH ('topic' = '" + app + "-big', " + avro + ") AS\n"
                + "  SELECT order_id, UPPER(customer) AS customer, amount FROM orders WHERE amount >= 100;\n"
                + "CREATE TABLE spend WITH ('topic' = '" + app + "-spend', " + avro + ") AS\n"
                + "  SELECT customer, window_start, COUNT(*) AS orders, SUM(amount) AS total\n"
                + "  FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE))\n"
                + "  GROUP BY customer, window_start, window_end;\n"
                + "DESCRIBE orders;\n", "avro");
        assertEquals("(order_id BIGINT, customer VARCHAR, amount DOUBLE, ts TIMESTAMP(3))",
                script.sources().get(0).schema().toString(), "columns come from the registered schema");
        // the registered fields are required, so DESCRIBE says NOT NULL
        assertTrue(script.notes().contains("DESCRIBE orders: stream (order_id BIGINT NOT NULL, customer VARCHAR NOT NULL, "
                + "amount DOUBLE NOT NULL, ts TIMESTAMP(3) NOT NULL) topic '" + in + "'"), script.notes().toString());
        assertEquals(app + "-dlq", script.settings().get("errors.dead.letter.queue.topic.name"));

        // Sluice's serializer writes the good records; three records are corrupt in three different ways
        Schema columns = script.sources().get(0).schema();
        Serializer<Row> sluice = Formats.valueSerde(columns, new FormatOptions(in,
                Map.of("format", "avro", "schema_registry_url", url))).serializer();
        byte[] good = sluice.serialize(in, order(1, "ann", 120.0, T0 + 5_000));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 1;
        byte[] unknownId = good.clone();
        unknownId[1] = 0x7f; // schema id 0x7f…: never registered
        byte[] truncated = Arrays.copyOf(good, good.length - 4);
        List<byte[]> values = List.of(good,
                sluice.serialize(in, order(2, "bob", 30.0, T0 + 10_000)),
                wrongMagic,
                sluice.serialize(in, order(3, "ann", 80.5, T0 + 20_000)),
                unknownId,
                sluice.serialize(in, order(4, "bob", 250.0, T0 + 70_000)),
                truncated,
                sluice.serialize(in, order(5, "cy", 10.0, T0 + 130_000))); // closes the windows before it
        long[] times = {T0 + 5_000, T0 + 10_000, T0 + 15_000, T0 + 20_000, T0 + 25_000, T0 + 70_000, T0 + 75_000, T0 + 130_000};
        produce(broker, in, values, times);

        try (KafkaStreams streams = new KafkaStreams(script.topology(),
                ItSupport.streamsConfig(broker, script, dir.resolve("state"), Map.of()))) {
            streams.start();
            var big = ItSupport.readCommitted(broker, app + "-big", 2, Duration.ofSeconds(30));
            var spend = ItSupport.readCommitted(broker, app + "-spend", 3, Duration.ofSeconds(30));
            var dead = ItSupport.readCommitted(broker, app + "-dlq", 3, Duration.ofSeconds(30));

            int bigId = registry.latestId(app + "-big-value");
            assertTrue(bigId > 0, "the output schema is registered under <sink>-value");
            assertEquals("[order_id, customer, amount]", registry.schemaById(bigId).getFields().stream()
                    .map(org.apache.avro.Schema.Field::name).toList().toString());
            assertEquals(List.of("1,ANN,120.0", "4,BOB,250.0"), plainAvro(big, bigId, "order_id", "customer", "amount"));

            int spendId = registry.latestId(app + "-spend-value");
            assertTrue(spendId > 0 && spendId != bigId, "the aggregate's schema is registered under its own subject");
            // [10:00, 10:01): ann 120.0 + 80.5, bob 30.0; [10:01, 10:02): bob 250.0; cy's window is still open
            assertEquals(List.of("ann," + T0 + ",2,200.5", "bob," + T0 + ",1,30.0", "bob," + (T0 + 60_000) + ",1,250.0"),
                    plainAvro(spend, spendId, "customer", "window_start", "orders", "total").stream().sorted().toList());

            assertEquals(3, dead.size(), "every corrupt record is dead-lettered, once");
            assertEquals(List.of(Arrays.toString(wrongMagic), Arrays.toString(unknownId), Arrays.toString(truncated)),
                    dead.stream().map(r -> Arrays.toString(r.value())).toList(), "dead letters keep the original bytes");
            List<String> reasons = dead.stream().map(r -> header(r, "__streams.errors.message")).toList();
            assertTrue(reasons.get(0).startsWith("unknown magic byte 0x01"), reasons.get(0));
            assertTrue(reasons.get(1).startsWith("unknown schema id " + idOf(unknownId) + ":"),
                    reasons.get(1));
            assertTrue(reasons.get(2).startsWith("Avro body truncated"), reasons.get(2));
            assertEquals(in, header(dead.get(0), "__streams.errors.topic"));
            assertEquals("2", header(dead.get(0), "__streams.errors.offset"));
        }
    }

    @Test
    void aSourceWithOnErrorFailStopsTheApplicationAtTheFirstCorruptRecord(EmbeddedKafkaBroker broker,
                                                                          @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("avro-fail");
        String url = registry.url();
        String in = app + "-orders";
        registry.register(in + "-value", ORDER_SCHEMA);
        createTopics(broker, in);
        CompiledScript script = ItSupport.compile("SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM orders WITH ('topic' = '" + in + "', 'format' = 'avro', 'schema_registry_url' = '"
                + url + "', on_error = 'fail');\n"
                + "SELECT order_id, amount FROM orders;\n", "avro-fail");
        Serializer<Row> sluice = Formats.valueSerde(script.sources().get(0).schema(), new FormatOptions(in,
                Map.of("format", "avro", "schema_registry_url", url))).serializer();
        byte[] good = sluice.serialize(in, order(1, "ann", 120.0, T0));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 7;
        produce(broker, in, List.of(good, wrongMagic, sluice.serialize(in, order(2, "bob", 5.0, T0 + 1000))),
                new long[] {T0, T0 + 500, T0 + 1000});
        java.nio.file.Files.writeString(dir.resolve("run.properties"), "state.dir=" + dir.resolve("state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(dir.resolve("run.properties"))
                .withCreateTopics(true)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(30)), Optional.empty());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        PipelineRun.Summary summary = new PipelineRun(script, options, EnvPlaceholders.system(), new PrintWriter(out),
                new PrintWriter(err)).run();
        System.out.print(err);
        assertEquals("Kafka Streams failed", summary.reason(), err.toString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(25).toNanos(), "stopped at the error, not at --timeout");
        assertEquals(70, summary.exitCode());
        assertTrue(err.toString().contains("unknown magic byte 0x07"), "the reason is printed:\n" + err);
        assertTrue(!out.toString().contains("\"order_id\":2"), "nothing after the corrupt record is processed:\n" + out);
    }

    private static Row order(long id, String customer, double amount, long ts) {
        return Row.of(id, customer, amount, ts);
    }

    private static int idOf(byte[] wire) {
        return ByteBuffer.wrap(wire, 1, 4).getInt();
    }

    /** Decodes Confluent-framed Avro with plain Avro and the writer schema fetched over REST. */
    private static List<String> plainAvro(List<ConsumerRecord<byte[], byte[]>> records, int expectedId, String... fields)
            throws IOException {
        List<String> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            byte[] v = r.value();
            assertEquals(0, v[0], "magic byte");
            assertEquals(expectedId, idOf(v), "the schema id is the one registered under the sink's subject");
            org.apache.avro.Schema writer = registry.schemaById(idOf(v));
            GenericRecord record = new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(v, 5, v.length - 5, null));
            List<String> cells = new ArrayList<>();
            for (String f : fields) {
                cells.add(String.valueOf(record.get(f)));
            }
            rows.add(String.join(",", cells));
        }
        return rows;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null || h.value() == null ? "<no " + key + ">" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void createTopics(EmbeddedKafkaBroker broker, String... topics) throws Exception {
        broker.admin().createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, 1, (short) 1)).toList())
                .all().get(30, TimeUnit.SECONDS);
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, List<byte[]> values, long[] times)
            throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, 0, times[i], null, values.get(i))).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
