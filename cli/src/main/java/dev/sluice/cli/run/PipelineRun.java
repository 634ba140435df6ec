package dev.sluice.cli.run;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.connect.ConnectWorker;
import dev.sluice.cli.connect.Connectors;
import dev.sluice.cli.ops.GracefulShutdown;
import dev.sluice.cli.ops.OpsServer;
import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code sluice run}: every query of a script as one Kafka Streams application.
 *
 * <ol>
 *   <li>Without a bootstrap server, start the embedded single-node broker.
 *   <li>Check the topology's internal names, make sure the topics exist, open the output tail at the
 *       topics' current ends, write the --input files into their source topics.
 *   <li>Start Kafka Streams (exactly-once by default) with the ops endpoint and graceful shutdown.
 *   <li>Print rows as they arrive, with a status line on a terminal, until --max-rows, --timeout,
 *       the input is processed through every sub-topology and committed (then idle for the idle
 *       timeout), Ctrl-C/SIGTERM, or a fatal error.
 * </ol>
 */
public final class PipelineRun {
    /** How a run ended. {@code exitCode} follows {@link dev.sluice.cli.ExitCodes}. */
    public record Summary(int exitCode, String reason, long rows, Duration elapsed, RunStatus status,
                          String applicationId, String bootstrapServers) {
    }

    /** The plan that runs: replaced by the single-task plan once the source topics turn out to have one partition. */
    private CompiledScript script;
    private Optional<java.util.function.Supplier<CompiledScript>> singleTaskPlan = Optional.empty();
    private final RunOptions options;
    private final EnvPlaceholders env;
    private final PrintWriter out;
    private final PrintWriter err;
    private dev.sluice.cli.serve.ServeOptions serve;
    private String scriptSql;
    private boolean resetIncompatibleState;
    private Optional<dev.sluice.cli.ops.HttpServing.Credentials> credentials = Optional.empty();
    private Optional<dev.sluice.cli.ops.HttpServing.Tls> tls = Optional.empty();
    private volatile GracefulShutdown shutdown;
    private volatile boolean stopRequested;
    private boolean explicitNaming = true;
    /** The run's Connect worker, when the script has connectors. */
    private ConnectWorker connectWorker;

