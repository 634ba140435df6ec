package dev.sluice.topologies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ScriptFiles;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.cli.run.EnvPlaceholders;
import dev.sluice.cli.run.PipelineRun;
import dev.sluice.cli.run.RunOptions;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped pipeline, with its first case's input, through {@code sluice run} on a real broker
 * with Sluice's default settings (exactly-once, the record cache on, RocksDB), compared with replay
 * of the same input through TopologyTestDriver.
 *
 * <p>Both sides use the production topology: a broker run cannot know where its input ends, so
 * EMIT FINAL windows still open at the end stay open on both. With the cache on, a table result
 * shows fewer intermediate updates than replay (one per key per commit), so tables are compared by
 * their final rows per key; streams are compared row by row, as multisets (partition interleaving
 * may reorder rows of different keys).
 *
 * <p>Not in CI yet: {@code mvn test -pl topologies -am -Dtest=PipelinesOnBrokerTest
 * -Dsluice.pipelinesOnBroker=true}. Its first run (65 pipelines, 3 at a time, on a machine with a
 * load of 30) took over 20 minutes, ex5_1_qps's aggregate was fenced again and again (its
 * transaction outlived the 10 s transaction timeout), and the JVM crashed in a RocksDB gauge that the
 * run's status read on a closing store (fixed in RunStatus). See the issue report.
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "sluice.pipelinesOnBroker", matches = "true")
class PipelinesOnBrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyShippedPipelineGivesReplaysRowsOnARealBrokerWithDefaultSettings(@TempDir Path dir) throws Exception {
        List<Path> pipelines = Pipelines.all().stream().filter(p -> !Pipelines.cases(p).isEmpty()).toList();
        int parallel = Integer.getInteger("sluice.brokerParallelism", 4);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long begin = System.nanoTime();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (Path pipeline : pipelines) {
                runs.add(pool.submit(() -> {
                    try {
                        String problem = compare(pipeline, dir);
                        if (problem != null) {
                            failures.add(pipeline.getFileName() + ": " + problem);
                        }
                    } catch (Exception | AssertionError e) {
                        failures.add(pipeline.getFileName() + ": " + e);
                    }
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println(pipelines.size() + " pipelines on the broker in "
                + Duration.ofNanos(System.nanoTime() - begin).toSeconds() + " s; " + failures.size() + " differ");
        assertTrue(failures.isEmpty(), failures.size() + " of " + pipelines.size() + " pipelines differ from replay:\n"
                + String.join("\n", failures));
    }

    /** Null when the broker's rows equal replay's, else what differs. */
    private static String compare(Path pipeline, Path dir) throws IOException {
        Path caseDir = Pipelines.cases(pipeline).get(0);
        List<ReplayInput> inputs = Pipelines.inputs(caseDir);
        String app = "p" + NEXT.incrementAndGet() + "-" + pipeline.getFileName();
        String sql = Files.readString(pipeline.resolve("pipeline.sql"))
                .replaceAll("'topic'\\s*=\\s*'([^']*)'", "'topic' = '" + app + "-$1'");
        Path script = dir.resolve(app + ".sql");
        Files.writeString(script, sql);
        CompiledScript forRun = compile(script, sql);
        Path config = dir.resolve(app + ".properties");
        Files.writeString(config, "application.id=" + app + "\nstate.dir=" + dir.resolve(app + "-state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(config)
                .withCreateTopics(true)
                .withInputs(inputs)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofMinutes(3)), Optional.of(Duration.ofMillis(500)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PipelineRun.Summary summary = new PipelineRun(forRun, options, EnvPlaceholders.system(), new PrintWriter(out),
                new PrintWriter(err)).run();
        if (summary.exitCode() != 0 || !summary.reason().startsWith("the input is consumed")) {
            return "the run stopped with " + summary.exitCode() + ": " + summary.reason() + "\n" + err;
        }
        List<String> run = finalRows(forRun, out.toString().lines().toList());
        List<String> replay = new Replayer().replay(compile(script, sql), inputs, false).rows().stream()
                .map(PipelinesOnBrokerTest::withoutSink).sorted().toList();
        if (run.equals(replay)) {
            return null;
        }
        List<String> missing = new ArrayList<>(replay);
        run.forEach(missing::remove);
        List<String> extra = new ArrayList<>(run);
        replay.forEach(extra::remove);
        return run.size() + " rows, replay " + replay.size() + "; missing " + head(missing) + "; extra " + head(extra);
    }

    private static CompiledScript compile(Path script, String sql) {
        return ScriptFiles.compile(script, sql, new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW),
                BuildOptions.PRODUCTION);
    }

    /**
     * The run's printed rows as replay reports them: a table's rows reduced to the last per key (its
     * key columns, read from the row; a delete removes the key), a stream's rows all kept.
     */
    private static List<String> finalRows(CompiledScript script, List<String> lines) throws IOException {
        Map<String, CompiledQuery> byId = new LinkedHashMap<>();
        script.queries().forEach(q -> byId.put(q.id(), q));
        CompiledQuery printed = script.printedQuery().orElse(null);
        Map<List<Object>, String> tables = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>();
        int position = 0;
        for (String line : lines) {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            CompiledQuery q = node.has("_sink") ? byId.get(node.get("_sink").asText()) : printed;
            boolean delete = node.has("_op");
            node.remove("_op");
            String row = withoutSink(node);
            if (q != null && q.table()) {
                List<Object> key = new ArrayList<>();
                key.add(q.id());
                for (String column : q.keySchema().names()) {
                    key.add(node.has(column) ? node.get(column).toString() : "#" + position++);
                }
                tables.remove(key);
                if (!delete) {
                    tables.put(key, row);
                }
            } else if (!delete) {
                rows.add(row);
            }
        }
        rows.addAll(tables.values());
        return rows.stream().sorted().toList();
    }

    private static String withoutSink(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove("_sink");
        return copy.toString();
    }

    private static String head(List<String> rows) {
        return rows.size() <= 3 ? rows.toString() : rows.subList(0, 3) + " and " + (rows.size() - 3) + " more";
    }
}
