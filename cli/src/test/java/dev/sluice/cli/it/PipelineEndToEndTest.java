package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shipped pipelines from topologies/ through real topics on a real broker, compared with replay of
 * the same input. Replay treats the end of its input as the end of time and closes every window; a
 * broker run cannot know the input ended, so EMIT FINAL windows close only when a later record
 * passes their end plus grace. The windowed test therefore appends one record a day later to the
 * input of both, and compares every window except that record's own (which only replay closes).
 */
@ExtendWith(KafkaBrokerExtension.class)
class PipelineEndToEndTest {

    @Test
    void aFilterPipelinePrintsExactlyWhatReplayPrints(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path input = ItSupport.repoRoot().resolve("topologies/shared-data/feedback_events.jsonl");
        List<String> run = runOnBroker(broker, dir, "l2s3_slow_requests", input);
        List<String> replay = replay("l2s3_slow_requests", input);
        assertEquals(replay, run);
        // by hand from feedback_events.jsonl: latency_ms > 5000 are e02 (5200), e05 (6100), e09 (7000)
        assertEquals(3, run.size());
        assertTrue(run.get(0).contains("\"event_id\":\"e02\"") && run.get(0).contains("\"latency_ms\":5200"), run.get(0));
        assertTrue(run.get(2).contains("\"event_id\":\"e09\"") && run.get(2).contains("\"latency_ms\":7000"), run.get(2));
    }

    @Test
    void aTumblingWindowPipelineEmitsEveryClosedWindowAsReplayDoes(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        Path original = ItSupport.repoRoot().resolve("topologies/shared-data/feedback_events_2000_late.jsonl");
        Path input = dir.resolve("with-flush.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(original));
        lines.add("{\"event_id\":\"flush\",\"user_id\":\"u\",\"model_id\":\"m\",\"model_name\":\"m\",\"rating\":null,"
                + "\"latency_ms\":1,\"cost_usd\":0,\"tokens_used\":0,\"error_code\":null,"
                + "\"event_time\":\"2024-01-16 00:00:00.000\"}");
        Files.write(input, lines);

        long begin = System.nanoTime();
        List<String> run = runOnBroker(broker, dir, "l5s1_tumble_5min", input);
        System.out.println("l5s1_tumble_5min on the broker: " + run.size() + " windows in "
                + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
        List<String> replay = replay("l5s1_tumble_5min", input).stream()
                .filter(row -> !row.contains("\"window_start\":\"2024-01-16")).toList();
        // 10:00 to 13:05 is 38 five-minute windows; only the flush record's own window stays open
        assertEquals(38, replay.size());
        assertEquals(replay, run);
    }

    /**
     * {@code run --changelog} prints Flink's changelog through the same code as {@code replay
     * --changelog}. On a broker the record cache merges a key's updates within a commit interval,
     * so each model's run changelog is replay's with some intermediate updates left out: it starts
     * with +I, every -U repeats the row printed before it, its +U rows appear in replay's order, and
     * it ends on replay's last row.
     */
    @Test
    void aGroupByRunWithChangelogPrintsReplaysChangelogPerKey(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        Path input = ItSupport.repoRoot().resolve("topologies/shared-data/feedback_events.jsonl");
        List<String> run = runOnBroker(broker, dir, "l4s1_count_by_model", input, true);
        CompiledScript compiled = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql("l4s1_count_by_model"), "l4s1_count_by_model", BuildOptions.REPLAY);
        List<ObjectNode> replay = new Replayer().replay(compiled,
                List.of(new ReplayInput("feedback_events", input)), true).rows();
        java.util.Map<String, List<String>> replayed = byModel(replay.stream().map(ObjectNode::toString).toList());
        java.util.Map<String, List<String>> ran = byModel(run);
        assertEquals(replayed.keySet(), ran.keySet(), String.join("\n", run));
        for (var entry : ran.entrySet()) {
            List<String> changes = entry.getValue();
            List<String> expected = replayed.get(entry.getKey());
            assertTrue(changes.get(0).startsWith("{\"op\":\"+I\""), changes.toString());
            String previous = null;
            int at = 0;
            for (String change : changes) {
                String row = withoutOp(change);
                if (change.startsWith("{\"op\":\"-U\"")) {
                    assertEquals(previous, row, "a -U retracts the row printed before it: " + changes);
                    continue;
                }
                while (at < expected.size() && !withoutOp(expected.get(at)).equals(row)) {
                    at++;
                }
                assertTrue(at < expected.size(), change + " is one of replay's rows, in replay's order: " + expected);
                previous = row;
            }
            assertEquals(withoutOp(expected.get(expected.size() - 1)), withoutOp(changes.get(changes.size() - 1)),
                    "the last row is replay's");
        }
    }

    private static String withoutOp(String change) {
        return change.replaceFirst("\"op\":\"[-+][IUD]\",", "");
    }

    private static java.util.Map<String, List<String>> byModel(List<String> rows) throws Exception {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String row : rows) {
            out.computeIfAbsent(json.readTree(row).get("model_name").asText(), k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    private static List<String> runOnBroker(EmbeddedKafkaBroker broker, Path dir, String pipeline, Path input)
            throws Exception {
        return runOnBroker(broker, dir, pipeline, input, false);
    }

    private static List<String> runOnBroker(EmbeddedKafkaBroker broker, Path dir, String pipeline, Path input,
                                            boolean changelog) throws Exception {
        String app = KafkaBrokerExtension.uniqueName(pipeline);
        Path script = dir.resolve(pipeline + ".sql");
        Files.writeString(script, sql(pipeline).replace("'llm-feedback'", "'" + app + "-in'"));
        Path config = dir.resolve("run.properties");
        Files.writeString(config, "application.id=" + app + "\nstate.dir=" + dir.resolve("state") + "\n");
        CompiledScript compiled = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(Files.readString(script), pipeline, BuildOptions.PRODUCTION);
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(config)
                .withCreateTopics(true)
                .withInputs(List.of(new ReplayInput("feedback_events", input)))
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(90)), Optional.of(Duration.ofSeconds(3)))
                .withChangelog(changelog);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PipelineRun.Summary summary = new PipelineRun(compiled, options, EnvPlaceholders.system(),
                new PrintWriter(out), new PrintWriter(err)).run();
        System.out.print(err);
        assertEquals(0, summary.exitCode(), err.toString());
        assertTrue(summary.reason().startsWith("the input is consumed"), summary.reason());
        return out.toString().lines().toList();
    }

    private static List<String> replay(String pipeline, Path input) throws Exception {
        CompiledScript compiled = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(sql(pipeline), pipeline, BuildOptions.REPLAY);
        return new Replayer().replay(compiled, List.of(new ReplayInput("feedback_events", input)), false).rows()
                .stream().map(ObjectNode::toString).toList();
    }

    private static String sql(String pipeline) throws Exception {
        return Files.readString(ItSupport.repoRoot().resolve("topologies").resolve(pipeline).resolve("pipeline.sql"));
    }
}
