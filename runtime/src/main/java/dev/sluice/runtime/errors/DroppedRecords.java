package dev.sluice.runtime.errors;

import dev.sluice.runtime.metrics.SluiceMetrics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The one way a dropped record is accounted for, whatever the reason and wherever it happens:
 * <ul>
 *   <li>counted in {@value #METRIC}{@code {query, step, reason}} (Sluice's registry, served at
 *       {@code /metrics} and summed in {@code sluice run}'s summary);
 *   <li>logged on one line with its source {@code topic-partition@offset};
 *   <li>when a dead-letter topic is configured, its dead-letter record carries the
 *       {@code sluice.*} headers below beside Kafka Streams' own {@code __streams.errors.*} ones.
 * </ul>
 * {@code query} and {@code step} come from the processor's name, which Sluice always builds as
 * {@code <query>-<step>-<role>} (a source is {@code <source>-source}, so a record that cannot be
 * read is counted under its source's name).
 */
public final class DroppedRecords {
    public static final String METRIC = "sluice_dropped_records_total";

    public static final String HEADER_REASON = "sluice.reason";
    public static final String HEADER_QUERY = "sluice.query";
    public static final String HEADER_STEP = "sluice.step";
    public static final String HEADER_MESSAGE = "sluice.message";
    public static final String HEADER_TOPIC = "sluice.source.topic";
    public static final String HEADER_PARTITION = "sluice.source.partition";
    public static final String HEADER_OFFSET = "sluice.source.offset";
    public static final String HEADER_TIMESTAMP = "sluice.timestamp";

    private DroppedRecords() {
    }

    /** Where a drop happened and which record it was. {@code partition} and {@code offset} are -1 when unknown. */
    public record Drop(DropReason reason, String processor, String topic, int partition, long offset, long timestamp,
                       String message) {
        public String query() {
            int dash = processor.indexOf('-');
            return dash < 0 ? processor : processor.substring(0, dash);
        }

        public String step() {
            int dash = processor.indexOf('-');
            return dash < 0 ? "" : processor.substring(dash + 1);
        }

        /** {@code topic-partition@offset}, Kafka's own way of naming a record. */
        public String position() {
            return (topic == null ? "?" : topic) + "-" + partition + "@" + offset;
        }
    }

    /** Counts the drop and returns the log line to print (the caller logs at its own level). */
    public static String count(Drop drop) {
        SluiceMetrics.global().increment(METRIC, labels(drop.query(), drop.step(), drop.reason()));
        return "dropped a record (" + drop.reason().label() + ") in " + drop.processor() + ": " + drop.position()
                + ": " + drop.message();
    }

    public static Map<String, String> labels(String query, String step, DropReason reason) {
        return Map.of("query", query, "step", step, "reason", reason.label());
    }

    /** Adds the {@code sluice.*} headers to each dead-letter record Kafka Streams built for this drop. */
    public static void addHeaders(List<ProducerRecord<byte[], byte[]>> deadLetters, Drop drop) {
        if (deadLetters == null) {
            return;
        }
        for (ProducerRecord<byte[], byte[]> r : deadLetters) {
            Headers h = r.headers();
            put(h, HEADER_REASON, drop.reason().label());
            put(h, HEADER_QUERY, drop.query());
            put(h, HEADER_STEP, drop.step());
            put(h, HEADER_MESSAGE, drop.message() == null ? "" : drop.message());
            put(h, HEADER_TOPIC, drop.topic() == null ? "" : drop.topic());
            put(h, HEADER_PARTITION, String.valueOf(drop.partition()));
            put(h, HEADER_OFFSET, String.valueOf(drop.offset()));
            put(h, HEADER_TIMESTAMP, String.valueOf(drop.timestamp()));
        }
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Records dropped for {@code reason}, over every query and step. */
    public static long total(DropReason reason) {
        return SluiceMetrics.global().total(METRIC, "reason", reason.label());
    }

    /** Every dropped record. */
    public static long total() {
        return SluiceMetrics.global().total(METRIC);
    }

    /** Records dropped because they are bad (everything but late ones): what run's summary calls "bad". */
    public static long bad() {
        return total() - total(DropReason.LATE);
    }
}