    public PipelineRun(CompiledScript script, RunOptions options, EnvPlaceholders env, PrintWriter out, PrintWriter err) {
        this.script = script;
        this.options = options;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /**
     * When the application's existing state is incompatible with this version (see {@link UpgradeGuard}),
     * reset it for a fresh start instead of refusing to start.
     */
    public PipelineRun resetIncompatibleState(boolean reset) {
        this.resetIncompatibleState = reset;
        return this;
    }

    /**
     * The same script compiled for source topics of one partition ({@code SluiceCompiler#withSinglePartitionSources}),
     * run instead of the partitioned plan when every topic the application reads has exactly one
     * partition: each sub-topology then has one task, and rows are re-keyed in it without
     * repartition topics (docs/optimizer.md, {@code onetask}). Without it the run keeps the plan it was given.
     */
    public PipelineRun planningForOnePartition(java.util.function.Supplier<CompiledScript> singleTaskPlan) {
        this.singleTaskPlan = Optional.of(singleTaskPlan);
        return this;
    }

    /** Also serve the query API (pull and push queries over {@code sql}, the script as run) while running. */
    public PipelineRun serving(dev.sluice.cli.serve.ServeOptions options, String sql) {
        this.serve = options;
        this.scriptSql = sql;
        return this;
    }

    /** Basic auth and TLS for every endpoint the run listens on (the ops endpoint and the query API). */
    public PipelineRun securing(Optional<dev.sluice.cli.ops.HttpServing.Credentials> credentials,
                                Optional<dev.sluice.cli.ops.HttpServing.Tls> tls) {
        this.credentials = credentials;
        this.tls = tls;
        return this;
    }

    /** Stops the run as SIGTERM would (from another thread); {@link #run()} then returns "stopped". */
    public void stop() {
        stopRequested = true;
        GracefulShutdown s = shutdown;
        if (s != null) {
            s.shutdown();
        }
    }

    public Summary run() {
        Map<String, String> settings = StreamsProperties.userSettings(script.settings(), options.configFile(), env);
        Optional<String> external = options.bootstrapServers().or(() -> Optional.ofNullable(settings.get("bootstrap.servers")));
        explicitNaming = Boolean.parseBoolean(settings.getOrDefault(
                StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true"));
        checkNames(script);
        List<InputProducer.Planned> input = InputProducer.plan(script, options.inputs()); // usage errors before any start
        RunTopics topics = RunTopics.of(script, settings);
        EmbeddedKafkaBroker broker = null;
        Path tempState = null;
        try {
            String bootstrap;
            if (external.isPresent()) {
                bootstrap = external.get();
            } else {
                broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults()
                        .withDataDir(options.dataDir().map(d -> d.resolve("kafka")).orElse(null)));
                bootstrap = broker.bootstrapServers();
                err.println("sluice: embedded Kafka broker on " + bootstrap + " (started in "
                        + broker.startupTime().toMillis() + " ms, data in " + broker.dataDir() + ")");
                err.flush();
            }
            Path stateDir;
            if (options.dataDir().isPresent()) {
                stateDir = options.dataDir().get().resolve("state");
            } else if (broker != null) {
                stateDir = tempState = tempDir();
            } else {
                stateDir = Path.of(System.getProperty("java.io.tmpdir"), "sluice-state");
            }
            Properties props = SluiceApplication.properties(script, settings, bootstrap, stateDir, broker != null);
            if (InputProducer.phases(input).size() > 1 && !settings.containsKey(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)) {
                // --input is written phase by phase (InputPhases): while one topic's records are processed,
                // the other inputs have nothing more to come, so waiting for them would only cost a second
                // per phase
                props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
            }
            return runOn(broker, bootstrap, props, topics, input, external.isEmpty());
        } finally {
            if (broker != null) {
                broker.close(); // no-op when the graceful shutdown already closed it
            }
            if (tempState != null) {
                deleteQuietly(tempState);
            }
        }
    }

    private void checkNames(CompiledScript plan) {
        if (explicitNaming) {
            List<String> generated = ExplicitNames.generatedNames(plan.topology());
            if (!generated.isEmpty()) {
                throw new IllegalStateException("the topology has generated names for " + String.join(", ", generated)
                        + " (a Sluice bug: please report it; SET 'ensure.explicit.internal.resource.naming' = 'false'"
                        + " runs it anyway)");
            }
        }
    }

    private Summary runOn(EmbeddedKafkaBroker broker, String bootstrap, Properties props, RunTopics topics,
                          List<InputProducer.Planned> input, boolean embedded) {
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        ClusterPreparation.Outcome prepared = new ClusterPreparation(script, options, resetIncompatibleState, err,
                singleTaskPlan).prepare(props, bootstrap, topics, input, embedded);
        if (!(prepared instanceof ClusterPreparation.Ready ready)) {
            return new Summary(dev.sluice.cli.ExitCodes.INCOMPATIBLE_STATE, "incompatible state", 0,
                    Duration.ZERO, new RunStatus(KafkaStreams.State.NOT_RUNNING, 0, 0, 0, 0, 0, 0, -1),
                    applicationId, bootstrap);
        }
        script = ready.script(); // the same sources, sinks and settings; re-keyed in the task or not
        checkNames(script);
        boolean wipeLocalState = ready.wipeLocalState();
        OutputTail tail = OutputTail.open(script, props, options.changelog());
        long badBefore = badRecords();
        ConnectWorker worker = null;
        try {
            if (!script.connectors().isEmpty()) {
                worker = Connectors.start(script, props, bootstrap, err, options.dataDir().isEmpty());
                connectWorker = worker;
            }
            InputPhases phases = new InputPhases(script, ready.input());
            // From here the phases hold the records, each phase until it is written. The planned list
            // (also referenced by run()'s frame) would otherwise keep the whole --input on the heap for
            // the run: ~230 MB for 500k Nexmark events, marked again by every concurrent GC cycle.
            input.clear();
            if (!phases.isEmpty()) {
                int n = phases.writeFirst(props);
                err.println("sluice: wrote " + n + " input record(s)" + (n < phases.total()
                        ? "; the other " + (phases.total() - n) + " follow as the application processes them"
                        + " (each topic's next records once the previous ones went through every sub-topology)" : ""));
            }
            err.println("sluice: starting application " + applicationId + " (" + script.queries().size()
                    + " quer" + (script.queries().size() == 1 ? "y" : "ies") + ", "
                    + props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG) + ")");
            err.flush();
            dev.sluice.cli.serve.ServeServer api = serve == null ? null
                    : dev.sluice.cli.serve.ServeServer.bind(serve, scriptSql, script, props);
            if (wipeLocalState) {
                // the reset tool's last step: this instance's state directory for the application
                try (KafkaStreams wipe = new KafkaStreams(script.topology(), props)) {
                    wipe.cleanUp();
                }
            }
            AtomicReference<Throwable> fatal = new AtomicReference<>();
            RunningStreams streams = new RunningStreams(clients -> SluiceApplication.client(script, props, clients, fatal));
            OpsServer ops = options.opsPort().isPresent()
                    ? OpsServer.start(new java.net.InetSocketAddress(options.opsBind(), options.opsPort().getAsInt()), streams,
                    dev.sluice.runtime.metrics.SluiceMetrics.global(), tls, credentials) : null;
            if (ops != null) {
                err.println("sluice: ops endpoint on " + (tls.isPresent() ? "https" : "http") + "://" + options.opsBind() + ":"
                        + ops.port() + "/ (health, ready, metrics" + (credentials.isPresent() ? " with basic auth" : "") + ")");
            }
            List<AutoCloseable> after = new ArrayList<>();
            if (api != null) {
                api.onTerminate(this::stop);
                api.start(streams);
                after.add(api);
                err.println("sluice: query API and console on " + api.url() + " (POST /query-stream, POST /ksql)");
            }
            if (ops != null) {
                after.add(ops);
            }
            if (worker != null) {
                after.add(worker); // after the topology, before the broker: sinks commit what they wrote
            }
            if (broker != null) {
                after.add(broker);
            }
            GracefulShutdown shutdown = GracefulShutdown.install(streams::finish, options.closeTimeout(),
                    after.toArray(new AutoCloseable[0]));
            this.shutdown = shutdown;
            if (stopRequested) {
                shutdown.shutdown();
            }
            try {
                streams.get().start();
                return follow(streams, tail, phases, topics, props, applicationId, bootstrap, embedded, fatal, badBefore);
            } finally {
                shutdown.shutdown();
                worker = null; // closed by the shutdown
            }
        } finally {
            tail.close();
            if (worker != null) {
                worker.close(); // failed before the topology started
            }
        }
    }

    private Summary follow(RunningStreams streams, OutputTail tail, InputPhases phases, RunTopics topics, Properties props,
                           String applicationId, String bootstrap, boolean embedded,
                           AtomicReference<Throwable> fatal, long badBefore) {
        try (BacklogProbe probe = BacklogProbe.open(script, props)) {
            KafkaStreams client = streams.get();
            int later = phases.writeRest(client, probe, props, err, () -> stopRequested || fatal.get() != null
                    || client.state() == KafkaStreams.State.ERROR || client.state() == KafkaStreams.State.NOT_RUNNING
                    || client.state() == KafkaStreams.State.PENDING_SHUTDOWN);
            if (later > 0) {
                err.println("sluice: wrote the other " + later + " input record(s)");
                err.flush();
            }
            return new RunFollower(script, options, out, err, connectWorker)
                    .follow(streams, tail, probe, topics, props, applicationId, bootstrap, embedded, fatal, badBefore);
        }
    }

    private static long badRecords() {
        return dev.sluice.runtime.errors.DroppedRecords.bad();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-run-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
