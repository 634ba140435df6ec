package dev.sluice.cli.run;

import dev.sluice.runtime.metrics.SluiceMetrics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Map;
import java.util.Set;

/**
 * A snapshot of what a run has done, read from Kafka Streams' client metrics (which every thread's
 * consumer and producer report into) and Sluice's counters:
 *
 * <ul>
 *   <li>{@code in}: records consumed from the source topics (per-topic consumer metric);
 *   <li>{@code processed}: records processed by all tasks, internal topics included;
 *   <li>{@code out}: rows printed by this run;
 *   <li>{@code dropped}: records Kafka Streams dropped: late records behind a window's grace, and
 *       records that failed and were skipped;
 *   <li>{@code bad}: records that could not be read or failed in an expression (Sluice's counters);
 *   <li>{@code deadLetters}: records written to the dead-letter topic;
 *   <li>{@code lag}: records not yet processed and committed, in the source topics and the
 *       application's repartition topics ({@link Backlog}), or -1 before the first measurement.
 * </ul>
 */
public record RunStatus(KafkaStreams.State state, long in, long processed, long out, long dropped, long bad,
                        long deadLetters, long lag) {

    private static final Set<String> WANTED = Set.of("records-consumed-total", "process-total", "dropped-records-total",
            "record-send-total");

    public static RunStatus read(KafkaStreams streams, Set<String> sourceTopics, String deadLetterTopic, long printed,
                                 Backlog backlog) {
        Set<String> sourceTags = normalized(sourceTopics);
        String dlqTag = deadLetterTopic == null ? null : deadLetterTopic.replace('.', '_');
        double in = 0;
        double processed = 0;
        double dropped = 0;
        double dead = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (!WANTED.contains(n.name())) {
                // Evaluate only the counters read here. Other gauges are not free: a RocksDB
                // block-cache gauge calls into the native store, and on a store that a migrating
                // task was closing it crashed the JVM (SIGSEGV in DBImpl::GetIntProperty).
                continue;
            }
            Object raw = e.getValue().metricValue();
            if (!(raw instanceof Number number) || Double.isNaN(number.doubleValue())) {
                continue;
            }
            double v = number.doubleValue();
            String topic = n.tags().get("topic");
            switch (n.group()) {
                case "consumer-fetch-manager-metrics" -> {
                    if (topic != null && sourceTags.contains(topic.replace('.', '_'))) {
                        if (n.name().equals("records-consumed-total") && !n.tags().containsKey("partition")) {
                            in += v;
                        }
                    }
                }
                case "stream-thread-metrics" -> {
                    if (n.name().equals("process-total")) {
                        processed += v;
                    }
                }
                case "stream-task-metrics" -> {
                    if (n.name().equals("dropped-records-total")) {
                        dropped += v;
                    }
                }
                case "producer-topic-metrics" -> {
                    if (dlqTag != null && topic != null && topic.replace('.', '_').equals(dlqTag)
                            && n.name().equals("record-send-total")) {
                        dead += v;
                    }
                }
                default -> {
                }
            }
        }
        SluiceMetrics m = SluiceMetrics.global();
        long bad = m.total("sluice_deserialization_errors_total") + m.total("sluice_processing_errors_total");
        return new RunStatus(streams.state(), (long) in, (long) processed, printed, (long) dropped, bad, (long) dead,
                backlog.unprocessed());
    }

    /** One line for a terminal's status bar. */
    public String line(long elapsedMillis) {
        return String.format("[%s %ds] in %d | processed %d | out %d | dropped %d | bad %d | dead letters %d | lag %s",
                state, elapsedMillis / 1000, in, processed, out, dropped, bad, deadLetters, lag < 0 ? "-" : lag);
    }

    private static Set<String> normalized(Set<String> topics) {
        return topics.stream().map(t -> t.replace('.', '_')).collect(java.util.stream.Collectors.toSet());
    }
}
