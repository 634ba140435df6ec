package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sluice's Avro serde against a real Schema Registry: Apicurio Registry's Confluent-compatible API,
 * unpacked into target/ by the build (serdes/pom.xml) and started here on a free loopback port.
 */
class ApicurioRegistryTest {
    private static final Path HOME = Path.of("target", "apicurio-registry");
    private static Process registry;
    private static String url;

    @BeforeAll
    static void startRegistry() throws Exception {
        Path jar = HOME.resolve("apicurio-registry-app-3.0.9-runner.jar");
        assertTrue(Files.exists(jar), jar.toAbsolutePath() + " is missing: the build's generate-test-resources phase unpacks it");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        registry = new ProcessBuilder(java.toString(), "-Xmx384m", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-jar", jar.getFileName().toString())
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(HOME.resolve("registry.log").toFile())
                .start();
        url = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
        HttpClient http = HttpClient.newHttpClient();
        // A live registry that is still starting is not a failure: the Quarkus JVM starts in ~5 s on an idle
        // core but took over 60 s twice at a load average of 30 (a wall-clock limit measures the machine, not
        // the registry). A registry that dies is caught at once by isAlive() below.
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!registry.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Apicurio Registry did not start; see " + HOME.resolve("registry.log").toAbsolutePath());
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            if (!registry.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                registry.destroyForcibly();
            }
        }
    }

    private static FormatOptions options(String topic) {
        return new FormatOptions(topic, Map.of("format", "avro", "key_format", "avro", "schema_registry_url", url));
    }

    @Test
    void registersOnFirstWriteAndReadsBackThroughTheRegistry() {
        Schema schema = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("amount", new DecimalType(10, 2)),
                new Column("ts", ScalarType.TIMESTAMP));
        Serde<Row> serde = Formats.valueSerde(schema, options("payments"));
        Row row = Row.of(7L, new BigDecimal("19.99"), 1705312803457L);
        byte[] bytes = serde.serializer().serialize("payments", row);

        RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(url, RestSchemaRegistryClient.Settings.NONE);
        RegisteredSchema latest = fresh.latestSchema("payments-value").orElseThrow();
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        assertEquals(0, bytes[0]);
        assertEquals(latest.id(), id);
        assertEquals(AvroSchemas.toAvro(schema, "payments"), fresh.schemaById(id));
        assertEquals(row, serde.deserializer().deserialize("payments", bytes));
        // registering the same schema again is idempotent
        assertEquals(id, fresh.register("payments-value", AvroSchemas.toAvro(schema, "payments")));
    }

    @Test
    void keysRegisterUnderTheKeySubject() {
        Schema key = Schema.of(new Column("user", ScalarType.VARCHAR));
        Serde<Row> serde = Formats.keySerde(key, options("clicks"));
        byte[] bytes = serde.serializer().serialize("clicks", Row.of("ann"));
        RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(url, RestSchemaRegistryClient.Settings.NONE);
        assertEquals("\"string\"", fresh.latestSchema("clicks-key").orElseThrow().schema().toString());
        assertEquals(Row.of("ann"), serde.deserializer().deserialize("clicks", bytes));
    }

    @Test
    void discoversColumnsAndReadsAnOlderWriterAfterEvolution() {
        Schema v1 = Schema.of(new Column("id", ScalarType.BIGINT, false));
        byte[] old = Formats.valueSerde(v1, options("users")).serializer().serialize("users", Row.of(1L));
        Schema v2 = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("email", ScalarType.VARCHAR));
        byte[] current = Formats.valueSerde(v2, options("users")).serializer().serialize("users", Row.of(2L, "b@x"));

        Schema discovered = AvroRowFormat.discover(options("users"), false).orElseThrow();
        assertEquals("(id BIGINT, email VARCHAR)", discovered.toString());
        Serde<Row> reader = Formats.valueSerde(discovered, options("users"));
        assertEquals(Row.of(1L, null), reader.deserializer().deserialize("users", old));
        assertEquals(Row.of(2L, "b@x"), reader.deserializer().deserialize("users", current));
    }

    @Test
    void unknownIdNamesTheRegistry() {
        Serde<Row> serde = Formats.valueSerde(Schema.of(new Column("id", ScalarType.BIGINT)), options("ghosts"));
        assertEquals("unknown schema id 99999: not in the Schema Registry at " + url,
                assertThrows(SerializationException.class,
                        () -> serde.deserializer().deserialize("ghosts", new byte[] {0, 0, 1, (byte) 0x86, (byte) 0x9f, 0})).getMessage());
    }
    @Test
    void protobufRegistersOnFirstWrite_asAProtobufSchema_andReadsBackThroughTheRegistry() {
        Schema schema = Schema.of(new Column("ID", ScalarType.BIGINT), new Column("TAGS",
                        new dev.sluice.serdes.row.MapType(ScalarType.VARCHAR, ScalarType.INTEGER)),
                new Column("ITEM", new dev.sluice.serdes.row.StructType(List.of(new Column("NAME", ScalarType.VARCHAR)))));
        FormatOptions options = new FormatOptions("orders-pb", Map.of("format", "protobuf", "schema_registry_url", url));
        Serde<Row> serde = Formats.valueSerde(schema, options);
        Row row = Row.of(7L, Map.of("a", 1), Row.of("pen"));
        byte[] bytes = serde.serializer().serialize("orders-pb", row);

        RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(url, RestSchemaRegistryClient.Settings.NONE);
        TextSchema.Registered latest = fresh.latestTextSchema("orders-pb-value").orElseThrow();
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        assertEquals(latest.id(), id);
        assertEquals("PROTOBUF", latest.schema().type());
        var parsed = dev.sluice.serdes.format.protobuf.ProtoParser.parse(fresh.textSchemaById(id).text());
        assertEquals("(ID BIGINT, TAGS MAP<VARCHAR, INTEGER>, ITEM STRUCT<NAME VARCHAR>)",
                dev.sluice.serdes.format.protobuf.ProtoSchemas.toColumns(parsed, parsed.first()).toString());
        assertEquals(row, Formats.valueSerde(schema, options).deserializer().deserialize("orders-pb", bytes));
    }
}
