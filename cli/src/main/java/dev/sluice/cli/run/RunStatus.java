package dev.sluice.cli.run;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecords;
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
 *   <li>{@code dropped}: records that did not make it, for any reason
 *       ({@code sluice_dropped_records_total}, printed by reason; docs/errors.md);
 *   <li>{@code bad}: the dropped records that are not late: unreadable bytes, failed expressions,
 *       UDF errors, CHECK violations, NULL join keys;
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
                // property gauge calls into the native store, and on a store that a migrating task
                // was closing it crashed the JVM (SIGSEGV in DBImpl::GetIntProperty; see
                // dev.sluice.cli.ops.NativeStoreGauges).
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
        // Every drop Sluice makes goes through DroppedRecords; Kafka Streams' own task counter also
        // counts those (a skipped record is a dropped one), so it only shows drops Sluice never saw.
        long sluiceDropped = DroppedRecords.total();
        long bad = DroppedRecords.bad();
        return new RunStatus(streams.state(), (long) in, (long) processed, printed,
                Math.max(sluiceDropped, (long) dropped), bad, (long) dead, backlog.unprocessed());
    }

    /** One line for a terminal's status bar. */
    public String line(long elapsedMillis) {
        return String.format("[%s %ds] in %d | processed %d | out %d | dropped %d%s | bad %d | dead letters %d | lag %s",
                state, elapsedMillis / 1000, in, processed, out, dropped, reasons(), bad, deadLetters,
                lag < 0 ? "-" : lag);
    }

    /** " (late 2, bad_bytes 1)": {@code sluice_dropped_records_total} by reason, or nothing when none. */
    private static String reasons() {
        java.util.StringJoiner out = new java.util.StringJoiner(", ", " (", ")").setEmptyValue("");
        for (DropReason r : DropReason.values()) {
            long n = DroppedRecords.total(r);
            if (n > 0) {
                out.add(r.label() + " " + n);
            }
        }
        return out.toString();
    }

    private static Set<String> normalized(Set<String> topics) {
        return topics.stream().map(t -> t.replace('.', '_')).collect(java.util.stream.Collectors.toSet());
    }
}
