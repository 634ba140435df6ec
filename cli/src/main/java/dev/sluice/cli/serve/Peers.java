package dev.sluice.cli.serve;

import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The other instances of the application, found by the {@code application.server} each advertises,
 * and a call to one of them over the query API with this instance's TLS and credentials (all
 * instances of one application share them).
 */
final class Peers {
    private final ServeContext ctx;
    private final HttpClient http;

    Peers(ServeContext ctx) {
        this.ctx = ctx;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        ctx.tls().ifPresent(t -> b.sslContext(t.context()));
        this.http = b.build();
    }

    /** Every other instance currently in the group. */
    Set<HostInfo> others() {
        Set<HostInfo> out = new LinkedHashSet<>();
        for (StreamsMetadata m : ctx.streams().metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(ctx.self()) && m.hostInfo().port() >= 0) {
                out.add(m.hostInfo());
            }
        }
        return out;
    }

    /** POSTs {@code json} to {@code path} of {@code host}; the body of a 200, else an exception saying why. */
    String post(HostInfo host, String path, String json) {
        String scheme = ctx.tls().isPresent() ? "https" : "http";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":" + host.port() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        ctx.credentials().ifPresent(c -> b.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(host + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + host + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
