package dev.sluice.cli.run;

import dev.sluice.cli.connect.Connectors;
import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What {@code sluice run} does on the cluster before it starts the application: connector topics,
 * the upgrade check (and a reset when asked), the state manifest, sink and source topics, and whether
 * an earlier run on the same data directory already wrote the input.
 *
 * <p>An instance can start while its broker is away: a container restarted during a broker restart,
 * or a member of a group restarted at the moment the cluster rolls. Kafka Streams itself waits for the
 * cluster; these admin requests would time out after 30 s and end the run. So the whole preparation is
 * tried again while the cluster does not answer, for up to {@link #CLUSTER_WAIT}; every step is
 * idempotent (topics are ensured, the manifest is a compacted record keyed by the application id, a
 * reset deletes what exists). Only errors Kafka calls retriable, or a request that timed out, are
 * waited out; anything else ends the run at once.
 */
final class ClusterPreparation {
    /** How long a starting instance waits for an unreachable cluster before it gives up. */
    static final Duration CLUSTER_WAIT = Duration.ofMinutes(5);
    private static final Duration PAUSE_BETWEEN_TRIES = Duration.ofSeconds(2);

    /** The outcome: refused by the upgrade check, or ready to start with this input. */
    sealed interface Outcome {
    }

    /** The cluster holds state of an incompatible version and no reset was asked for. */
    record Refused() implements Outcome {
    }

    /**
     * Ready. {@code wipeLocalState}: a reset happened, so the local state directory must go too.
     * {@code script}: the plan to run, for the source topics' partition counts.
     */
    record Ready(boolean wipeLocalState, List<InputProducer.Planned> input, CompiledScript script) implements Outcome {
    }

    private final CompiledScript script;
    private final RunOptions options;
    private final boolean resetIncompatibleState;
    private final PrintWriter err;
    private final Optional<Supplier<CompiledScript>> singleTaskPlan;

    /**
     * {@code singleTaskPlan}: the same script compiled for sources of one partition (the optimizer's
     * {@code onetask} rule), run instead when every topic the application reads has one partition.
     */
    ClusterPreparation(CompiledScript script, RunOptions options, boolean resetIncompatibleState, PrintWriter err,
                       Optional<Supplier<CompiledScript>> singleTaskPlan) {
        this.script = script;
        this.options = options;
        this.resetIncompatibleState = resetIncompatibleState;
        this.err = err;
        this.singleTaskPlan = singleTaskPlan;
    }

    Outcome prepare(Properties props, String bootstrap, RunTopics topics, List<InputProducer.Planned> input,
                    boolean embedded) {
        long deadline = System.nanoTime() + CLUSTER_WAIT.toNanos();
        boolean wiped = false;
        boolean announced = false;
        while (true) {
            try {
                Outcome outcome = prepareOnce(props, bootstrap, topics, input, embedded);
                // a reset in an earlier try that timed out afterwards still has to wipe local state
                return wiped && outcome instanceof Ready r ? new Ready(true, r.input(), r.script()) : outcome;
            } catch (ResetDone e) {
                wiped = true;
                throwIfNotToWaitOut(e.getCause(), deadline);
            } catch (RuntimeException e) {
                throwIfNotToWaitOut(e, deadline);
                if (!announced) {
                    err.println("sluice: the Kafka cluster at " + bootstrap + " does not answer (" + innermost(e)
                            + "); waiting for it for up to " + CLUSTER_WAIT.toMinutes() + " min");
                    err.flush();
                    announced = true;
                }
            }
            try {
                Thread.sleep(PAUSE_BETWEEN_TRIES.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka cluster", interrupted);
            }
        }
    }

    private Outcome prepareOnce(Properties props, String bootstrap, RunTopics topics,
                                List<InputProducer.Planned> input, boolean embedded) {
        String applicationId = props.getProperty(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG);
        Connectors.createSourceTopics(script.connectors(), ClientConfigs.admin(props, "sluice-connect-admin"));
        boolean wipeLocalState = false;
        try (Admin admin = Admin.create(ClientConfigs.admin(props, "sluice-run-admin"))) {
            SourcePartitions partitions = SourcePartitions.of(admin, script, topics, options.createTopics() || embedded);
            CompiledScript plan = singleTaskPlan.isPresent() && partitions.allOne() ? singleTaskPlan.get().get()
                    : this.script;
            UpgradeGuard guard = new UpgradeGuard(admin, ClientConfigs.admin(props, "sluice-manifest"), applicationId);
            UpgradeGuard.Verdict verdict = guard.check(plan, partitions.describe());
            if (!verdict.canResume() && plan != this.script && !resetIncompatibleState) {
                // An application that ran with its repartition topics (before the onetask rule, or while a
                // source had several partitions) resumes with them: their records and its stores are the
                // plan it can continue. --reset-incompatible-state re-plans it for one task instead.
                UpgradeGuard.Verdict asBefore = guard.check(this.script, partitions.describe());
                if (asBefore.canResume()) {
                    err.println("sluice: every source topic has one partition (" + partitions.describe() + "), but "
                            + "application " + applicationId + " ran with repartition topics: it keeps that plan "
                            + "(--reset-incompatible-state starts it afresh, re-keyed in the task)");
                    err.flush();
                    plan = this.script;
                    verdict = asBefore;
                }
            }
            if (!verdict.canResume()) {
                if (!resetIncompatibleState) {
                    err.println("sluice: refusing to start application " + applicationId
                            + ": its state on the cluster was left by an incompatible version");
                    verdict.explanation().forEach(line -> err.println("  " + line));
                    if (!plan.settings().containsKey(dev.sluice.compiler.optimizer.OptimizerSettings.KEY)) {
                        err.println("sluice: hint: the optimizer's rules are on by default; an application started "
                                + "without them keeps its state layout with SET 'sluice.optimizer.rules' = 'none'");
                    }
                    err.println("sluice: to start afresh (internal topics, consumer offsets and local state deleted, "
                            + "the input read again from the start), run again with --reset-incompatible-state");
                    err.flush();
                    return new Refused();
                }
                err.println("sluice: --reset-incompatible-state: resetting application " + applicationId
                        + " (deleting " + verdict.existingTopics().size() + " internal topic(s), its consumer offsets "
                        + "and local state)");
                verdict.explanation().forEach(line -> err.println("  " + line));
                err.flush();
                guard.reset(verdict.existingTopics());
                wipeLocalState = true;
            }
            try {
                guard.writeManifest(plan);
                List<String> created = new TopicCreator(admin, bootstrap).ensure(topics,
                        options.createTopics() || embedded);
                if (!created.isEmpty()) {
                    err.println("sluice: created topics " + String.join(", ", created));
                }
            } catch (RuntimeException e) {
                if (wipeLocalState) {
                    throw new ResetDone(e);
                }
                throw e;
            }
            List<InputProducer.Planned> toWrite = input;
            if (embedded && options.dataDir().isPresent() && !input.isEmpty() && holdsRecords(admin, input)) {
                // a second run on the same --data-dir: the input is there already, and the application
                // resumes from its committed offsets; writing it again would double every record
                err.println("sluice: the source topics already hold records from an earlier run in "
                        + options.dataDir().get() + "; not writing --input again");
                toWrite = List.of();
            }
            if (plan.optimization().singleTaskPlan()) {
                err.println("sluice: every source topic has one partition (" + partitions.describe() + "): rows are "
                        + "re-keyed in the task, without repartition topics");
            }
            return new Ready(wipeLocalState, toWrite, plan);
        }
    }

    /** A try failed after its reset deleted the old state: the local state must still be wiped. */
    private static final class ResetDone extends RuntimeException {
        ResetDone(RuntimeException cause) {
            super(cause);
        }
    }

    private static void throwIfNotToWaitOut(Throwable e, long deadline) {
        boolean clusterAway = false;
        for (Throwable t = e; t != null && !clusterAway; t = t.getCause() == t ? null : t.getCause()) {
            clusterAway = t instanceof RetriableException || t instanceof java.util.concurrent.TimeoutException;
        }
        if (!clusterAway || System.nanoTime() > deadline) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        }
    }

    private static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static boolean holdsRecords(Admin admin, List<InputProducer.Planned> input) {
        try {
            Set<String> topics = new TreeSet<>();
            input.forEach(r -> topics.add(r.topic()));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            var described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            described.forEach((t, d) -> d.partitions().forEach(p -> latest.put(
                    new TopicPartition(t, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .anyMatch(o -> o.offset() > 0);
        } catch (Exception e) {
            return false; // cannot tell: write the input as asked
        }
    }
}
