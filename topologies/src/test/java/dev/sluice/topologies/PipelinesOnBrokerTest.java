package dev.sluice.topologies;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped pipeline, with its first case's input, through {@code sluice run} on one real
 * broker with Sluice's default settings (exactly-once v2, the record cache on, bounded RocksDB),
 * compared with replay of the same input through TopologyTestDriver, query by query, on what each
 * query wrote to its sink topic (read with read_committed).
 *
 * <p>Both sides use the production topology: a broker run cannot know where its input ends, so EMIT
 * FINAL windows still open at the end stay open on both. A stream's rows must be the same multiset
 * (rows of different keys may interleave differently). A table must end with replay's row for every
 * key, and each key's updates must be replay's in replay's order, some folded away by the cache
 * ({@link SinkChangelog}). A stream of change records (+I, -U/+U, -D of an updating result) must
 * describe the same rows: the cache folds updates before they become records.
 *
 * <p>The broker's topics have one partition, so both sides run the plan {@code sluice run} makes for
 * them, every re-key in the task ({@code -Dsluice.brokerPlan=partitioned}: with repartition topics).
 *
 * <p>Pipelines run several at a time in this JVM, each as its own application with its own topics;
 * a run stops when its input went through every sub-topology and was committed (the bounded-run
 * stop, {@code BacklogProbe}), not after a sleep.
 */
