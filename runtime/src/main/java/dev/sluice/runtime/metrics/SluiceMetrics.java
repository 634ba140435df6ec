package dev.sluice.runtime.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sluice's own counters (records per query, dropped records by query, step and reason),
 * beside Kafka Streams' metrics. One registry per JVM: operators count into it from stream
 * threads, the ops endpoint and the CLI status line read it. LongAdder because many threads write
 * and few read.
 */
public final class SluiceMetrics {
    private static final SluiceMetrics GLOBAL = new SluiceMetrics();

    private final Map<MetricKey, LongAdder> counters = new ConcurrentHashMap<>();

    public static SluiceMetrics global() {
        return GLOBAL;
    }

    /** A counter name (Prometheus style, e.g. {@code sluice_dropped_records_total}) with labels. */
    public record MetricKey(String name, Map<String, String> labels) {
        public MetricKey {
            labels = Map.copyOf(new TreeMap<>(labels));
        }
    }

    public void increment(String name, Map<String, String> labels) {
        add(name, labels, 1);
    }

    public void add(String name, Map<String, String> labels, long amount) {
        counters.computeIfAbsent(new MetricKey(name, labels), k -> new LongAdder()).add(amount);
    }

    public long get(String name, Map<String, String> labels) {
        LongAdder a = counters.get(new MetricKey(name, labels));
        return a == null ? 0 : a.sum();
    }

    /** Sum of a counter over all label values. */
    public long total(String name) {
        return counters.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Sum of a counter over the label values whose {@code label} is {@code value}. */
    public long total(String name, String label, String value) {
        return counters.entrySet().stream().filter(e -> e.getKey().name().equals(name)
                        && value.equals(e.getKey().labels().get(label)))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    public Map<MetricKey, Long> snapshot() {
        Map<MetricKey, Long> copy = new TreeMap<>((a, b) -> {
            int c = a.name().compareTo(b.name());
            return c != 0 ? c : a.labels().toString().compareTo(b.labels().toString());
        });
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** For tests that assert on counts from a clean slate. */
    public void reset() {
        counters.clear();
    }
}
