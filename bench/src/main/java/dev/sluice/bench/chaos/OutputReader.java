package dev.sluice.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic whole with read_committed, up to its last stable offset at the time of reading (no
 * transaction is open once the application has drained, so that is its end): aborted writes of the
 * killed instances are invisible, committed ones all present.
 */
final class OutputReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputReader() {
    }

    /**
     * A sink's rows as JSON text, closing records' rows left out: a stream's rows in partition order,
     * or a table's last row per key (a tombstone removes the key).
     */
    static List<String> rows(String bootstrap, String topic, boolean table) {
        Map<String, String> latest = new LinkedHashMap<>();
        List<String> appended = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic)) {
            JsonNode row = r.value() == null ? null : parse(r.value());
            if (row != null && ChaosInput.isCloserRow(row)) {
                continue;
            }
            if (!table) {
                if (row != null) {
                    appended.add(row.toString());
                }
                continue;
            }
            String key = r.key() == null ? "" : Base64.getEncoder().encodeToString(r.key());
            latest.remove(key);
            if (row != null) {
                latest.put(key, row.toString());
            }
        }
        return table ? new ArrayList<>(latest.values()) : appended;
    }

    static long count(String bootstrap, String topic) {
        return readAll(bootstrap, topic).size();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(60)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end took more than 5 minutes");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
