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

    /** How often the status line's lag is measured on the cluster (a few admin requests each). */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** The same measurement once nothing moved for this long and the idle stop may be near. */
    private static final Duration QUIET_PROBE_INTERVAL = Duration.ofMillis(200);

    private final CompiledScript script;
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
    /** The run's Connect worker, when the script has connectors. */
    private ConnectWorker connectWorker;
    /** Why a sink connector failed for good, once the idle stop found it so. */
    private String sinkFailure;

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
        if (Boolean.parseBoolean(settings.getOrDefault(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true"))) {
            List<String> generated = ExplicitNames.generatedNames(script.topology());
            if (!generated.isEmpty()) {
                throw new IllegalStateException("the topology has generated names for " + String.join(", ", generated)
                        + " (a Sluice bug: please report it; SET 'ensure.explicit.internal.resource.naming' = 'false'"
                        + " runs it anyway)");
            }
        }
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

    private Summary runOn(EmbeddedKafkaBroker broker, String bootstrap, Properties props, RunTopics topics,
                          List<InputProducer.Planned> input, boolean embedded) {
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        ClusterPreparation.Outcome prepared = new ClusterPreparation(script, options, resetIncompatibleState, err)
                .prepare(props, bootstrap, topics, input, embedded);
        if (!(prepared instanceof ClusterPreparation.Ready ready)) {
            return new Summary(dev.sluice.cli.ExitCodes.INCOMPATIBLE_STATE, "incompatible state", 0,
                    Duration.ZERO, new RunStatus(KafkaStreams.State.NOT_RUNNING, 0, 0, 0, 0, 0, 0, -1),
                    applicationId, bootstrap);
        }
        boolean wipeLocalState = ready.wipeLocalState();
        input = ready.input();
        OutputTail tail = OutputTail.open(script, props, options.changelog());
        long badBefore = badRecords();
        ConnectWorker worker = null;
        try {
            if (!script.connectors().isEmpty()) {
                worker = Connectors.start(script, props, bootstrap, err, options.dataDir().isEmpty());
                connectWorker = worker;
            }
            InputPhases phases = new InputPhases(script, input);
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
            return follow(streams, tail, probe, topics, props, applicationId, bootstrap, embedded, fatal, badBefore);
        }
    }

    /**
     * Whether every sink connector that commits what it wrote at each Connect commit has committed
     * its topic to the end (its consumer group {@code connect-<name>}, measured as the application's
     * backlog is): stopping earlier stopped the worker with rows read but not yet inserted (seed
     * 001's multi-sink pipeline ended with one of two rows in ClickHouse; a later run would insert
     * the other). Sinks that hold rows back on purpose ({@code rotate.interval.ms}, flush_interval:
     * files and objects open across commits) are not waited for; their rows come again on the next run.
     */
    private boolean sinksCaughtUp(Properties props) {
        for (dev.sluice.compiler.endpoint.ConnectorPlan c : script.connectors()) {
            if (c.direction() != dev.sluice.compiler.endpoint.ConnectorPlan.Direction.SINK
                    || !"0".equals(c.config().getOrDefault("rotate.interval.ms", "0"))) {
                continue;
            }
            // a sink that failed for good never catches up: the run stops and says why rather than wait for ever
            java.util.Optional<String> failed = connectWorker == null ? java.util.Optional.empty()
                    : connectWorker.rest().failure(c.name());
            if (failed.isPresent()) {
                sinkFailure = failed.get();
                return false;
            }
            Properties group = new Properties();
            group.putAll(props);
            group.setProperty("application.id", "connect-" + c.name());
            try (BacklogProbe probe = BacklogProbe.open(group, java.util.Set.of(c.topic()))) {
                if (!probe.measure().drained()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Prints rows until a stop condition holds. The idle stop ("the input is consumed") needs the
     * application drained on the cluster ({@link Backlog#drained()}: every source and repartition
     * partition committed to its end, no transaction open) and every committed output row printed;
     * client metrics alone cannot say that a fetched batch was processed, however long it takes.
     */
    private Summary follow(RunningStreams running, OutputTail tail, BacklogProbe probe, RunTopics topics,
                           Properties props, String applicationId, String bootstrap, boolean embedded,
                           AtomicReference<Throwable> fatal, long badBefore) {
        RowWriter writer = new RowWriter(out, options.format(), tail.columns());
        java.util.OptionalLong maxRows = maxRows();
        String dlq = props.getProperty("errors.dead.letter.queue.topic.name");
        // connectors deliver a little after they start (a CDC snapshot takes seconds): wait longer for them
        Duration embeddedIdle = script.connectors().isEmpty() ? RunOptions.EMBEDDED_IDLE_TIMEOUT : Duration.ofSeconds(10);
        Optional<Duration> idle = options.idleTimeout().or(() -> embedded ? Optional.of(embeddedIdle)
                : Optional.empty()).filter(d -> !d.isZero());
        // processing-time windows close on the wall clock: the idle stop waits until the last window
        // the input opened has ended and been emitted (the longest window and a tick, and a second for
        // the commit and the output tail), so a bounded run ends with every window emitted
        Duration windowsClosing = dev.sluice.compiler.ProcessingTimeWindows.closingWait(script);
        if (!windowsClosing.isZero()) {
            Duration wait = windowsClosing.plusSeconds(1);
            idle = idle.map(d -> d.compareTo(wait) >= 0 ? d : wait);
        }
        long start = System.nanoTime();
        long lastActivity = start;
        long lastProcessed = -1;
        long lastStatusPrint = 0;
        long lastProbe = 0;
        long rows = 0;
        boolean statusShown = false;
        Backlog backlog = Backlog.unknown();
        RunStatus lastRunning = null;
        String reason;
        KafkaStreams streams = running.get();
        while (true) {
            List<OutputRow> batch = tail.poll(Duration.ofMillis(200));
            // RESET OFFSET replaces the client: neither a stop nor idleness
            boolean replacing = running.restarting() || running.get() != streams;
            if (replacing) {
                streams = running.get();
                lastActivity = System.nanoTime();
            }
            long now = System.nanoTime();
            if (!batch.isEmpty() && statusShown) {
                clearStatus();
                statusShown = false;
            }
            int room = maxRows.isPresent() ? (int) Math.min(Integer.MAX_VALUE,
                    Math.max(0, maxRows.getAsLong() - rows)) : Integer.MAX_VALUE;
            List<OutputRow> shown = batch.size() > room ? batch.subList(0, room) : batch;
            writer.writeAll(shown);
            rows += shown.size();
            if (!shown.isEmpty()) {
                lastActivity = now;
            }
            writer.flush();
            // While waiting for the idle stop, measure at every poll: the end of the input is then seen
            // within one poll of its last commit, not up to a probe interval later (the run's reported
            // time, and the benchmark's throughput, would carry that delay)
            boolean awaitingIdleStop = idle.isPresent() && now - lastActivity >= QUIET_PROBE_INTERVAL.toNanos()
                    && now - lastActivity < idle.get().toNanos();
            if (now - lastProbe >= (awaitingIdleStop ? QUIET_PROBE_INTERVAL : PROBE_INTERVAL).toNanos()) {
                Backlog measured = probe.measure();
                if (measured.unprocessed() != backlog.unprocessed()) {
                    lastActivity = now;
                }
                backlog = measured;
                lastProbe = now;
            }
            RunStatus status = status(streams, topics, dlq, rows, badBefore, backlog);
            if (status.state().isRunningOrRebalancing()) {
                lastRunning = status; // a closing client unregisters its metrics: report what it had done
            }
            if (status.processed() != lastProcessed) {
                lastProcessed = status.processed();
                lastActivity = now;
            }
            if (maxRows.isPresent() && rows >= maxRows.getAsLong()) {
                reason = maxRows.equals(options.maxRows()) ? "--max-rows " + maxRows.getAsLong() + " reached"
                        : "LIMIT " + maxRows.getAsLong() + " reached";
                break;
            }
            if (!replacing && (fatal.get() != null || streams.state() == KafkaStreams.State.ERROR)) {
                reason = "Kafka Streams failed";
                break;
            }
            if (sinkFailure != null) {
                reason = "a sink stopped: " + sinkFailure;
                break;
            }
            // the state first, then whether a restart caused it (a restart flags itself before it closes)
            if ((streams.state() == KafkaStreams.State.PENDING_SHUTDOWN || streams.state() == KafkaStreams.State.NOT_RUNNING)
                    && !running.restarting() && running.get() == streams) {
                reason = "stopped";
                break;
            }
            if (options.timeout().isPresent() && now - start >= options.timeout().get().toNanos()) {
                reason = "--timeout " + options.timeout().get().toMillis() + " ms reached";
                break;
            }
            if (idle.isPresent() && status.state() == KafkaStreams.State.RUNNING && now - lastActivity >= idle.get().toNanos()) {
                backlog = probe.measure(); // fresh: the stop must not rest on an old measurement
                lastProbe = now;
                if (backlog.drained() && tail.atEnd() && sinksCaughtUp(props)) {
                    reason = "the input is consumed (every record processed by every sub-topology and committed)"
                            + " and nothing moved for " + idle.get().toMillis() + " ms";
                    break;
                }
            }
            if (options.statusLine() && now - lastStatusPrint >= 500_000_000L) {
                err.print("\r" + status.line((now - start) / 1_000_000) + "\033[K");
                err.flush();
                statusShown = true;
                lastStatusPrint = now;
            }
        }
        if (statusShown) {
            clearStatus();
        }
        if (!backlog.drained()) {
            backlog = probe.measure(); // the summary's lag is what is left now, not a client's estimate
        }
        RunStatus status = status(streams, topics, dlq, rows, badBefore, backlog);
        if (!status.state().isRunningOrRebalancing() && lastRunning != null) {
            status = new RunStatus(status.state(), lastRunning.in(), lastRunning.processed(), rows, lastRunning.dropped(),
                    status.bad(), lastRunning.deadLetters(), backlog.known() ? backlog.unprocessed() : lastRunning.lag());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (fatal.get() != null) {
            err.println("sluice: Kafka Streams stopped on an error: " + rootCause(fatal.get()));
        }
        err.println("sluice: " + reason + "; " + rows + " row(s) in " + elapsed.toMillis() / 1000.0 + " s; "
                + status.line(elapsed.toMillis()).replaceFirst("^\\[[^]]*] ", ""));
        if (reason.startsWith("the input is consumed")) {
            // the processing time without the idle wait: from the application's start to the last
            // progress seen (a record processed, a row printed, a commit that shrank the backlog)
            err.println("sluice: last progress " + (lastActivity - start) / 1_000_000 / 1000.0
                    + " s after the application started");
        }
        if (backlog.unprocessed() > 0) {
            err.println("sluice: not processed yet: " + backlog.perTopic().entrySet().stream()
                    .map(e -> e.getValue() + " in " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (reason.startsWith("the input is consumed") && hasFinalWindows()) {
            err.println("sluice: note: EMIT FINAL windows still open at the end of the input are emitted only when a "
                    + "later record passes their end plus grace (replay closes them at the end of its input)");
        }
        err.flush();
        int code = fatal.get() != null || sinkFailure != null || status.state() == KafkaStreams.State.ERROR
                ? dev.sluice.cli.ExitCodes.INTERNAL
                : dev.sluice.cli.ExitCodes.OK;
        return new Summary(code, reason, rows, elapsed, status, applicationId, bootstrap);
    }

    /**
     * --max-rows, or the printed query's LIMIT when it is smaller: a streaming LIMIT passes its first n
     * rows and then ends, as in Flink and ksqlDB (with ORDER BY, a LIMIT needs the end of the input,
     * which only replay has).
     */
    private java.util.OptionalLong maxRows() {
        java.util.OptionalLong limit = script.printedQuery().filter(q -> q.orderBy().isEmpty())
                .flatMap(q -> q.limit()).map(java.util.OptionalLong::of).orElse(java.util.OptionalLong.empty());
        if (limit.isEmpty()) {
            return options.maxRows();
        }
        if (options.maxRows().isPresent() && options.maxRows().getAsLong() <= limit.getAsLong()) {
            return options.maxRows();
        }
        return limit;
    }

    private RunStatus status(KafkaStreams streams, RunTopics topics, String dlq, long rows, long badBefore,
                             Backlog backlog) {
        RunStatus s = RunStatus.read(streams, topics.sources().keySet(), dlq, rows, backlog);
        return new RunStatus(s.state(), s.in(), s.processed(), s.out(), s.dropped(), s.bad() - badBefore,
                s.deadLetters(), s.lag());
    }

    /** Whether some query emits windows only once they close (its topology has a suppress node). */
    private boolean hasFinalWindows() {
        for (var sub : script.topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                if (node.name().endsWith("-suppress")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The innermost message first: with on_error = 'fail', Kafka Streams' own message only says that
     * the handler is set to fail, while the cause says which record and why.
     */
    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : root.getMessage() + " (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
    }

    private void clearStatus() {
        err.print("\r\033[K");
        err.flush();
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
