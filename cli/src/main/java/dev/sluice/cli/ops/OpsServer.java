package dev.sluice.cli.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.runtime.metrics.SluiceMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The operations endpoint of a running pipeline, on the JDK's built-in HTTP server:
 *
 * <ul>
 *   <li>{@code /health}: 200 only while the Kafka Streams client is RUNNING, else 503; the body names
 *       the state either way. Kubernetes' liveness probe points here with enough failures allowed to
 *       ride out a rebalance.
 *   <li>{@code /ready}: 200 while RUNNING. REBALANCING is not ready: during a rebalance the instance
 *       owns no settled set of tasks and may still be restoring state, so a load balancer or a rolling
 *       update should not count it yet.
 *   <li>{@code /metrics}: Prometheus text with every numeric Kafka Streams metric (including the
 *       embedded consumer's and producer's) and every Sluice counter.
 * </ul>
 *
 * Only GET (and HEAD) are answered; a path other than these three is 404. Like every Sluice listener it
 * binds 127.0.0.1 unless told otherwise, serves HTTPS when given a key store, and with credentials
 * requires basic auth on /metrics (and every unknown path); /health and /ready stay open because
 * platform probes carry no credentials and the bodies say nothing but the state.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServing.Bound bound;
    private final Supplier<KafkaStreams> streams;
    private final SluiceMetrics sluiceMetrics;

    private OpsServer(HttpServing.Bound bound, Supplier<KafkaStreams> streams, SluiceMetrics sluiceMetrics) {
        this.bound = bound;
        this.streams = streams;
        this.sluiceMetrics = sluiceMetrics;
    }

    /** Listens on 127.0.0.1 only, on {@code port}; 0 picks a free one. */
    public static OpsServer start(int port, KafkaStreams streams) {
        return start("127.0.0.1", port, streams);
    }

    /**
     * Listens on {@code bindAddress} (a container passes 0.0.0.0, because its probes come from outside its
     * network namespace) and {@code port}; 0 picks a free one.
     */
    public static OpsServer start(String bindAddress, int port, KafkaStreams streams) {
        return start(new InetSocketAddress(bindAddress, port), streams, SluiceMetrics.global());
    }

    public static OpsServer start(InetSocketAddress address, KafkaStreams streams, SluiceMetrics sluiceMetrics) {
        return start(address, () -> streams, sluiceMetrics, Optional.empty(), Optional.empty());
    }

    /**
     * {@code streams} is asked for on every request: a run that restarts its client (RESET OFFSET) keeps
     * one endpoint. With {@code tls} it serves HTTPS only; with {@code credentials} /metrics needs them.
     */
    public static OpsServer start(InetSocketAddress address, Supplier<KafkaStreams> streams, SluiceMetrics sluiceMetrics,
                                  Optional<HttpServing.Tls> tls, Optional<HttpServing.Credentials> credentials) {
        // two threads: a slow /metrics scrape must not hold up a liveness probe
        HttpServing.Bound bound = HttpServing.bind(address, tls, 2, "sluice-ops-http-", "--ops-port");
        OpsServer ops = new OpsServer(bound, streams, sluiceMetrics);
        ops.mount(bound.server(), credentials);
        bound.start();
        return ops;
    }

    /**
     * Adds /health, /ready and /metrics to {@code server} for {@code streams}; the query API serves them on its
     * port too. {@code catchAll}: answer every other path with 404.
     */
    public static void mount(HttpServer server, Supplier<KafkaStreams> streams, SluiceMetrics sluiceMetrics,
                             Optional<HttpServing.Credentials> metricsAuth) {
        OpsServer ops = new OpsServer(null, streams, sluiceMetrics);
        server.createContext("/health", exchange -> ops.respond(exchange, "/health", ops::stateResponse));
        server.createContext("/ready", exchange -> ops.respond(exchange, "/ready", ops::stateResponse));
        HttpServing.protect(server.createContext("/metrics",
                exchange -> ops.respond(exchange, "/metrics", ops::metricsResponse)), metricsAuth);
    }

    private void mount(HttpServer server, Optional<HttpServing.Credentials> credentials) {
        server.createContext("/health", exchange -> respond(exchange, "/health", this::stateResponse));
        server.createContext("/ready", exchange -> respond(exchange, "/ready", this::stateResponse));
        HttpServing.protect(server.createContext("/metrics",
                exchange -> respond(exchange, "/metrics", this::metricsResponse)), credentials);
        HttpServing.protect(server.createContext("/", exchange -> respond(exchange, "/", () -> new Response(404,
                "text/plain; charset=utf-8", "not found: try /health, /ready or /metrics\n"))), credentials);
    }

    /** The port actually bound (useful after asking for port 0). */
    public int port() {
        return bound.port();
    }

    private record Response(int status, String contentType, String body) {
    }

    private Response stateResponse() {
        KafkaStreams.State state = streams.get().state();
        int status = state == KafkaStreams.State.RUNNING ? 200 : 503;
        return new Response(status, "application/json", "{\"state\":\"" + state + "\"}\n");
    }

    private Response metricsResponse() {
        return new Response(200, PrometheusExposition.CONTENT_TYPE,
                PrometheusExposition.render(streams.get().metrics(), withRocksDbMemory(sluiceMetrics.snapshot())));
    }

    /** Sluice's counters plus the shared RocksDB cache's use, when this process has opened a store. */
    private static Map<SluiceMetrics.MetricKey, Long> withRocksDbMemory(Map<SluiceMetrics.MetricKey, Long> counters) {
        Map<SluiceMetrics.MetricKey, Long> out = new java.util.LinkedHashMap<>(counters);
        dev.sluice.cli.run.BoundedRocksDbConfig.memory().ifPresent(m -> {
            out.put(new SluiceMetrics.MetricKey("sluice_rocksdb_memory_limit_bytes", Map.of()), m.limitBytes());
            out.put(new SluiceMetrics.MetricKey("sluice_rocksdb_block_cache_usage_bytes", Map.of()), m.usageBytes());
            out.put(new SluiceMetrics.MetricKey("sluice_rocksdb_block_cache_pinned_bytes", Map.of()), m.pinnedBytes());
        });
        return out;
    }

    private void respond(HttpExchange exchange, String context, Supplier<Response> handler) throws IOException {
        try (exchange) {
            Response response;
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(context) && !context.equals("/")) {
                response = new Response(404, "text/plain; charset=utf-8", "not found: " + exchange.getRequestURI().getPath() + "\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                response = new Response(405, "text/plain; charset=utf-8", method + " is not allowed; use GET\n");
            } else {
                response = answer(handler);
            }
            HttpServing.send(exchange, response.status(), response.contentType(),
                    response.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Response answer(Supplier<Response> handler) {
        try {
            return handler.get();
        } catch (RuntimeException e) {
            // a scrape must never take the server thread down; the status says it failed
            return new Response(500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
        }
    }

    /** Stops answering at once: probes that fail now are correct, the pipeline is going away. */
    @Override
    public void close() {
        bound.stop();
    }
}
