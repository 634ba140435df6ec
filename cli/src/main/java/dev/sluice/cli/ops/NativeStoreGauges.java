package dev.sluice.cli.ops;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * Kafka Streams' RocksDB property gauges ({@code block-cache-usage}, {@code estimate-num-keys},
 * {@code size-all-mem-tables}...) are computed when read, by calling into the native RocksDB of
 * every store they cover. The stream thread closes a store (a task migrates, is fenced, or the
 * client shuts down) without any lock those gauges take: a read from another thread can reach a
 * RocksDB whose native handle was just freed, and the JVM dies with SIGSEGV in
 * {@code DBImpl::GetIntProperty}. It happened while {@code sluice run}'s status line read every
 * metric of a client whose fenced task was closing its stores.
 *
 * <p>So nothing in Sluice that reads metrics from outside the stream threads (the /metrics endpoint,
 * the run's status line, system tables) evaluates them. Kafka Streams' other RocksDB metrics are
 * sensors (plain Java values recorded by Kafka Streams itself) and stay. RocksDB's memory is reported
 * instead from the one cache Sluice shares among all stores, which is never closed
 * ({@code sluice_rocksdb_*} in /metrics).
 */
public final class NativeStoreGauges {
    private NativeStoreGauges() {
    }

    /** Whether reading {@code metric}'s value calls into a store's native RocksDB. */
    public static boolean readsNativeStore(MetricName name, Metric metric) {
        if (!name.group().equals("stream-state-metrics")) {
            return false;
        }
        boolean rocksDbStore = name.tags().keySet().stream().anyMatch(tag -> tag.startsWith("rocksdb-"));
        // sensors (measurable stats) hold values already recorded; gauges compute on read
        return rocksDbStore && !(metric instanceof KafkaMetric k && k.isMeasurable());
    }
}