class PipelinesOnBrokerTest {
    private static final Pattern TOPIC = Pattern.compile("'topic'\\s*=\\s*'([^']*)'");
    private static final Pattern CREATE_AS = Pattern.compile("(?i)(CREATE\\s+(?:STREAM|TABLE)\\s+(`?\\w+`?))(\\s+AS\\b)");
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
    void everyShippedPipelineWritesReplaysRowsOnARealBrokerWithDefaultSettings(@TempDir Path dir) throws Exception {
        // -Dsluice.brokerPipelines=l8s3_left_join,l8_within_join runs only those (to investigate one)
        java.util.Set<String> chosen = java.util.Set.of(System.getProperty("sluice.brokerPipelines", "").split(","));
        List<Path> pipelines = new ArrayList<>(Pipelines.all().stream().filter(p -> !Pipelines.cases(p).isEmpty())
                .filter(p -> chosen.equals(java.util.Set.of("")) || chosen.contains(p.getFileName().toString())).toList());
        // the longest inputs first, so that the last runs to finish are short ones
        Map<Path, Long> size = new LinkedHashMap<>();
        for (Path p : pipelines) {
            long bytes = 0;
            for (ReplayInput in : Pipelines.inputs(Pipelines.cases(p).get(0))) {
                bytes += Files.size(in.file());
            }
            size.put(p, bytes);
        }
        pipelines.sort(Comparator.comparing((Path p) -> -size.get(p)).thenComparing(Path::toString));
        int parallel = Integer.getInteger("sluice.brokerParallelism", 6);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> seconds = Collections.synchronizedMap(new LinkedHashMap<>());
        long begin = System.nanoTime();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < pipelines.size(); i++) {
                Path pipeline = pipelines.get(i);
                String app = "p" + i + "-" + pipeline.getFileName();
                runs.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    try {
                        String problem = compare(pipeline, app, dir);
                        if (problem != null) {
                            failures.add(pipeline.getFileName() + ": " + problem);
                        }
                    } catch (Exception | AssertionError e) {
                        failures.add(pipeline.getFileName() + ": " + e);
                    }
                    seconds.put(pipeline.getFileName().toString(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println(pipelines.size() + " pipelines on the broker in "
                + Duration.ofNanos(System.nanoTime() - begin).toSeconds() + " s, " + parallel + " at a time; "
                + failures.size() + " differ; seconds per pipeline: " + seconds);
        assertTrue(!pipelines.isEmpty(), "no pipeline chosen");
        assertTrue(failures.isEmpty(), failures.size() + " of " + pipelines.size()
                + " pipelines differ from replay:\n" + String.join("\n", failures));
    }

    /** Null when what the queries wrote on the broker is what replay allows, else what differs. */
    private static String compare(Path pipeline, String app, Path dir) throws IOException {
        Path caseDir = Pipelines.cases(pipeline).get(0);
        List<ReplayInput> inputs = Pipelines.inputs(caseDir);
        Path script = dir.resolve(app + ".sql");
        String sql = isolated(Files.readString(pipeline.resolve("pipeline.sql")), app);
        Files.writeString(script, sql);
        CompiledScript compiled = compile(script, sql);
        Path config = dir.resolve(app + ".properties");
        Files.writeString(config, "application.id=" + app + "\nstate.dir=" + dir.resolve(app + "-state") + "\n");
        RunOptions options = RunOptions.defaults(broker.bootstrapServers())
                .withConfigFile(config)
                .withCreateTopics(true)
                .withInputs(inputs)
                .withStops(OptionalLong.empty(), Optional.of(Duration.ofMinutes(2)), Optional.of(Duration.ofMillis(300)));
        List<String> shared = sharedTopics(compiled, app);
        PipelineRun.Summary summary;
        StringWriter err = new StringWriter();
        if (shared.isEmpty()) {
            summary = run(compiled, options, err);
        } else {
            // topics named after a CDC table cannot be renamed in the SQL: pipelines reading them take
            // turns, each on freshly created topics
            synchronized (PipelinesOnBrokerTest.class) {
                deleteTopics(shared);
                summary = run(compiled, options, err);
            }
        }
        boolean limited = summary.reason().startsWith("LIMIT");
        if (summary.exitCode() != 0 || !(summary.reason().startsWith("the input is consumed") || limited)) {
            return "the run stopped with " + summary.exitCode() + ": " + summary.reason() + "\n" + err;
        }
        java.util.Set<String> approximate = approximateColumns(caseDir);
        Map<String, SinkChangelog> replayed = new LinkedHashMap<>();
        Map<String, SinkChangelog> run = new LinkedHashMap<>();
        for (CompiledQuery q : compiled.queries()) {
            if (q.plan().sink().isPresent()) {
                replayed.put(q.id(), new SinkChangelog(q, approximate));
                run.put(q.id(), new SinkChangelog(q, approximate));
            }
        }
        new Replayer().recordingSinks(r -> replayed.get(r.query()).add(r.key(), r.value()))
                .replay(compile(script, sql), inputs, false);
        readSinks(run);
        List<String> problems = new ArrayList<>();
        for (CompiledQuery q : compiled.queries()) {
            if (!run.containsKey(q.id())) {
                continue;
            }
            if (limited && compiled.printedQuery().map(p -> p.id().equals(q.id())).orElse(false)) {
                // a streaming LIMIT n: the first n rows, as replay's LIMIT keeps the first n of the input's order
                String d = replayed.get(q.id()).limitedTo(q.limit().orElseThrow()).differences(run.get(q.id()).limitedTo(
                        q.limit().orElseThrow()), true);
                if (d != null) {
                    problems.add(d);
                }
                continue;
            }
            String d = replayed.get(q.id()).differences(run.get(q.id()), oneStateStore(compiled, q));
            if (d != null) {
                problems.add(d);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static PipelineRun.Summary run(CompiledScript compiled, RunOptions options, StringWriter err) {
        // every topic of this broker has one partition: the run takes the one-task plan, compiled above
        PipelineRun run = new PipelineRun(compiled, options, EnvPlaceholders.system(), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        return (ONE_TASK ? run.planningForOnePartition(() -> compiled) : run).run();
    }

    /**
     * Whether the script keeps its state in one store. Then every update it writes is one replay wrote
     * too, with the cache only folding some away. With two or more (an aggregate over an aggregate's
     * changelog, a join of tables, TOP-N over a sum), the cache folds the upstream updates, and the
     * downstream step computes intermediate rows from a shorter changelog: rows replay never had,
     * though every key still ends equal. For those only the last row per key is compared.
     */
    private static boolean oneStateStore(CompiledScript script, CompiledQuery q) {
        java.util.Set<String> stores = new java.util.TreeSet<>();
        for (var sub : script.topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Processor p) {
                    stores.addAll(p.stores()); // the script's, not only the query's: a source table's store counts
                }
            }
        }
        return stores.size() <= 1;
    }

    /** Topics of the script that are not this run's own (named after a table, not after the app). */
    private static List<String> sharedTopics(CompiledScript script, String app) {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        script.sources().forEach(s -> topics.add(s.format().topic()));
        script.queries().forEach(q -> q.plan().sink().ifPresent(f -> topics.add(f.topic())));
        return topics.stream().filter(t -> !t.contains(app) && !t.contains(app.replace('-', '_'))).toList();
    }

    private static void deleteTopics(List<String> topics) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            java.util.Set<String> existing = admin.listTopics().names().get();
            List<String> present = topics.stream().filter(existing::contains).toList();
            admin.deleteTopics(present).all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (admin.listTopics().names().get().stream().anyMatch(present::contains) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + topics + ": " + e, e);
        }
    }

    /** Columns the case's expected rows give as a band ({@code {"approx_between": [lo, hi]}}). */
    private static java.util.Set<String> approximateColumns(Path caseDir) throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        Path expected = caseDir.resolve("expected.jsonl");
        if (!Files.exists(expected)) {
            return out;
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(expected)) {
            if (line.isBlank()) {
                continue;
            }
            json.readTree(line).fields().forEachRemaining(f -> {
                if (f.getValue().isObject() && f.getValue().has("approx_between")) {
                    out.add(f.getKey());
                }
            });
        }
        return out;
    }

    /** The pipeline's topics renamed for this run: declared ones and those CREATE ... AS names after itself. */
    static String isolated(String sql, String app) {
        String declared = TOPIC.matcher(sql).replaceAll("'topic' = '" + Matcher.quoteReplacement(app) + "-$1'");
        return CREATE_AS.matcher(declared).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " WITH ('topic' = '"
                + app + "-" + m.group(2).replace("`", "") + "')" + m.group(3)));
    }

    /** Everything committed in the queries' sink topics, in offset order per partition. */
    private static void readSinks(Map<String, SinkChangelog> sinks) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (SinkChangelog sink : sinks.values()) {
                // metadata of a topic created moments ago may not list its partitions yet: ask again
                List<TopicPartition> partitions = List.of();
                long known = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (partitions.isEmpty() && System.nanoTime() < known) {
                    partitions = consumer.partitionsFor(sink.topic(), Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("no partitions for " + sink.topic() + " after 30 s");
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                        && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        sink.add(r.key(), r.value());
                    }
                }
            }
        }
    }

    /**
     * As {@code sluice run} compiles it on this broker, whose topics have one partition: every re-key
     * in the task (the onetask rule). {@code -Dsluice.brokerPlan=partitioned} runs the plan with
     * repartition topics instead (what a source of several partitions gets), on both sides.
     */
    private static CompiledScript compile(Path script, String sql) {
        return ScriptFiles.compile(script, sql, new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW),
                BuildOptions.PRODUCTION, Optional.empty(), Optional.empty(), ONE_TASK);
    }

    private static final boolean ONE_TASK = !"partitioned".equals(System.getProperty("sluice.brokerPlan"));
}
