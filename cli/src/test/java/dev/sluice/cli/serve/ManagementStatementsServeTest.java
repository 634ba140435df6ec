package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 001's stream management against a running {@code sluice run}. {@code ALTER STREAM clicks PAUSE}
 * stops reading that one source while a query over another source goes on; RESUME reads on.
 * {@code RESET OFFSET TO 'earliest'} stops the client, moves the group's offsets and processes again
 * in the same process, so every record of the source is processed a second time (the copy prints
 * each again, the count counts each again: state is kept, as with Kafka's reset of input topics).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ManagementStatementsServeTest {

    @Test
    void pauseStopsReadingOneSourceResumeReadsOnAndResetToEarliestReprocessesWithinTheSameRun(EmbeddedKafkaBroker broker)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("reset");
        broker.createTopic(app + "-in", 2);
        broker.createTopic(app + "-views", 1);
        String sql = "CREATE STREAM clicks (user_id VARCHAR, page VARCHAR) WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "CREATE STREAM views (user_id VARCHAR, video VARCHAR) WITH ('topic' = '" + app + "-views', 'format' = 'json');\n"
                + "CREATE STREAM watched WITH ('topic' = '" + app + "-watched', 'format' = 'json') AS SELECT user_id, video FROM views;\n"
                + "CREATE STREAM copies WITH ('topic' = '" + app + "-copies', 'format' = 'json') AS SELECT user_id, page FROM clicks;\n"
                + "CREATE TABLE counts WITH ('topic' = '" + app + "-counts', 'format' = 'json') AS\n"
                + "SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;\n";
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, app, BuildOptions.PRODUCTION);
        produce(broker, app + "-in", List.of("u1", "u1", "u2"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // the run prints the rows of both outputs; 3 copies and 2 counts before the reset, as many after
        RunOptions options = RunOptions.defaults(broker.bootstrapServers()).withCreateTopics(true)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(100)), Optional.of(Duration.ZERO));
        PipelineRun run = new PipelineRun(script, options, EnvPlaceholders.of(Map.of()), new PrintWriter(out, true),
                new PrintWriter(err, true)).serving(ServeOptions.local(0), sql);
        CompletableFuture<PipelineRun.Summary> summary = CompletableFuture.supplyAsync(run::run);
        try {
            int port = port(err, summary);
            waitUntil(() -> count(port, "u1") == 2 && copies(out, "u1") == 2, summary, err, "both u1 clicks processed");

            // PAUSE clicks: its queries wait, the query over views goes on
            ServeClient.Answer paused = ServeClient.ksql(port, "ALTER STREAM clicks PAUSE;");
            assertEquals(200, paused.status(), String.valueOf(paused.body()));
            String pausedActions = paused.body().get(0).get("actions").toString();
            assertTrue(pausedActions.contains("paused reading " + app + "-in on 1 instance(s)"), pausedActions);
            Map<String, String> states = queryStates(port);
            assertEquals("PAUSED", states.get("copies"), states.toString());
            assertEquals("PAUSED", states.get("counts"), states.toString());
            assertEquals("RUNNING", states.get("watched"), states.toString());
            produce(broker, app + "-in", List.of("u3"));
            for (String video : List.of("v1", "v2")) {
                produceView(broker, app + "-views", video);
                waitUntil(() -> out.toString().contains("\"" + video + "\""), summary, err, "the view " + video + " processed");
            }
            assertEquals(0, copies(out, "u3"), "a paused source is not read:\n" + out);
            assertEquals(-1L, count(port, "u3"));
            ServeClient.Answer health = ServeClient.ksql(port, "SHOW STREAM HEALTH clicks;");
            assertEquals("PAUSED", health.body().get(0).get("health").get("status").asText(), health.body().toString());

            ServeClient.Answer resumed = ServeClient.ksql(port, "ALTER STREAM clicks RESUME;");
            assertEquals(200, resumed.status(), String.valueOf(resumed.body()));
            waitUntil(() -> count(port, "u3") == 1 && copies(out, "u3") == 1, summary, err, "u3's click read after RESUME");
            assertEquals("RUNNING", queryStates(port).get("copies"));

            ServeClient.Answer reset = ServeClient.ksql(port, "ALTER STREAM clicks RESET OFFSET TO 'earliest';");
            assertEquals(200, reset.status(), String.valueOf(reset.body()));
            String actions = reset.body().get(0).get("actions").toString();
            assertTrue(actions.contains("offsets of " + app + "-in reset to [0, 0]") && actions.contains("processing again"),
                    actions);

            waitUntil(() -> count(port, "u1") == 4 && copies(out, "u1") == 4 && copies(out, "u2") == 2
                    && copies(out, "u3") == 2, summary, err, "every click processed again: u1 counted 4 times, each copy printed twice");
            assertEquals(2L, count(port, "u2"));
            assertEquals(1, out.toString().lines().filter(l -> l.contains("\"v1\"")).count(), "views was not reset");
            assertTrue(!summary.isDone(), "the run goes on after the reset:\n" + err);
            ServeClient.Answer jobs = ServeClient.query(port, "SELECT * FROM SYSTEM.JOBS", Map.of());
            assertEquals(200, jobs.status(), String.valueOf(jobs.body()));
        } finally {
            run.stop();
        }
        PipelineRun.Summary done = summary.get(60, TimeUnit.SECONDS);
        assertEquals(0, done.exitCode(), done.reason() + "\n" + err);
        assertEquals("stopped", done.reason());
    }

    private static int port(StringWriter err, CompletableFuture<?> summary) throws Exception {
        Pattern p = Pattern.compile("query API and console on http://127\\.0\\.0\\.1:(\\d+)/");
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline && !summary.isDone()) {
            Matcher m = p.matcher(err.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no query API port; the run printed:\n" + err);
    }

    private static long count(int port, String user) {
        try {
            ServeClient.Answer a = ServeClient.query(port, "SELECT n FROM counts WHERE user_id = :u", Map.of("u", user));
            return a.status() == 200 && a.rows().size() == 1 ? ((Number) a.rows().get(0).get(0)).longValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** How many rows of the copy stream the run printed for {@code user}. */
    private static long copies(StringWriter out, String user) {
        return out.toString().lines().filter(l -> l.contains("\"page\"") && l.contains("\"" + user + "\"")).count();
    }

    /** Each query's state as SHOW QUERIES says, by the name of the stream or table it writes. */
    private static Map<String, String> queryStates(int port) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (var q : ServeClient.ksql(port, "SHOW QUERIES;").body().get(0).get("queries")) {
            String sink = q.get("sinks").get(0).asText();
            out.put(sink.substring(sink.lastIndexOf('-') + 1), q.get("state").asText());
        }
        return out;
    }

    private static void produceView(EmbeddedKafkaBroker broker, String topic, String video) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "w", "{\"user_id\":\"w\",\"video\":\"" + video + "\"}")).get();
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, List<String> users) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            int i = 0;
            for (String u : users) {
                producer.send(new ProducerRecord<>(topic, u, "{\"user_id\":\"" + u + "\",\"page\":\"/p" + i++ + "\"}")).get();
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, CompletableFuture<?> summary, StringWriter err,
                                  String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (!condition.getAsBoolean()) {
            if (summary.isDone()) {
                throw new AssertionError("the run ended before " + what + ": " + summary.get(1, TimeUnit.SECONDS) + "\n" + err);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the run printed:\n" + err);
            }
            Thread.sleep(200);
        }
    }
}
