package dev.sluice.cli.it;

import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.avro.MockSchemaRegistry;
import dev.sluice.serdes.row.Row;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Key formats chosen apart from an Avro value, a user's Serde class named in WITH, and the on_error
 * options of an Avro source in replay, through compiled pipelines (TopologyTestDriver, an in-memory
 * mock:// registry).
 */
class AvroPipelineFormatsTest {
    private static final String SCOPE = "avro-key-formats";
    private static final String REGISTRY = "'schema_registry_url' = 'mock://" + SCOPE + "'";
    private static final String CLICKS = "CREATE STREAM clicks (user_id VARCHAR, region_id BIGINT, page VARCHAR) "
            + "WITH ('topic' = 'clicks', 'format' = 'avro', " + REGISTRY + ");\n";

    @TempDir
    Path stateDir;

    @BeforeEach
    @AfterEach
    void emptyRegistry() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void aKafkaStringKeyIsWrittenAsPlainUtf8BesideAnAvroValue() throws IOException {
        CompiledScript script = ItSupport.compile(CLICKS
                + "CREATE TABLE per_user WITH ('topic' = 'per-user', 'format' = 'avro', 'key_format' = 'kafka', " + REGISTRY
                + ") AS SELECT user_id, COUNT(*) AS clicks FROM clicks GROUP BY user_id;", "keys");
        Map<String, TestRecord<byte[], byte[]>> last = run(script, "per-user");
        assertArrayEquals("ann".getBytes(StandardCharsets.UTF_8), last.get("ann").key(), "StringSerializer's bytes");
        assertEquals("{\"user_id\": \"ann\", \"clicks\": 2}", avroValue(last.get("ann").value()).toString());
        assertEquals("{\"user_id\": \"bob\", \"clicks\": 1}", avroValue(last.get("bob").value()).toString());
        assertEquals(Optional.empty(), MockSchemaRegistry.scope(SCOPE).latestSchema("per-user-key").map(Object::toString),
                "a KAFKA key registers nothing");
        assertEquals(List.of("user_id", "clicks"), MockSchemaRegistry.scope(SCOPE).latestSchema("per-user-value")
                .orElseThrow().schema().getFields().stream().map(org.apache.avro.Schema.Field::name).toList());
    }

    @Test
    void theStringAliasAndABigintKeyUseKafkasOwnSerializers() {
        CompiledScript script = ItSupport.compile(CLICKS
                + "CREATE TABLE per_region WITH ('topic' = 'per-region', 'format' = 'avro', 'key_format' = 'string', "
                + REGISTRY + ") AS SELECT region_id, COUNT(*) AS clicks FROM clicks GROUP BY region_id;", "keys");
        Map<String, TestRecord<byte[], byte[]>> last = run(script, "per-region");
        // LongSerializer: 8 bytes big-endian
        assertEquals(List.of("[0, 0, 0, 0, 0, 0, 0, 7]", "[0, 0, 0, 0, 0, 0, 1, 0]"),
                last.values().stream().map(r -> Arrays.toString(r.key())).sorted().toList());
    }

    @Test
    void anAvroKeyIsFramedAndRegisteredUnderTheKeySubject() throws IOException {
        CompiledScript script = ItSupport.compile(CLICKS
                + "CREATE TABLE per_user WITH ('topic' = 'per-user', 'format' = 'avro', 'key_format' = 'avro', " + REGISTRY
                + ") AS SELECT user_id, COUNT(*) AS clicks FROM clicks GROUP BY user_id;", "keys");
        Map<String, TestRecord<byte[], byte[]>> last = run(script, "per-user");
        var keySchema = MockSchemaRegistry.scope(SCOPE).latestSchema("per-user-key").orElseThrow();
        assertEquals("\"string\"", keySchema.schema().toString());
        byte[] key = last.get("ann").key();
        assertEquals(0, key[0]);
        assertEquals(keySchema.id(), ByteBuffer.wrap(key, 1, 4).getInt());
        // Avro string: zig-zag length 3 → 6, then the bytes
        assertArrayEquals(new byte[] {6, 'a', 'n', 'n'}, Arrays.copyOfRange(key, 5, key.length));
        assertEquals("{\"user_id\": \"ann\", \"clicks\": 2}", avroValue(last.get("ann").value()).toString());
    }

    @Test
    void aSerdeClassNamedInWithReadsTheSourceAndWritesTheSink() {
        String serde = PipeSerde.class.getName();
        CompiledScript script = ItSupport.compile(
                "CREATE STREAM events (id BIGINT, kind VARCHAR) WITH ('topic' = 'events', 'value.serde' = '" + serde + "');\n"
                        + "CREATE STREAM errors WITH ('topic' = 'errors', 'value.serde' = '" + serde + "') AS "
                        + "SELECT id, UPPER(kind) AS kind, id * 10 AS score FROM events WHERE kind <> 'ok';", "serde");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), config(script))) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("events", new ByteArraySerializer(), new ByteArraySerializer());
            for (String line : List.of("id=1|kind=ok", "id=2|kind=timeout", "id=3|kind=refused")) {
                in.pipeInput(null, line.getBytes(StandardCharsets.UTF_8), 1_000L);
            }
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("errors", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            assertEquals(List.of("id=2|kind=TIMEOUT|score=20", "id=3|kind=REFUSED|score=30"),
                    out.readValuesToList().stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList());
        }
        assertEquals(serde, PipeSerde.configuredWith.get("value.serde"), "configured with the WITH options");
    }

    @Test
    void replaySkipsAndCountsARecordThatIsNotAvroByDefault(@TempDir Path dir) throws IOException {
        CompiledScript script = ItSupport.compile(CLICKS + "SELECT user_id FROM clicks;", "replay");
        java.nio.file.Files.writeString(dir.resolve("clicks.jsonl"), "{\"user_id\": \"ann\"}\n");
        ReplayResult result = new Replayer().replay(script, List.of(new ReplayInput("clicks", dir.resolve("clicks.jsonl"))), false);
        assertEquals(List.of(), result.rows());
        assertEquals(1, result.badRecords());
    }

    @Test
    void replayStopsAtARecordThatIsNotAvroWhenTheSourceSaysFail(@TempDir Path dir) throws IOException {
        CompiledScript script = ItSupport.compile(CLICKS.replace(REGISTRY, REGISTRY + ", on_error = 'fail'")
                + "SELECT user_id FROM clicks;", "replay");
        java.nio.file.Files.writeString(dir.resolve("clicks.jsonl"), "{\"user_id\": \"ann\"}\n");
        RuntimeException e = assertThrows(RuntimeException.class, () -> new Replayer().replay(script,
                List.of(new ReplayInput("clicks", dir.resolve("clicks.jsonl"))), false));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertEquals("unknown magic byte 0x7b: not the Confluent Avro wire format (magic byte 0, 4-byte schema id, "
                + "Avro body); the record looks like JSON", root.getMessage());
    }

    /** Clicks as an upstream producer would write them: Avro, through the same registry scope. */
    private Map<String, TestRecord<byte[], byte[]>> run(CompiledScript script, String sinkTopic) {
        Serializer<Row> avro = Formats.valueSerde(script.sources().get(0).schema(),
                new FormatOptions("clicks", Map.of("format", "avro", "schema_registry_url", "mock://" + SCOPE))).serializer();
        Map<String, TestRecord<byte[], byte[]>> lastByKey = new LinkedHashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), config(script))) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("clicks", new ByteArraySerializer(), new ByteArraySerializer());
            in.pipeInput(null, avro.serialize("clicks", Row.of("ann", 7L, "/a")), 1_000L);
            in.pipeInput(null, avro.serialize("clicks", Row.of("bob", 256L, "/b")), 2_000L);
            in.pipeInput(null, avro.serialize("clicks", Row.of("ann", 7L, "/c")), 3_000L);
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(sinkTopic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
                // the user's name in the key, or the key's bytes for a numeric key
                String name = new String(r.key(), StandardCharsets.UTF_8).replaceAll("[^a-z]", "");
                lastByKey.put(name.isEmpty() ? Arrays.toString(r.key()) : name, r);
            }
        }
        return lastByKey;
    }

    private Properties config(CompiledScript script) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, script.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "test:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Deserialization.class.getName());
        p.putAll(script.settings());
        return p;
    }

    /** Plain Avro, with the writer schema looked up by the id in the frame. */
    private static GenericRecord avroValue(byte[] wire) throws IOException {
        org.apache.avro.Schema writer = MockSchemaRegistry.scope(SCOPE).schemaById(ByteBuffer.wrap(wire, 1, 4).getInt());
        return new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null));
    }

    /** A user's Serde: {@code key=value|key=value} text as a Map (what a plugged-in Serde class looks like). */
    public static final class PipeSerde implements Serde<Map<String, Object>> {
        static volatile Map<String, ?> configuredWith = Map.of();

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            configuredWith = Map.copyOf(configs);
        }

        @Override
        public Serializer<Map<String, Object>> serializer() {
            return (topic, map) -> map == null ? null : map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("|")).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Deserializer<Map<String, Object>> deserializer() {
            return (topic, bytes) -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String pair : new String(bytes, StandardCharsets.UTF_8).split("\\|")) {
                    String[] kv = pair.split("=", 2);
                    map.put(kv[0], kv[1]);
                }
                return map;
            };
        }
    }
}
