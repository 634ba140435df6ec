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
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} on a real broker plans for its source topics' partition count: with one
 * partition the join and the GROUP BY re-key in the task (their repartition topics are not created)
 * and the rows are right; with two the topics are there. An application whose source went from one partition
 * to two is refused and told why; one that ran with its topics before this plan existed keeps them, unless
 * started again with --reset-incompatible-state.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OneTaskRunTest {

    private record Outcome(PipelineRun.Summary summary, List<String> rows, String err) {
    }

    private static String script(String app) {
        return "SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM orders (id VARCHAR, user_id VARCHAR, amount BIGINT) WITH ('topic' = '" + app
                + "-in', 'format' = 'json');\n"
                + "CREATE TABLE users (id VARCHAR PRIMARY KEY, tier VARCHAR) WITH ('topic' = '" + app
                + "-users', 'format' = 'json');\n"
                + "CREATE TABLE per_tier WITH ('topic' = '" + app + "-out') AS SELECT u.tier, COUNT(*) AS n, "
                + "SUM(o.amount) AS total FROM orders o JOIN users u ON o.user_id = u.id GROUP BY u.tier;\n";
    }

    private static CompiledScript compile(String sql, boolean singlePartitionSources) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).withSinglePartitionSources(singlePartitionSources)
                .compile(sql, "onetask", BuildOptions.PRODUCTION);
    }

    private static Outcome run(EmbeddedKafkaBroker broker, Path dir, String sql, List<ReplayInput> input,
                               boolean planForOnePartition) throws Exception {
        return run(broker, dir, sql, input, planForOnePartition, false);
    }

    private static Outcome run(EmbeddedKafkaBroker broker, Path dir, String sql, List<ReplayInput> input,
                               boolean planForOnePartition, boolean resetIncompatibleState) throws Exception {
        Files.writeString(dir.resolve("run.properties"), "state.dir=" + dir.resolve("state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(dir.resolve("run.properties"))
                .withCreateTopics(true)
                .withInputs(input)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofSeconds(60)), Optional.of(Duration.ofSeconds(1)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PipelineRun run = new PipelineRun(compile(sql, false), options, EnvPlaceholders.system(), new PrintWriter(out),
                new PrintWriter(err));
        if (planForOnePartition) {
            run.planningForOnePartition(() -> compile(sql, true));
        }
        run.resetIncompatibleState(resetIncompatibleState);
        PipelineRun.Summary summary = run.run();
        System.out.print(err);
        return new Outcome(summary, out.toString().lines().toList(), err.toString());
    }

    private static List<ReplayInput> input(Path dir) throws Exception {
        Path users = dir.resolve("users.jsonl");
        Files.write(users, List.of("{\"id\":\"u1\",\"tier\":\"gold\"}", "{\"id\":\"u2\",\"tier\":\"free\"}",
                "{\"id\":\"u3\",\"tier\":\"gold\"}"));
        Path orders = dir.resolve("orders.jsonl");
        Files.write(orders, List.of("{\"id\":\"a\",\"user_id\":\"u1\",\"amount\":1}",
                "{\"id\":\"b\",\"user_id\":\"u2\",\"amount\":2}", "{\"id\":\"c\",\"user_id\":\"u3\",\"amount\":3}",
                "{\"id\":\"d\",\"user_id\":\"u1\",\"amount\":4}", "{\"id\":\"e\",\"user_id\":\"u9\",\"amount\":5}"));
        return List.of(new ReplayInput("users", users), new ReplayInput("orders", orders));
    }

    /** The last row printed per tier: the table's state as the run saw it. */
    private static Map<String, String> latest(List<String> rows) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String row : rows) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) ItSupport.JSON.readTree(row);
            node.remove("_sink");
            out.put(node.path("tier").asText(), node.toString());
        }
        return out;
    }

    private static TreeSet<String> repartitionTopics(EmbeddedKafkaBroker broker, String app) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TreeSet<String> out = new TreeSet<>();
            for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (t.startsWith(app + "-") && t.endsWith("-repartition")) {
                    out.add(t);
                }
            }
            return out;
        }
    }

    private static void createTopics(EmbeddedKafkaBroker broker, String app, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(app + "-in", partitions, (short) 1),
                    new NewTopic(app + "-users", partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static final Map<String, String> EXPECTED = Map.of(
            "free", "{\"tier\":\"free\",\"n\":1,\"total\":2}", "gold", "{\"tier\":\"gold\",\"n\":3,\"total\":8}");

    @Test
    void oneSourcePartitionReKeysInTheTaskWithoutRepartitionTopics(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("onetask");
        Outcome one = run(broker, dir, script(app), input(dir), true);
        assertEquals(ExitCodes.OK, one.summary().exitCode(), one.err());
        assertTrue(one.err().contains("every source topic has one partition (" + app + "-in (1 partition), " + app
                + "-users (1 partition))"), one.err());
        assertEquals(EXPECTED, latest(one.rows()));
        // only the source table's own topic (keyed from its value by SourceBuilder, not a re-key step)
        assertEquals(new TreeSet<>(List.of(app + "-users-table-repartition")), repartitionTopics(broker, app));
    }

    @Test
    void twoSourcePartitionsKeepTheRepartitionTopics(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("twotasks");
        createTopics(broker, app, 2);
        Outcome two = run(broker, dir, script(app), input(dir), true);
        assertEquals(ExitCodes.OK, two.summary().exitCode(), two.err());
        assertFalse(two.err().contains("every source topic has one partition"), two.err());
        assertEquals(EXPECTED, latest(two.rows()));
        assertFalse(repartitionTopics(broker, app).isEmpty(), "the join's and the GROUP BY's topics");
    }

    @Test
    void aSourceThatGainsAPartitionIsRefusedWithTheReason(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("grows");
        Outcome one = run(broker, dir, script(app), input(dir), true);
        assertEquals(ExitCodes.OK, one.summary().exitCode(), one.err());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createPartitions(Map.of(app + "-in", NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
        }
        Outcome refused = run(broker, dir, script(app), List.of(), true);
        assertEquals(ExitCodes.INCOMPATIBLE_STATE, refused.summary().exitCode(), refused.err());
        assertTrue(refused.err().contains("no longer all have one partition (now " + app + "-in (2 partitions), "
                + app + "-users (1 partition))"), refused.err());
    }

    @Test
    void anApplicationThatRanWithItsTopicsKeepsThemUnlessReset(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String app = KafkaBrokerExtension.uniqueName("before");
        Outcome before = run(broker, dir, script(app), input(dir), false); // as an earlier sluice run planned it
        assertEquals(ExitCodes.OK, before.summary().exitCode(), before.err());
        TreeSet<String> topics = repartitionTopics(broker, app);
        assertTrue(topics.size() > 1, "the join's and the GROUP BY's topics: " + topics);
        Outcome kept = run(broker, dir, script(app), List.of(), true, false);
        assertEquals(ExitCodes.OK, kept.summary().exitCode(), kept.err());
        assertTrue(kept.err().contains("every source topic has one partition (" + app + "-in (1 partition), " + app
                + "-users (1 partition)), but application " + app + " ran with repartition topics: it keeps that plan"),
                kept.err());
        assertFalse(kept.err().contains("rows are re-keyed in the task"), kept.err());
        assertEquals(topics, repartitionTopics(broker, app));
        Outcome reset = run(broker, dir, script(app), List.of(), true, true);
        assertEquals(ExitCodes.OK, reset.summary().exitCode(), reset.err());
        assertTrue(reset.err().contains("every source topic has one partition (now " + app + "-in (1 partition), "
                + app + "-users (1 partition)), so this plan re-keys in the task"), reset.err());
        assertTrue(reset.err().contains("rows are re-keyed in the task"), reset.err());
        assertEquals(new TreeSet<>(List.of(app + "-users-table-repartition")), repartitionTopics(broker, app));
    }
}
