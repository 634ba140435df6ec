package dev.sluice.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import dev.sluice.runtime.metrics.SluiceMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class OpsServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthFlipsTo200WhenRunningAndMetricsExposeKafkaStreamsAndSluiceCounters(
            EmbeddedKafkaBroker broker, @TempDir Path stateDir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("ops-app");
        String in = app + "-in";
        String out = app + "-out";
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        KafkaStreams streams = passThrough(broker, app, in, out, stateDir);
        String query = KafkaBrokerExtension.uniqueName("q");
        SluiceMetrics.global().add("sluice_ops_test_records_total", Map.of("query", query), 3);

        try (OpsServer ops = OpsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), streams,
                SluiceMetrics.global())) {
            assertTrue(ops.port() > 0);
            HttpResponse<String> created = get(ops, "/health");
            assertEquals(503, created.statusCode());
            assertEquals("{\"state\":\"CREATED\"}\n", created.body());
            assertEquals(503, get(ops, "/ready").statusCode());
            assertEquals(1, dockerHealthcheck(ops), "the image's HEALTHCHECK fails while not RUNNING");

            long startedAt = System.nanoTime();
            streams.start();
            HttpResponse<String> healthy = await(ops, "/health", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            System.out.println("pass-through topology RUNNING after " + (System.nanoTime() - startedAt) / 1_000_000 + " ms");
            assertEquals("{\"state\":\"RUNNING\"}\n", healthy.body());
            assertEquals(200, get(ops, "/ready").statusCode());
            assertEquals(0, dockerHealthcheck(ops), "the image's HEALTHCHECK passes once RUNNING");

            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(in, "k", "v")).get(30, TimeUnit.SECONDS);
            }
            // one record in: the thread's process-total reaches exactly 1
            Pattern processedOne = Pattern.compile(
                    "(?m)^kafka_streams_stream_thread_metrics_process_total\\{thread_id=\"" + Pattern.quote(app) + "[^\"]*\"\\} 1$");
            HttpResponse<String> metrics = await(ops, "/metrics",
                    r -> processedOne.matcher(r.body()).find(), Duration.ofSeconds(30));
            assertEquals(200, metrics.statusCode());
            assertEquals(PrometheusExposition.CONTENT_TYPE, metrics.headers().firstValue("Content-Type").orElse(""));
            assertTrue(metrics.body().contains("# TYPE kafka_streams_stream_thread_metrics_process_total counter\n"));
            assertTrue(Pattern.compile("(?m)^kafka_streams_stream_metrics_alive_stream_threads\\{client_id=\"[^\"]+\"\\} 1$")
                    .matcher(metrics.body()).find(), "one stream thread is alive");
            assertTrue(metrics.body().contains("sluice_ops_test_records_total{query=\"" + query + "\"} 3\n"),
                    "the Sluice counter is exposed");

            assertEquals(404, get(ops, "/healthz").statusCode());
            assertEquals(404, get(ops, "/").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(ops, "/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());

            streams.close(Duration.ofSeconds(30));
            HttpResponse<String> stopped = get(ops, "/health");
            assertEquals(503, stopped.statusCode());
            assertEquals("{\"state\":\"NOT_RUNNING\"}\n", stopped.body());
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    static KafkaStreams passThrough(EmbeddedKafkaBroker broker, String app, String in, String out, Path stateDir) {
        return passThrough(broker.bootstrapServers(), app, in, out, stateDir);
    }

    static KafkaStreams passThrough(String bootstrapServers, String app, String in, String out, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()).withName("source"))
                .to(out, Produced.with(Serdes.String(), Serdes.String()).withName("sink"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return new KafkaStreams(builder.build(props), props);
    }

    /**
     * Runs deploy/Dockerfile's HEALTHCHECK command as Docker would, with the container's environment
     * naming this server's port as the ops port (the entrypoint and the check both read SLUICE_OPS_PORT).
     */
    private static int dockerHealthcheck(OpsServer ops) throws Exception {
        List<String> command = DeployManifestsTest.dockerfile().healthcheckCommand();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SLUICE_OPS_PORT", String.valueOf(ops.port()));
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private HttpResponse<String> await(OpsServer ops, String path, Predicate<HttpResponse<String>> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = get(ops, path);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + path + " did not reach the expected answer within " + timeout
                        + "; last: " + last.statusCode() + " " + last.body());
            }
            Thread.sleep(100);
            last = get(ops, path);
        }
        return last;
    }

    private HttpResponse<String> get(OpsServer ops, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(ops, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(OpsServer ops, String path) {
        return URI.create("http://127.0.0.1:" + ops.port() + path);
    }
}
