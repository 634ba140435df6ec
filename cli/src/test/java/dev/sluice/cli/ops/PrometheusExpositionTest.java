package dev.sluice.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.runtime.metrics.SluiceMetrics.MetricKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {

    @Test
    void groupsKafkaMetricsIntoFamiliesWithLabelsAndAppendsSluiceCounters() {
        try (Metrics registry = new Metrics()) {
            MetricName t1 = registry.metricName("process-total", "stream-thread-metrics", "The total number of processed records",
                    Map.of("thread-id", "app-StreamThread-1"));
            MetricName t2 = registry.metricName("process-total", "stream-thread-metrics", "The total number of processed records",
                    Map.of("thread-id", "app-StreamThread-2"));
            registry.addMetric(t2, (Gauge<Long>) (config, now) -> 7L);
            registry.addMetric(t1, (Gauge<Long>) (config, now) -> 42L);
            registry.addMetric(registry.metricName("process-rate", "stream-thread-metrics", "Records per second",
                    Map.of("thread-id", "app-StreamThread-1")), (Measurable) (config, now) -> 2.5);
            registry.addMetric(registry.metricName("process-latency-avg", "stream-thread-metrics", "",
                    Map.of("thread-id", "app-StreamThread-1")), (Measurable) (config, now) -> Double.NaN);
            registry.addMetric(registry.metricName("alive-stream-threads", "stream-metrics", "Live threads",
                    Map.of("client-id", "a\"b\\c")), (Gauge<Integer>) (config, now) -> 1);
            registry.addMetric(registry.metricName("version", "app-info", "Version", Map.of()),
                    (Gauge<String>) (config, now) -> "4.3.1");

            Map<MetricName, Metric> kafka = new LinkedHashMap<>(registry.metrics());
            kafka.keySet().removeIf(name -> name.group().equals("kafka-metrics-count")); // the registry's own count
            Map<MetricKey, Long> sluice = new LinkedHashMap<>();
            sluice.put(new MetricKey("sluice_late_records_dropped_total", Map.of("query", "q1")), 3L);
            sluice.put(new MetricKey("sluice_late_records_dropped_total", Map.of("query", "q2")), 0L);
            sluice.put(new MetricKey("sluice_dead_letters_total", Map.of()), 5L);

            String expected = String.join("\n",
                    "# HELP kafka_streams_stream_metrics_alive_stream_threads Live threads",
                    "# TYPE kafka_streams_stream_metrics_alive_stream_threads gauge",
                    "kafka_streams_stream_metrics_alive_stream_threads{client_id=\"a\\\"b\\\\c\"} 1",
                    "# TYPE kafka_streams_stream_thread_metrics_process_latency_avg gauge",
                    "kafka_streams_stream_thread_metrics_process_latency_avg{thread_id=\"app-StreamThread-1\"} NaN",
                    "# HELP kafka_streams_stream_thread_metrics_process_rate Records per second",
                    "# TYPE kafka_streams_stream_thread_metrics_process_rate gauge",
                    "kafka_streams_stream_thread_metrics_process_rate{thread_id=\"app-StreamThread-1\"} 2.5",
                    "# HELP kafka_streams_stream_thread_metrics_process_total The total number of processed records",
                    "# TYPE kafka_streams_stream_thread_metrics_process_total counter",
                    "kafka_streams_stream_thread_metrics_process_total{thread_id=\"app-StreamThread-1\"} 42",
                    "kafka_streams_stream_thread_metrics_process_total{thread_id=\"app-StreamThread-2\"} 7",
                    "# HELP sluice_late_records_dropped_total Sluice counter sluice_late_records_dropped_total",
                    "# TYPE sluice_late_records_dropped_total counter",
                    "sluice_late_records_dropped_total{query=\"q1\"} 3",
                    "sluice_late_records_dropped_total{query=\"q2\"} 0",
                    "# HELP sluice_dead_letters_total Sluice counter sluice_dead_letters_total",
                    "# TYPE sluice_dead_letters_total counter",
                    "sluice_dead_letters_total 5",
                    "");
            assertEquals(expected, PrometheusExposition.render(kafka, sluice));
        }
    }

    @Test
    void neverEvaluatesRocksDbPropertyGaugesWhichReadANativeStoreThatMayBeClosing() {
        try (Metrics registry = new Metrics()) {
            java.util.concurrent.atomic.AtomicInteger nativeReads = new java.util.concurrent.atomic.AtomicInteger();
            Map<String, String> store = Map.of("thread-id", "t1", "task-id", "1_0", "rocksdb-window-state-id", "q-store");
            // as Kafka Streams' RocksDBMetricsRecorder registers them: gauges that call RocksDB.getLongProperty
            registry.addMetric(registry.metricName("block-cache-usage", "stream-state-metrics", "", store),
                    (Gauge<Long>) (config, now) -> (long) nativeReads.incrementAndGet());
            registry.addMetric(registry.metricName("estimate-num-keys", "stream-state-metrics", "", store),
                    (Gauge<Long>) (config, now) -> (long) nativeReads.incrementAndGet());
            // a sensor's value of the same store was recorded by Kafka Streams: safe, and kept
            registry.addMetric(registry.metricName("bytes-written-rate", "stream-state-metrics", "", store),
                    (Measurable) (config, now) -> 10.0);
            Map<MetricName, Metric> kafka = new LinkedHashMap<>(registry.metrics());
            kafka.keySet().removeIf(name -> name.group().equals("kafka-metrics-count"));

            String rendered = PrometheusExposition.render(kafka, Map.of(
                    new MetricKey("sluice_rocksdb_block_cache_usage_bytes", Map.of()), 4096L));

            assertEquals(0, nativeReads.get(), "a RocksDB property gauge was evaluated");
            assertEquals(String.join("\n",
                    "# TYPE kafka_streams_stream_state_metrics_bytes_written_rate gauge",
                    "kafka_streams_stream_state_metrics_bytes_written_rate{rocksdb_window_state_id=\"q-store\",task_id=\"1_0\",thread_id=\"t1\"} 10",
                    "# HELP sluice_rocksdb_block_cache_usage_bytes Sluice gauge sluice_rocksdb_block_cache_usage_bytes",
                    "# TYPE sluice_rocksdb_block_cache_usage_bytes gauge",
                    "sluice_rocksdb_block_cache_usage_bytes 4096",
                    ""), rendered);
        }
    }

    @Test
    void sanitizesNamesAndFormatsSpecialValues() {
        assertEquals("stream_thread_metrics", PrometheusExposition.sanitize("stream-thread-metrics"));
        assertEquals("_99th_percentile", PrometheusExposition.sanitize("99th.percentile"));
        assertEquals("+Inf", PrometheusExposition.formatValue(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusExposition.formatValue(Double.NEGATIVE_INFINITY));
        assertEquals("12", PrometheusExposition.formatValue(12.0));
        assertEquals("0.125", PrometheusExposition.formatValue(0.125));
        assertEquals("a\\nb", PrometheusExposition.escapeLabelValue("a\nb"));
    }
}
