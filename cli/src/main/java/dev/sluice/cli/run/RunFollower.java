package dev.sluice.cli.run;

import dev.sluice.cli.connect.ConnectWorker;
import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.streams.KafkaStreams;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last stage of a {@link PipelineRun}: with the application started, print its rows (and a
 * status line on a terminal) until a stop condition holds (--max-rows or the printed query's LIMIT,
 * --timeout, a failure, a stop, or the idle stop once the input is consumed), then say how the run
 * ended.
 */
final class RunFollower {
    /** How often the status line's lag is measured on the cluster (a few admin requests each). */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** The same measurement once nothing moved for this long and the idle stop may be near. */
    private static final Duration QUIET_PROBE_INTERVAL = Duration.ofMillis(200);

    private final CompiledScript script;
    private final RunOptions options;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The run's Connect worker, when the script has connectors. */
    private final ConnectWorker connectWorker;
    /** Why a sink connector failed for good, once the idle stop found it so. */
    private String sinkFailure;

    RunFollower(CompiledScript script, RunOptions options, PrintWriter out, PrintWriter err, ConnectWorker connectWorker) {
        this.script = script;
        this.options = options;
        this.out = out;
        this.err = err;
        this.connectWorker = connectWorker;
    }

    /**
     * Prints rows until a stop condition holds. The idle stop ("the input is consumed") needs the
     * application drained on the cluster ({@link Backlog#drained()}: every source and repartition
     * partition committed to its end, no transaction open) and every committed output row printed;
     * client metrics alone cannot say that a fetched batch was processed, however long it takes.
     */
    PipelineRun.Summary follow(RunningStreams running, OutputTail tail, BacklogProbe probe, RunTopics topics,
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
        return new PipelineRun.Summary(code, reason, rows, elapsed, status, applicationId, bootstrap);
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
}
