package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
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
    void aMalformedRecordGoesToTheDeadLetterTopicWithTheReasonAndTheRecordsAfterItAreStillProcessed(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("dlq");
        String sql = "SET 'application.id' = '" + app + "';\n"
                + "SET 'errors.dead.letter.queue.topic.name' = '" + app + "-dlq';\n"
                + "CREATE STREAM orders (id VARCHAR, amount BIGINT) WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "SELECT id, amount * 2 AS doubled FROM orders;\n";
        Path input = dir.resolve("orders.jsonl");
        Files.write(input, List.of("{\"id\":\"a\",\"amount\":1}", "{\"id\":\"b\",\"amount\":2}", "{this is not json",
                "{\"id\":\"c\",\"amount\":3}"));
        Files.writeString(dir.resolve("run.properties"), "state.dir=" + dir.resolve("state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(dir.resolve("run.properties"))
                .withCreateTopics(true)
                .withInputs(List.of(new ReplayInput("orders", input)))
                .withStops(OptionalLong.of(3), Optional.of(Duration.ofSeconds(60)), Optional.empty());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PipelineRun.Summary summary = new PipelineRun(ItSupport.compile(sql, "dlq"), options, EnvPlaceholders.system(),
                new PrintWriter(out), new PrintWriter(err)).run();
        System.out.print(err);

        assertEquals(0, summary.exitCode());
        assertEquals(List.of("{\"id\":\"a\",\"doubled\":2}", "{\"id\":\"b\",\"doubled\":4}", "{\"id\":\"c\",\"doubled\":6}"),
                out.toString().lines().toList(), "the record after the bad one is processed too");
        assertEquals(1, summary.status().bad(), "one bad record counted");

        var dead = ItSupport.readCommitted(broker, app + "-dlq", 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        assertEquals("{this is not json", new String(dead.get(0).value(), StandardCharsets.UTF_8),
                "the dead letter is the record as it was read");
        String headers = StreamSupport.stream(dead.get(0).headers().spliterator(), false)
                .map(h -> h.key() + "=" + value(h)).collect(Collectors.joining("\n"));
        System.out.println("dead-letter headers:\n" + headers);
        assertTrue(headers.contains("invalid JSON"), "the reason is in the headers:\n" + headers);
        assertTrue(headers.contains(app + "-in"), "the source topic is in the headers:\n" + headers);
    }

    private static String value(Header h) {
        if (h.value() == null) {
            return "null";
        }
        String s = new String(h.value(), StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
