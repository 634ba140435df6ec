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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 001's monitoring statements 48 and 49, asked verbatim of a running {@code sluice run} on the
 * embedded broker: {@code system.stream_statistics} counts what each stream read and wrote, and
 * {@code system.kafka_consumer_status} gives per partition the committed offset of the application's
 * consumer group, the end offset (both from the admin client) and their difference. The script that
 * holds them compiles: they are pull queries the running application answers, not part of the topology.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SystemTablesServeTest {

    @Test
    void seed001StatisticsAndConsumerStatusQueriesAnswerWhatTheRunReadWroteAndCommitted(EmbeddedKafkaBroker broker)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("systables");
        broker.createTopic(app + "-orders", 2);
        String pipeline = "CREATE STREAM orders (order_id BIGINT, amount DOUBLE) WITH ('topic' = '" + app
                + "-orders', 'format' = 'json');\n"
                + "CREATE STREAM enriched_orders WITH ('topic' = '" + app + "-enriched', 'format' = 'json') AS\n"
                + "SELECT order_id, amount * 2 AS doubled FROM orders;\n";
        String statistics = "SELECT * FROM system.stream_statistics\nWHERE stream_name = 'enriched_orders'";
        String status = "SELECT \n    partition,\n    current_offset,\n    end_offset,\n    (end_offset - current_offset) as lag\n"
                + "FROM system.kafka_consumer_status\nWHERE stream_name = 'orders'";
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(
                pipeline + "-- View stream statistics\n" + statistics + ";\n-- Monitor consumer lag\n" + status + ";\n",
                app, BuildOptions.PRODUCTION);
        assertEquals(1, script.queries().size(), "the pull queries are not part of the topology");
        assertTrue(script.notes().stream().anyMatch(n -> n.startsWith("line 5: a pull query of system.stream_statistics")),
                script.notes().toString());
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 1; i <= 5; i++) {
                producer.send(new ProducerRecord<>(app + "-orders", i % 2, "k" + i, "{\"order_id\":" + i + ",\"amount\":1.5}")).get();
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        RunOptions options = RunOptions.defaults(broker.bootstrapServers()).withCreateTopics(true)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(100)), Optional.of(Duration.ZERO));
        PipelineRun run = new PipelineRun(script, options, EnvPlaceholders.of(Map.of()), new PrintWriter(out, true),
                new PrintWriter(err, true)).serving(ServeOptions.local(0), pipeline);
        CompletableFuture<PipelineRun.Summary> summary = CompletableFuture.supplyAsync(run::run);
        try {
            int port = ServeClient.announcedPort(err, summary, Duration.ofSeconds(150));
            // once every order is processed and committed, the consumer status shows both partitions caught up
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<List<Object>> partitions = List.of();
            while (System.nanoTime() < deadline) {
                ServeClient.Answer a = ServeClient.query(port, status, Map.of());
                partitions = a.status() == 200 ? a.rows() : List.of();
                if (partitions.size() == 2 && partitions.stream().allMatch(r -> r.get(1) != null
                        && ((Number) r.get(3)).longValue() == 0)) {
                    break;
                }
                Thread.sleep(200);
            }
            partitions = partitions.stream().sorted(java.util.Comparator.comparing(r -> ((Number) r.get(0)).intValue())).toList();
            // partition 0 holds orders 2 and 4, partition 1 orders 1, 3 and 5
            assertEquals(List.of(List.of(0, 2L, 2L, 0L), List.of(1, 3L, 3L, 0L)), partitions.stream()
                    .map(r -> List.<Object>of(((Number) r.get(0)).intValue(), ((Number) r.get(1)).longValue(),
                            ((Number) r.get(2)).longValue(), ((Number) r.get(3)).longValue())).toList(), err.toString());

            ServeClient.Answer stats = ServeClient.query(port, statistics, Map.of());
            assertEquals(200, stats.status(), String.valueOf(stats.body()));
            List<String> columns = stats.columns();
            assertEquals(List.of("stream_name", "kind", "records_in", "records_out", "records_per_second", "errors",
                    "dead_letters", "late_records_dropped", "lag"), columns);
            assertEquals(1, stats.rows().size(), String.valueOf(stats.body()));
            List<Object> row = stats.rows().get(0);
            assertEquals("enriched_orders", row.get(0));
            assertEquals(5L, ((Number) row.get(columns.indexOf("records_out"))).longValue(), "every order written once");
            assertEquals(null, row.get(columns.indexOf("lag")), "the run does not read what it writes: no lag");
            ServeClient.Answer read = ServeClient.query(port, "SELECT records_in, lag FROM system.stream_statistics "
                    + "WHERE stream_name = 'orders'", Map.of());
            assertEquals(List.of(List.of(5L, 0L)), read.rows().stream().map(r -> List.<Object>of(((Number) r.get(0)).longValue(),
                    ((Number) r.get(1)).longValue())).toList(), String.valueOf(read.body()));
        } finally {
            run.stop();
        }
        PipelineRun.Summary done = summary.get(60, TimeUnit.SECONDS);
        assertEquals(0, done.exitCode(), done.reason() + "\n" + err);
    }
}
