package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecords;
import dev.sluice.runtime.metrics.SluiceMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterTest {

    @Test
    void badBytesAndACheckViolationGoToTheDeadLetterTopicWithTheirReasonHeadersAreCountedAndLaterRecordsAreStillProcessed(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("dlq");
        String sql = "SET 'application.id' = '" + app + "';\n"
                + "SET 'errors.dead.letter.queue.topic.name' = '" + app + "-dlq';\n"
                + "CREATE STREAM orders (id VARCHAR, amount BIGINT) WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "ALTER STREAM orders ADD CONSTRAINT positive CHECK (amount > 0);\n"
                + "SELECT id, amount * 2 AS doubled FROM orders;\n";
        Path input = dir.resolve("orders.jsonl");
        Files.write(input, List.of("{\"id\":\"a\",\"amount\":1}", "{\"id\":\"b\",\"amount\":2}", "{this is not json",
                "{\"id\":\"c\",\"amount\":3}", "{\"id\":\"neg\",\"amount\":-1}"));
        Files.writeString(dir.resolve("run.properties"), "state.dir=" + dir.resolve("state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(dir.resolve("run.properties"))
                .withCreateTopics(true)
                .withInputs(List.of(new ReplayInput("orders", input)))
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(60)), Optional.of(Duration.ofSeconds(1)));
        long badBytesBefore = SluiceMetrics.global().get(DroppedRecords.METRIC,
                DroppedRecords.labels("orders", "source", DropReason.BAD_BYTES));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PipelineRun.Summary summary = new PipelineRun(ItSupport.compile(sql, "dlq"), options, EnvPlaceholders.system(),
                new PrintWriter(out), new PrintWriter(err)).run();
        System.out.print(err);

        assertEquals(0, summary.exitCode());
        assertEquals(List.of("{\"id\":\"a\",\"doubled\":2}", "{\"id\":\"b\",\"doubled\":4}", "{\"id\":\"c\",\"doubled\":6}"),
                out.toString().lines().toList(), "the record after the bad one is processed too");
        assertEquals(2, summary.status().bad(), "the unreadable record and the CHECK violation are counted");
        assertEquals(1, SluiceMetrics.global().get(DroppedRecords.METRIC,
                DroppedRecords.labels("orders", "source", DropReason.BAD_BYTES)) - badBytesBefore,
                "sluice_dropped_records_total{query=orders,step=source,reason=bad_bytes}");
        // the summary breaks the drops down by reason (counts are per JVM: other tests may add to them)
        assertTrue(err.toString().matches("(?s).*dropped \\d+ \\(.*check_violation \\d+, bad_bytes \\d+.*"), err.toString());

        var dead = ItSupport.readCommitted(broker, app + "-dlq", 2, Duration.ofSeconds(30));
        assertEquals(2, dead.size());
        assertEquals("{this is not json", new String(dead.get(0).value(), StandardCharsets.UTF_8),
                "the dead letter is the record as it was read");
        String headers = StreamSupport.stream(dead.get(0).headers().spliterator(), false)
                .map(h -> h.key() + "=" + value(h)).collect(Collectors.joining("\n"));
        System.out.println("dead-letter headers:\n" + headers);
        assertTrue(headers.contains("invalid JSON"), "the reason is in the headers:\n" + headers);
        assertTrue(headers.contains(app + "-in"), "the source topic is in the headers:\n" + headers);
        assertEquals("bad_bytes", header(dead.get(0), "sluice.reason"));
        assertEquals("orders", header(dead.get(0), "sluice.query"));
        assertEquals("source", header(dead.get(0), "sluice.step"));
        assertEquals(app + "-in", header(dead.get(0), "sluice.source.topic"));
        assertEquals("0", header(dead.get(0), "sluice.source.partition"));
        assertEquals("2", header(dead.get(0), "sluice.source.offset"));

        assertEquals("{\"id\":\"neg\",\"amount\":-1}", new String(dead.get(1).value(), StandardCharsets.UTF_8));
        assertEquals("check_violation", header(dead.get(1), "sluice.reason"));
        assertEquals("select_1", header(dead.get(1), "sluice.query"));
        assertEquals("4", header(dead.get(1), "sluice.source.offset"));
        assertTrue(header(dead.get(1), "sluice.message").contains("CHECK constraint positive violated"),
                header(dead.get(1), "sluice.message"));
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String value(Header h) {
        if (h.value() == null) {
            return "null";
        }
        String s = new String(h.value(), StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
