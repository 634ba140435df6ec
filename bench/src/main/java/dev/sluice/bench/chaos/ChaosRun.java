package dev.sluice.bench.chaos;

import dev.sluice.cli.replay.ReplayInput;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.cli.run.BacklogProbe;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The chaos run: a real broker ({@code sluice broker}) and {@code instances} copies of the chaos
 * pipeline ({@code sluice run}), each a separate JVM and all one consumer group, while {@link
 * SteadyProducer} writes the input at a steady rate. Every few seconds one instance is SIGKILLed and
 * started again, sometimes with its state directory deleted; once, the broker JVM is SIGKILLed and
 * started again on the same port and data directory. When the input is written, the faults stop, the
 * application drains, closing records close every window, and each sink's committed output (read
 * with read_committed) is compared with replay of the same input: nothing lost, nothing twice.
 */
public final class ChaosRun {
    static final String SCRIPT_RESOURCE = "/chaos/pipeline.sql";

    /**
     * How to run. {@code eventsPerSecond} feedback events are written per second of wall time,
     * {@code eventStepMs} of event time apart; a fault comes every {@code faultEveryMin..Max}, and every
     * {@code wipeEvery}-th instance kill (the second, the fifth, ...) also deletes its state directory.
     * The broker is SIGKILLed once, when {@code brokerRestartAt} of the input is written.
     */
    public record Settings(Path workDir, long seed, int events, int eventsPerSecond, long eventStepMs, int instances,
                           int partitions, Duration faultEveryMin, Duration faultEveryMax, int wipeEvery,
                           double brokerRestartAt, int standbyReplicas, Duration drainTimeout) {
        /** {@code brokerRestartAt}: the fraction of the input written when the broker is killed; 0: never. */
        public boolean restartBroker() {
            return brokerRestartAt > 0;
        }
    }

    /** A fault injected (or a problem seen), at a time since the input started. */
    public record Fault(Duration at, String what) {
        @Override
        public String toString() {
            return String.format("%7.1f s  %s", at.toMillis() / 1000.0, what);
        }
    }

    /** What a run did and found. {@code problems} are failures other than a row difference. */
    public record Report(long inputRecords, List<Fault> faults, List<SinkCheck> checks, List<String> problems,
                         Duration producing, Duration drained, Duration total) {
        public boolean passed() {
            return problems.isEmpty() && !checks.isEmpty() && checks.stream().allMatch(SinkCheck::equal);
        }

        public long rowsChecked() {
            return checks.stream().mapToLong(SinkCheck::actualRows).sum();
        }

        public long count(String prefix) {
            return faults.stream().filter(f -> f.what().startsWith(prefix)).count();
        }

        public String describe() {
            StringBuilder out = new StringBuilder();
            out.append("faults injected:\n");
            faults.forEach(f -> out.append("  ").append(f).append('\n'));
            out.append("summary: ").append(inputRecords).append(" input records written in ")
                    .append(producing.toMillis() / 1000.0).append(" s; ").append(count("SIGKILL instance"))
                    .append(" instance SIGKILLs (").append(faults.stream().filter(f -> f.what().contains("state wiped")).count())
                    .append(" with the state directory wiped), ").append(count("SIGKILL broker")).append(" broker SIGKILL+restart; ")
                    .append("drained ").append(drained.toMillis() / 1000.0).append(" s after the input ended; total ")
                    .append(total.toMillis() / 1000.0).append(" s\n");
            checks.forEach(c -> out.append("  ").append(c.describe()).append('\n'));
            problems.forEach(p -> out.append("PROBLEM: ").append(p).append('\n'));
            out.append(passed() ? "PASS" : "FAIL").append(": ").append(rowsChecked()).append(" output rows checked against replay\n");
            return out.toString();
        }
    }

    private final Settings settings;
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private long inputStart;
    private String applicationId;

