package dev.sluice.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The few Kafka Connect REST calls Sluice makes: create or update a connector, read its status. */
public final class ConnectRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(String url) {
        this.url = url;
    }

    public String url() {
        return url;
    }

    void awaitUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/")).GET());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Connect worker's REST API at " + url + " did not come up in "
                        + timeout.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    /** {@code PUT /connectors/<name>/config}: creates the connector, or updates it (idempotent). */
    public void put(String name, Map<String, String> config) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))));
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new IllegalStateException("connector " + name + " was refused (" + r.statusCode() + "): "
                        + message(r.body()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the connector and its tasks run; a failed task's trace is the error. Debezium
     * reports RUNNING before its snapshot, which is what we want: the topology starts meanwhile.
     */
    public void awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no status";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/status")).GET());
            if (r.statusCode() == 200) {
                try {
                    JsonNode s = JSON.readTree(r.body());
                    last = r.body();
                    String state = s.path("connector").path("state").asText();
                    if (state.equals("FAILED")) {
                        throw new IllegalStateException("connector " + name + " failed: " + trace(s.path("connector")));
                    }
                    boolean allRunning = s.path("tasks").size() > 0;
                    for (JsonNode t : s.path("tasks")) {
                        if (t.path("state").asText().equals("FAILED")) {
                            throw new IllegalStateException("connector " + name + " task " + t.path("id").asInt()
                                    + " failed: " + trace(t));
                        }
                        allRunning &= t.path("state").asText().equals("RUNNING");
                    }
                    if (state.equals("RUNNING") && allRunning) {
                        return;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("connector " + name + " is not running after " + timeout.toSeconds() + " s: " + last);
    }

    /** Why the connector or one of its tasks failed (its trace's first line and causes), or empty while none has. */
    public java.util.Optional<String> failure(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/status")).GET());
        if (r.statusCode() != 200) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode s = JSON.readTree(r.body());
            if (s.path("connector").path("state").asText().equals("FAILED")) {
                return java.util.Optional.of("connector " + name + " failed: " + trace(s.path("connector")));
            }
            for (JsonNode t : s.path("tasks")) {
                if (t.path("state").asText().equals("FAILED")) {
                    return java.util.Optional.of("connector " + name + " task " + t.path("id").asInt() + " failed: " + trace(t));
                }
            }
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status document of a connector, e.g. to report a task that failed later. */
    public String status(String name) {
        return send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/status")).GET()).body();
    }

    private static String trace(JsonNode node) {
        String trace = node.path("trace").asText("");
        int newline = trace.indexOf('\n');
        // the first line says what went wrong; the "Caused by" lines say why
        StringBuilder out = new StringBuilder(newline < 0 ? trace : trace.substring(0, newline));
        for (String line : trace.split("\n")) {
            if (line.startsWith("Caused by:")) {
                out.append(" / ").append(line);
            }
        }
        return out.toString();
    }

    private static String message(String body) {
        try {
            return JSON.readTree(body).path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the Connect worker at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
