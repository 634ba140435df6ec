package dev.sluice.compiler.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Columns of an {@code http(s)://} source at compile time: one GET, its JSON array or JSON lines
 * sampled as a topic sample is ({@link JsonSampling}). One attempt: a compile does not wait out a
 * retry policy; an endpoint that is down is an error that says to declare the columns.
 */
public final class HttpSampling {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpSampling() {
    }

    public static FileSampling.Found discover(Endpoint.Http http, Map<String, String> options, NodeLocation where) {
        String declare = "declare the columns: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + http.display() + "')";
        String body;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.url())).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json, application/x-ndjson").GET();
            Authorization.header(options).ifPresent(h -> request.header("Authorization", h));
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new SqlException(where, "cannot sample " + http.display() + " for its columns: HTTP "
                        + response.statusCode(), declare);
            }
            body = response.body().strip();
        } catch (IOException | IllegalArgumentException e) {
            throw new SqlException(where, "cannot sample " + http.display() + " for its columns: " + e.getMessage(), declare);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(where, "interrupted while sampling " + http.display());
        }
        List<String> records = new ArrayList<>();
        if (body.startsWith("[")) {
            try {
                for (JsonNode n : JSON.readTree(body)) {
                    records.add(n.toString());
                }
            } catch (IOException e) {
                throw new SqlException(where, http.display() + " answered a JSON array that does not parse: "
                        + e.getMessage(), declare);
            }
        } else {
            body.lines().filter(l -> !l.isBlank()).forEach(records::add);
        }
        int sample = Integer.parseInt(options.getOrDefault("sample_size", "1000"));
        JsonSampling.Sampled s = JsonSampling.infer(records.subList(0, Math.min(sample, records.size())),
                Boolean.parseBoolean(options.getOrDefault("infer_types", "true")));
        if (s.schema().size() == 0) {
            throw new SqlException(where, http.display() + " answered no JSON object to read columns from", declare);
        }
        return new FileSampling.Found(s.schema(), "columns sampled from " + s.records() + " records of " + http.display());
    }
}