    public ChaosRun(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        long begin = System.nanoTime();
        // the input producer's and probes' reconnect warnings while the broker is down are expected
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.kafka", org.apache.logging.log4j.Level.ERROR);
        Path work = Files.createDirectories(settings.workDir());
        Path script = work.resolve("pipeline.sql");
        Files.writeString(script, pipelineSql());
        SluiceCompiler compiler = new SluiceCompiler(DefaultFunctionCatalog.wallClock());
        CompiledScript production = compiler.compile(pipelineSql(), "chaos", BuildOptions.PRODUCTION);
        ChaosInput input = ChaosInput.generate(settings.seed(), settings.events(), settings.eventStepMs());
        SplittableRandom random = new SplittableRandom(settings.seed());

        BrokerProcess broker = new BrokerProcess(work);
        List<Instance> instances = new ArrayList<>();
        try {
            broker.start(Duration.ofSeconds(180));
            createTopics(broker.bootstrapServers(), production);
            applicationId = production.applicationId();
            Map<String, String> instanceSettings = Map.of(
                    // the broker's shortest session: a killed instance's tasks move after 6 s, not 45 s
                    "session.timeout.ms", "6000", "heartbeat.interval.ms", "1500",
                    "num.standby.replicas", String.valueOf(settings.standbyReplicas()));
            for (int i = 0; i < settings.instances(); i++) {
                Instance instance = new Instance(i, script, work, instanceSettings);
                instance.start(broker.bootstrapServers());
                instances.add(instance);
            }
            try (GroupProbe group = new GroupProbe(broker.bootstrapServers(), production.applicationId())) {
                // faults begin once every instance has joined: killing a JVM that is still starting tests little
                // the join's wait is not the drain's: a short --drain-timeout (to see a stall's diagnosis) must not fail it
                Duration joinTimeout = settings.drainTimeout().compareTo(Duration.ofMinutes(5)) > 0
                        ? settings.drainTimeout() : Duration.ofMinutes(5);
                GroupProbe.waitFor(() -> group.members() == settings.instances(), joinTimeout,
                        "all " + settings.instances() + " instances to join the group");
            }
            inputStart = System.nanoTime();
            SteadyProducer producer = SteadyProducer.start(broker.bootstrapServers(), input, settings.eventsPerSecond(),
                    settings.eventStepMs());
            try (GroupProbe group = new GroupProbe(broker.bootstrapServers(), production.applicationId())) {
                injectFaults(producer, broker, instances, random, group);
            }
            long produced = producer.await(Duration.ofMinutes(10));
            Duration producing = since(inputStart);
            producer.failure().ifPresent(e -> problems.add("the input producer failed: " + e));
            checkInput(broker.bootstrapServers(), input);

            restartStopped(instances, broker);
            Properties probeConfig = new Properties();
            probeConfig.put("bootstrap.servers", broker.bootstrapServers());
            probeConfig.put("application.id", production.applicationId());
            Duration drained;
            try (BacklogProbe probe = BacklogProbe.open(production, probeConfig)) {
                awaitDrained(probe, instances, broker, "the input");
                drained = since(inputStart).minus(producing);
                SteadyProducer.sendAll(broker.bootstrapServers(), input.closers());
                awaitDrained(probe, instances, broker, "the closing records");
            }
            List<SinkCheck> checks = compare(broker.bootstrapServers(), production, compiler, input, work);
            long late = instances.stream().mapToLong(in -> in.logLines("dropped a late record")).sum();
            if (late > 0) {
                // a row difference then says the grace was shorter than the disorder, not that EOS failed
                problems.add(late + " record(s) dropped as late by the instances (see 'dropped a late record' in their"
                        + " logs): the watermark's grace did not cover the disorder the faults caused");
            }
            return new Report(produced, List.copyOf(faults), checks, List.copyOf(problems), producing, drained, since(begin));
        } finally {
            // no graceful close at the end: the result is read already, and closes one after another cost minutes
            instances.stream().filter(Instance::alive).forEach(Instance::kill);
            broker.close();
        }
    }

    /** Faults until the producer has written everything. */
    private void injectFaults(SteadyProducer producer, BrokerProcess broker, List<Instance> instances,
                              SplittableRandom random, GroupProbe group) {
        boolean brokerRestarted = !settings.restartBroker();
        int kills = 0;
        long min = settings.faultEveryMin().toMillis();
        long max = settings.faultEveryMax().toMillis();
        while (producer.running()) {
            long wait = min + (max > min ? random.nextLong(max - min) : 0);
            long until = System.currentTimeMillis() + wait;
            while (producer.running() && System.currentTimeMillis() < until) {
                BrokerProcess.sleep(100);
            }
            if (!producer.running()) {
                return;
            }
            restartStopped(instances, broker);
            if (!brokerRestarted && producer.sent() >= producer.total() * settings.brokerRestartAt()) {
                brokerRestarted = true;
                long down = System.nanoTime();
                broker.kill();
                fault("SIGKILL broker");
                BrokerProcess.sleep(1000);
                broker.start(Duration.ofSeconds(180));
                fault("broker started again (down " + since(down).toMillis() + " ms)");
                continue;
            }
            // the victim is a member of the group (it has joined since its last start), when one is
            java.util.Set<String> members = group.memberClientIds();
            List<Instance> joined = instances.stream()
                    .filter(in -> members.stream().anyMatch(m -> m.startsWith(in.clientId() + "-"))).toList();
            List<Instance> candidates = joined.isEmpty() ? instances : joined;
            Instance victim = candidates.get(random.nextInt(candidates.size()));
            kills++;
            boolean wipe = settings.wipeEvery() > 0 && kills % settings.wipeEvery() == 2 % settings.wipeEvery();
            victim.kill();
            if (wipe) {
                victim.wipeState();
            }
            victim.start(broker.bootstrapServers());
            fault("SIGKILL instance " + victim.number() + (wipe ? ", state wiped" : "") + ", restarted");
        }
    }

