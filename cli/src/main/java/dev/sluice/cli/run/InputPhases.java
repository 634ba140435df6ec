package dev.sluice.cli.run;

import dev.sluice.compiler.CompiledScript;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Writes {@code --input} so that the application on the broker processes it in replay's order, one
 * phase (a run of consecutive records of one topic, {@link InputProducer#phases}) at a time: a phase
 * is written only when everything before it has gone through every sub-topology and was committed
 * ({@link Backlog#drained()}), and a global table has consumed what was written to it.
 *
 * <p>Why not all at once: a task picks the oldest record among those it has <em>buffered</em>, and
 * Kafka Streams has no watermarks across sub-topologies. When a join's sides reach it through two
 * repartition topics, each filled by its own sub-topology and made visible only by that
 * sub-topology's transaction commit, {@code max.task.idle.ms} waits for the empty side only so long:
 * under load a 10:02 table update overtook a 10:01 stream record, and one side of an interval join
 * moved stream time past the other's grace (PipelinesOnBrokerTest saw both). A GlobalKTable is
 * never synchronized by time at all: it applies updates as its thread reads them. Writing the next
 * topic's records only after the previous ones are processed makes the order replay's by
 * construction, at the cost of about one commit interval per phase (a file per topic without
 * interleaved timestamps is one phase; the inputs of a stream-stream join alternate more often).
 */
final class InputPhases {
    /** After this long without the previous phase processed, the next one is written anyway (with a warning). */
    static final Duration PHASE_WAIT = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(50);
    /**
     * A global thread counts a record as consumed when its poll returns it and applies it right
     * after, in the same thread: this covers that step before the next phase is written.
     */
    private static final Duration GLOBAL_APPLY = Duration.ofMillis(100);

    /** The phases still to write; a written phase's place holds an empty list (its records can go). */
    private final List<List<InputProducer.Planned>> phases;
    private final int total;
    private final Set<String> globalTopics;

    InputPhases(CompiledScript script, List<InputProducer.Planned> input) {
        this.phases = new ArrayList<>(InputProducer.phases(input));
        this.total = input.size();
        this.globalTopics = globalTopics(script);
    }

    boolean isEmpty() {
        return phases.isEmpty();
    }

    int total() {
        return total;
    }

    /** Writes the first phase, before the application starts (a global table then restores it). */
    int writeFirst(Properties props) {
        return phases.isEmpty() ? 0 : InputProducer.produce(take(0), props);
    }

    /** Phase {@code i}'s records, let go here: the caller writes them, once. */
    private List<InputProducer.Planned> take(int i) {
        return phases.set(i, List.of());
    }

    /**
     * Writes the other phases, each once the application processed the ones before it; returns how
     * many records it wrote. Returns early when {@code stop} says the run is over (a failure or a signal).
     */
    int writeRest(KafkaStreams streams, BacklogProbe probe, Properties props, PrintWriter err, BooleanSupplier stop) {
        if (phases.size() < 2) {
            return 0;
        }
        int written = 0;
        Map<String, Double> globalTargets = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = InputProducer.open(props)) {
            for (int i = 1; i < phases.size(); i++) {
                List<InputProducer.Planned> phase = take(i);
                if (!awaitProcessed(streams, probe, globalTargets, stop)) {
                    if (stop.getAsBoolean()) {
                        return written;
                    }
                    err.println("sluice: warning: the input written so far was not processed within "
                            + PHASE_WAIT.toSeconds() + " s; writing the next " + phase.size()
                            + " record(s) anyway (rows may differ from replay's order)");
                    err.flush();
                }
                String topic = phase.get(0).topic();
                if (globalTopics.contains(topic)) {
                    globalTargets.put(topic, consumed(streams, topic) + phase.size());
                }
                written += InputProducer.send(producer, phase);
            }
        }
        return written;
    }

    /** Whether everything written so far is processed; false after {@link #PHASE_WAIT} or on a stop. */
    private boolean awaitProcessed(KafkaStreams streams, BacklogProbe probe, Map<String, Double> globalTargets,
                                   BooleanSupplier stop) {
        long deadline = System.nanoTime() + PHASE_WAIT.toNanos();
        boolean globalApplied = false;
        while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
            boolean globalsRead = globalTargets.entrySet().stream()
                    .allMatch(e -> consumed(streams, e.getKey()) >= e.getValue());
            if (globalsRead && !globalApplied && !globalTargets.isEmpty()) {
                sleep(GLOBAL_APPLY);
                globalApplied = true;
            }
            if (globalsRead && streams.state() == KafkaStreams.State.RUNNING && probe.measure().drained()) {
                globalTargets.clear();
                return true;
            }
            sleep(POLL);
        }
        return false;
    }

    /** Records the global consumer has handed to the global thread from {@code topic}, since it started. */
    private static double consumed(KafkaStreams streams, String topic) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String tagged = name.tags().get("topic");
            String client = name.tags().getOrDefault("client-id", "");
            if (name.name().equals("records-consumed-total") && name.group().equals("consumer-fetch-manager-metrics")
                    && client.endsWith("-global-consumer") && tagged != null
                    && (tagged.equals(topic) || tagged.equals(topic.replace('.', '_')))
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }

    private static Set<String> globalTopics(CompiledScript script) {
        Set<String> out = new TreeSet<>();
        for (TopologyDescription.GlobalStore g : script.topology().describe().globalStores()) {
            out.addAll(g.source().topicSet());
        }
        return out;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
