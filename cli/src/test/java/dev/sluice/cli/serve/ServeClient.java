package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A test's HTTP client for the query API, speaking ksqlDB's wire format. */
final class ServeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Answer(int status, JsonNode body) {
        List<List<Object>> rows() {
            List<List<Object>> out = new ArrayList<>();
            for (int i = 1; i < body.size(); i++) {
                List<Object> row = new ArrayList<>();
                body.get(i).forEach(v -> row.add(v.isNull() ? null : v.isNumber() ? (Object) v.numberValue() : v.asText()));
                out.add(row);
            }
            return out;
        }

        List<String> columns() {
            List<String> out = new ArrayList<>();
            body.get(0).get("columnNames").forEach(c -> out.add(c.asText()));
            return out;
        }
    }

    private ServeClient() {
    }

    static Answer query(int port, String sql, Map<String, Object> params) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("sql", sql);
        body.set("params", JSON.valueToTree(params));
        return post(port, "/query-stream", body, "application/json");
    }

    static Answer ksql(int port, String statements) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("ksql", statements);
        return post(port, "/ksql", body, "application/json");
    }

    static Answer post(int port, String path, ObjectNode body, String accept) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isBlank() ? null : JSON.readTree(response.body()));
    }

    /** A push query: lines (header first) arrive in the queue as the server sends them; close() ends it. */
    static final class Push implements AutoCloseable {
        final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        private final InputStream stream;
        private final Thread reader;

        Push(int port, String sql) throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.put("sql", sql);
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query-stream"))
                    .header("Accept", "application/vnd.ksqlapi.delimited.v1")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
            stream = response.body();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (!line.isBlank()) {
                            lines.add(JSON.readTree(line));
                        }
                    }
                } catch (Exception closed) {
                    // the test closed the stream
                }
            }, "push-reader");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() throws Exception {
            stream.close();
        }
    }
}
