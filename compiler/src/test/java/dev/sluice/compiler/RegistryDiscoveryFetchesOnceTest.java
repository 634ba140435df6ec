package dev.sluice.compiler;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Column;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ksqlDB-style discovery of a source's key and value columns reads each subject's latest schema from
 * the registry once, counted at a local HTTP server speaking the registry's REST API.
 */
class RegistryDiscoveryFetchesOnceTest {
    private static final Map<String, String> LATEST = Map.of(
            "/subjects/pb-key/versions/latest", reply(1, "PROTOBUF", "syntax = \"proto3\";\nmessage Key { int32 ID = 1; }"),
            "/subjects/pb-value/versions/latest", reply(2, "PROTOBUF",
                    "syntax = \"proto3\";\nmessage Order { string NAME = 1; double AMOUNT = 2; }"),
            "/subjects/bare-value/versions/latest", reply(5, "PROTOBUF",
                    "syntax = \"proto3\";\nmessage Order { string NAME = 1; double AMOUNT = 2; }"),
            "/subjects/js-key/versions/latest", reply(3, "JSON",
                    "{\"type\":\"object\",\"properties\":{\"F1\":{\"type\":\"string\"}}}"),
            "/subjects/js-value/versions/latest", reply(4, "JSON",
                    "{\"type\":\"object\",\"properties\":{\"FOO\":{\"type\":\"string\"}}}"));

    private HttpServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    private static String reply(int id, String type, String schema) {
        return "{\"subject\":\"s\",\"version\":1,\"id\":" + id + ",\"schemaType\":\"" + type + "\",\"schema\":\""
                + schema.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}";
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String body = LATEST.getOrDefault(path, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(LATEST.containsKey(path) ? 200 : 404, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SourceDefinition input(String topic, String format) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile("SET 'ksql.schema.registry.url' = '"
                + url + "';\nCREATE STREAM INPUT WITH (kafka_topic='" + topic + "', format='" + format + "');\n"
                + "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;", "fetch-once", BuildOptions.PRODUCTION).sources().get(0);
    }

    private int fetches(String subject) {
        return requests.getOrDefault("/subjects/" + subject + "/versions/latest", new AtomicInteger()).get();
    }

    /**
     * pb: a PROTOBUF key whose subject exists (fetched once to see that there is a key, and the same
     * answer read for its columns); js: JSON_SR key and value; bare: a PROTOBUF key subject that does
     * not exist (one 404, no key columns).
     */
    @ParameterizedTest(name = "{1} topic {0}")
    @CsvSource({"pb, PROTOBUF, NAME AMOUNT ID", "js, JSON_SR, FOO ROWKEY", "bare, PROTOBUF, NAME AMOUNT"})
    void eachSubjectIsFetchedOnce(String topic, String format, String columns) {
        SourceDefinition input = input(topic, format);
        assertEquals(List.of(columns.split(" ")), input.schema().columns().stream().map(Column::name).toList());
        assertEquals(1, fetches(topic + "-key"), "the key subject");
        assertEquals(1, fetches(topic + "-value"), "the value subject");
    }
}
