package dev.sluice.serdes.format.avro;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.serdes.format.FormatOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST client's HTTP behaviour against a tiny loopback server speaking the Confluent API: basic
 * auth, the id cache, fail-over between URLs and the registry's error codes.
 */
class RestSchemaRegistryClientTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
    private HttpServer server;
    private String base;
    private final AtomicInteger idLookups = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            if (!"Basic dXNlcjpwYXNz".equals(auth)) { // base64("user:pass")
                status = 401;
                body = "{\"error_code\":40101,\"message\":\"Unauthorized\"}";
            } else if (path.equals("/schemas/ids/1")) {
                idLookups.incrementAndGet();
                status = 200;
                body = "{\"schema\":" + quote(SCHEMA) + "}";
            } else if (path.equals("/subjects/orders-value/versions") && exchange.getRequestMethod().equals("POST")) {
                String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                status = sent.contains("\"schema\"") ? 200 : 422;
                body = "{\"id\":1}";
            } else {
                status = 404;
                body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }

    private static RestSchemaRegistryClient client(String url, String userInfo) {
        return new RestSchemaRegistryClient(url, RestSchemaRegistryClient.Settings.from(new FormatOptions("t",
                userInfo == null ? Map.of() : Map.of("basic.auth.user.info", userInfo))));
    }

    @Test
    void sendsBasicAuthAndCachesSchemasById() {
        RestSchemaRegistryClient c = client(base, "user:pass");
        assertEquals(SCHEMA, c.schemaById(1).toString());
        assertEquals(SCHEMA, c.schemaById(1).toString());
        assertEquals(1, idLookups.get());
        assertEquals(1, c.register("orders-value", c.schemaById(1)));
    }

    @Test
    void credentialsInTheUrlWorkToo() {
        assertEquals(SCHEMA, client("http://user:pass@127.0.0.1:" + server.getAddress().getPort(), null).schemaById(1).toString());
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsDown() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        assertEquals(SCHEMA, client("http://127.0.0.1:" + deadPort + "," + base, "user:pass").schemaById(1).toString());
    }

    @Test
    void registryErrorsKeepTheirCodeAndMessage() {
        SchemaRegistryException denied = assertThrows(SchemaRegistryException.class, () -> client(base, "user:wrong").schemaById(1));
        assertEquals(40101, denied.errorCode());
        assertEquals("Schema Registry at " + base + " refused fetching schema id 1: Unauthorized (HTTP 401, error 40101)",
                denied.getMessage());
        SchemaRegistryException missing = assertThrows(SchemaRegistryException.class, () -> client(base, "user:pass").schemaById(2));
        assertTrue(missing.isNotFound());
        assertEquals(java.util.Optional.empty(), client(base, "user:pass").latestSchema("nothing-value"));
    }

    @Test
    void unreachableRegistryIsNamed() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client("http://127.0.0.1:" + deadPort, null).schemaById(1));
        assertTrue(e.getMessage().startsWith("Schema Registry at http://127.0.0.1:" + deadPort + " unreachable while fetching schema id 1"),
                e.getMessage());
        assertEquals(-1, e.errorCode());
    }
}
