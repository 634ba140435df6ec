package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Columns of a Kafka topic read without declared columns: the first {@code sample_size} JSON
 * records of its partitions, read at compile time from the cluster Sluice compiles against.
 * Compiling once fixes the columns, as with registry discovery: every instance reads the same.
 */
public final class KafkaSampling {
    private KafkaSampling() {
    }

    public static FileSampling.Found discover(Endpoint.Kafka k, String bootstrap, Map<String, String> options,
                                              NodeLocation where) {
        int sampleSize = Integer.parseInt(options.getOrDefault("sample_size", "1000"));
        boolean infer = Boolean.parseBoolean(options.getOrDefault("infer_types", "true"));
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        List<String> texts = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(k.topic(), Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                throw new SqlException(where, "cannot discover the columns of " + k.display() + ": topic '"
                        + k.topic() + "' does not exist on " + bootstrap,
                        "declare the columns: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + k.display() + "')");
            }
            List<TopicPartition> tps = partitions.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (texts.size() < sampleSize && System.nanoTime() < deadline && !atEnd(consumer, end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && texts.size() < sampleSize) {
                        texts.add(r.value());
                    }
                }
            }
        } catch (SqlException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SqlException(where, "cannot sample " + k.display() + " on " + bootstrap + ": " + e.getMessage(),
                    "start the cluster, give --bootstrap-servers, or declare the columns");
        }
        JsonSampling.Sampled sampled = JsonSampling.infer(texts, infer);
        if (sampled.schema().size() == 0) {
            throw new SqlException(where, "cannot discover the columns of " + k.display() + ": " + texts.size()
                    + " record(s) on " + bootstrap + " hold no JSON object",
                    "declare the columns: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + k.display() + "')");
        }
        return new FileSampling.Found(sampled.schema(), "columns of " + k.display() + " sampled from "
                + sampled.records() + " JSON record(s) of topic '" + k.topic() + "' on " + bootstrap
                + (sampled.unreadable() > 0 ? " (" + sampled.unreadable() + " unreadable record(s) ignored)" : ""));
    }

    private static boolean atEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
