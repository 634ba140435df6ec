package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe upgrades on a real broker: v1 runs and leaves state; a v2 whose aggregate state means
 * something else is refused with sluice diff's explanation and exit 78; a compatible v2 resumes;
 * the incompatible v2 with --reset-incompatible-state starts afresh and recomputes from the input.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UpgradeGuardTest {

    private record Outcome(PipelineRun.Summary summary, List<String> rows, String err) {
    }

    private static String script(String app, String queries) {
        return "SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM orders (id VARCHAR, user_id VARCHAR, amount BIGINT) WITH ('topic' = '" + app
                + "-in', 'format' = 'json');\n" + queries;
    }

    private static Outcome run(EmbeddedKafkaBroker broker, Path dir, String sql, List<ReplayInput> input, boolean reset)
            throws Exception {
        Files.writeString(dir.resolve("run.properties"), "state.dir=" + dir.resolve("state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(dir.resolve("run.properties"))
                .withCreateTopics(true)
                .withInputs(input)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(60)), Optional.of(Duration.ofSeconds(1)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PipelineRun.Summary summary = new PipelineRun(ItSupport.compile(sql, "upgrade"), options,
                EnvPlaceholders.system(), new PrintWriter(out), new PrintWriter(err)).resetIncompatibleState(reset).run();
        System.out.print(err);
        return new Outcome(summary, out.toString().lines().toList(), err.toString());
    }

    /** The last row printed per user: a table's current state as the run saw it. */
    private static Map<String, String> latest(List<String> rows) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String row : rows) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) ItSupport.JSON.readTree(row);
            if (node.path("_sink").asText("per_user").equals("per_user")) {
                node.remove("_sink");
                out.put(node.path("user_id").asText(), node.toString());
            }
        }
        return out;
    }

    @Test
    void anIncompatibleVersionIsRefusedACompatibleOneResumesAndTheResetOptionStartsAfresh(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("upgrade");
        Path input = dir.resolve("orders.jsonl");
        Files.write(input, List.of("{\"id\":\"a\",\"user_id\":\"u1\",\"amount\":1}",
                "{\"id\":\"b\",\"user_id\":\"u1\",\"amount\":2}", "{\"id\":\"c\",\"user_id\":\"u2\",\"amount\":3}"));
        String v1 = script(app, "CREATE TABLE per_user WITH ('topic' = '" + app + "-out') AS "
                + "SELECT user_id, COUNT(*) AS n FROM orders GROUP BY user_id;\n");
        Outcome first = run(broker, dir, v1, List.of(new ReplayInput("orders", input)), false);
        assertEquals(ExitCodes.OK, first.summary().exitCode(), first.err());
        assertEquals(Map.of("u1", "{\"user_id\":\"u1\",\"n\":2}", "u2", "{\"user_id\":\"u2\",\"n\":1}"),
                latest(first.rows()));

        // v2 adds SUM to the same aggregate: same store, accumulators it cannot read
        String incompatible = script(app, "CREATE TABLE per_user WITH ('topic' = '" + app + "-out') AS "
                + "SELECT user_id, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY user_id;\n");
        Outcome refused = run(broker, dir, incompatible, List.of(), false);
        assertEquals(ExitCodes.INCOMPATIBLE_STATE, refused.summary().exitCode(), refused.err());
        assertTrue(refused.err().contains("refusing to start application " + app), refused.err());
        assertTrue(refused.err().contains("changed schema store per_user-aggregate-store"), refused.err());
        assertTrue(refused.err().contains("--reset-incompatible-state"), refused.err());
        assertEquals(List.of(), refused.rows(), "nothing ran");

        // a compatible v2: a new query beside the old one resumes the old state
        String compatible = v1 + "CREATE STREAM big WITH ('topic' = '" + app + "-big') AS "
                + "SELECT id FROM orders WHERE amount > 2;\n";
        Files.write(input, List.of("{\"id\":\"d\",\"user_id\":\"u1\",\"amount\":4}"));
        Outcome resumed = run(broker, dir, compatible, List.of(new ReplayInput("orders", input)), false);
        assertEquals(ExitCodes.OK, resumed.summary().exitCode(), resumed.err());
        assertFalse(resumed.err().contains("refusing"), resumed.err());
        assertEquals("{\"user_id\":\"u1\",\"n\":3}", latest(resumed.rows()).get("u1"),
                "u1's count went on from the old state: " + resumed.rows());

        // the incompatible v2 again, told to reset: the input is read again from the start
        Outcome fresh = run(broker, dir, incompatible, List.of(), true);
        assertEquals(ExitCodes.OK, fresh.summary().exitCode(), fresh.err());
        assertTrue(fresh.err().contains("resetting application " + app), fresh.err());
        assertEquals(Map.of("u1", "{\"user_id\":\"u1\",\"n\":3,\"total\":7}", "u2", "{\"user_id\":\"u2\",\"n\":1,\"total\":3}"),
                latest(fresh.rows()), "recomputed from all four orders, not added to the old counts");

        // and the reset version is now what the next start resumes
        Outcome again = run(broker, dir, incompatible, List.of(), false);
        assertEquals(ExitCodes.OK, again.summary().exitCode(), again.err());
    }
}
