package dev.sluice.cli.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.runtime.metrics.SluiceMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Only GET (and HEAD) are answered; a path other than these three is 404.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaStreams streams;
    private final SluiceMetrics sluiceMetrics;

    private OpsServer(HttpServer server, ExecutorService executor, KafkaStreams streams, SluiceMetrics sluiceMetrics) {
        this.server = server;
        this.executor = executor;
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
        if (address.getPort() < 0 || address.getPort() > 65535) {
            throw new IllegalArgumentException("ops port must be between 0 and 65535, got " + address.getPort());
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the ops endpoint on " + address
                    + " (is the port in use? --ops-port 0 picks a free one)", e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        // two threads: a slow /metrics scrape must not hold up a liveness probe
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-ops-http-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        OpsServer ops = new OpsServer(server, executor, streams, sluiceMetrics);
        server.createContext("/health", exchange -> ops.respond(exchange, "/health", ops::stateResponse));
        server.createContext("/ready", exchange -> ops.respond(exchange, "/ready", ops::stateResponse));
        server.createContext("/metrics", exchange -> ops.respond(exchange, "/metrics", ops::metricsResponse));
        server.createContext("/", exchange -> ops.respond(exchange, "/", () -> new Response(404, "text/plain; charset=utf-8",
                "not found: try /health, /ready or /metrics\n")));
        server.setExecutor(executor);
        server.start();
        return ops;
    }

    /** The port actually bound (useful after asking for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private record Response(int status, String contentType, String body) {
    }

    private Response stateResponse() {
        KafkaStreams.State state = streams.state();
        int status = state == KafkaStreams.State.RUNNING ? 200 : 503;
        return new Response(status, "application/json", "{\"state\":\"" + state + "\"}\n");
    }

    private Response metricsResponse() {
        return new Response(200, PrometheusExposition.CONTENT_TYPE,
                PrometheusExposition.render(streams.metrics(), sluiceMetrics.snapshot()));
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
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(response.status(), -1);
            } else {
                exchange.sendResponseHeaders(response.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
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
        server.stop(0);
        executor.shutdownNow();
    }
}