    /** An instance that stopped by itself is a finding: record it with its log, and start it again. */
    private void restartStopped(List<Instance> instances, BrokerProcess broker) {
        for (Instance instance : instances) {
            if (!instance.alive()) {
                String what = "instance " + instance.number() + " stopped by itself with exit code " + instance.exitCode()
                        + "; the end of " + instance.log() + ":\n" + instance.logTail(15);
                problems.add(what);
                fault("instance " + instance.number() + " stopped by itself (exit " + instance.exitCode() + "), restarted");
                instance.start(broker.bootstrapServers());
            }
        }
    }

    private void awaitDrained(BacklogProbe probe, List<Instance> instances, BrokerProcess broker, String what) {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        long nextReport = System.nanoTime() + 30_000_000_000L;
        while (true) {
            restartStopped(instances, broker);
            dev.sluice.cli.run.Backlog backlog = probe.measure();
            if (backlog.drained()) {
                return;
            }
            if (System.nanoTime() > nextReport) {
                System.err.println("chaos: draining " + what + ": " + backlog.unprocessed() + " unprocessed "
                        + backlog.perTopic() + ", " + backlog.openTransactions() + " open transaction(s)");
                nextReport = System.nanoTime() + 30_000_000_000L;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the application did not process " + what + " within "
                        + settings.drainTimeout().toSeconds() + " s: " + backlog.unprocessed() + " unprocessed "
                        + backlog.perTopic() + ", " + backlog.openTransactions() + " open transaction(s); "
                        + stallDiagnosis(broker, instances, backlog));
            }
            BrokerProcess.sleep(500);
        }
    }

    /**
     * Why a drain stalled, on one line (a test report shows the first line of a failure): the group's
     * assignment and its partitions behind, and what each instance's stream thread is doing; the full
     * thread dumps go to {@code threads-<n>.txt} in the work directory.
     */
    private String stallDiagnosis(BrokerProcess broker, List<Instance> instances, dev.sluice.cli.run.Backlog backlog) {
        StringBuilder out = new StringBuilder();
        try (GroupProbe group = new GroupProbe(broker.bootstrapServers(), applicationId)) {
            out.append(group.describe(backlog.perTopic().keySet()));
        }
        for (Instance instance : instances) {
            out.append(" | instance ").append(instance.number()).append(": ").append(instance.streamThreadSummary())
                    .append("; last warnings: ").append(instance.lastWarnings(3));
        }
        return out.toString().replace('\n', ' ');
    }

    private void createTopics(String bootstrap, CompiledScript script) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(ChaosInput.FEEDBACK_TOPIC, settings.partitions(), (short) 1));
            topics.add(new NewTopic(ChaosInput.METRICS_TOPIC, settings.partitions(), (short) 1));
            script.queries().forEach(q -> topics.add(new NewTopic(q.outputTopic(), settings.partitions(), (short) 1)));
            admin.createTopics(topics).all().get();
        }
    }

    /** The input topics hold exactly what was generated: a lost or doubled input would void the comparison. */
    private void checkInput(String bootstrap, ChaosInput input) {
        for (String topic : List.of(ChaosInput.FEEDBACK_TOPIC, ChaosInput.METRICS_TOPIC)) {
            long have = OutputReader.count(bootstrap, topic);
            if (have != input.count(topic)) {
                problems.add(topic + " holds " + have + " records, not the " + input.count(topic) + " generated");
            }
        }
    }

    private List<SinkCheck> compare(String bootstrap, CompiledScript production, SluiceCompiler compiler,
                                    ChaosInput input, Path work) {
        CompiledScript replayable = compiler.compile(pipelineSql(), "chaos", BuildOptions.REPLAY);
        ReplayResult replay = new Replayer().replay(replayable, List.of(
                new ReplayInput("feedback_events", input.writeJsonLines(ChaosInput.FEEDBACK_TOPIC, work.resolve("feedback.jsonl"))),
                new ReplayInput("performance_metrics", input.writeJsonLines(ChaosInput.METRICS_TOPIC, work.resolve("metrics.jsonl")))),
                false);
        if (replay.lateRecords() > 0 || replay.badRecords() > 0) {
            problems.add("replay itself dropped " + replay.lateRecords() + " late and " + replay.badRecords() + " bad records");
        }
        List<SinkCheck> checks = new ArrayList<>();
        for (var query : production.queries()) {
            String sink = production.sources().stream().filter(s -> s.format().topic().equals(query.outputTopic()))
                    .map(s -> s.name()).findFirst().orElse(query.id());
            List<String> expected = replay.rows().stream()
                    .filter(r -> r.path("_sink").asText().equals(sink))
                    .map(r -> {
                        var copy = r.deepCopy();
                        copy.remove("_sink");
                        return copy.toString();
                    }).toList();
            List<String> actual = OutputReader.rows(bootstrap, query.outputTopic(), query.table());
            checks.add(SinkCheck.compare(sink, query.table(), expected, actual));
        }
        return checks;
    }

    private void fault(String what) {
        faults.add(new Fault(since(inputStart), what));
        System.err.println("chaos: " + faults.get(faults.size() - 1));
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    static String pipelineSql() {
        try (InputStream in = ChaosRun.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
