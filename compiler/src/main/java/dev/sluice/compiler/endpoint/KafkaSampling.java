package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.custom.UserSerdes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.nio.charset.StandardCharsets;

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
        return discover(k, bootstrap, options, where, Optional.empty());
    }

    /**
     * @param serdeClass a user's Deserializer (or Serde) class: each sampled record is read through it
     *                   and the columns are inferred from what it returns (docs/formats.md)
     */
    public static FileSampling.Found discover(Endpoint.Kafka k, String bootstrap, Map<String, String> options,
                                              NodeLocation where, Optional<Map.Entry<String, String>> serdeClass) {
        Function<byte[], String> decode = bytes -> new String(bytes, StandardCharsets.UTF_8);
        if (serdeClass.isPresent()) {
            try {
                decode = UserSerdes.sampler(serdeClass.get().getValue(), serdeClass.get().getKey(),
                        new FormatOptions(k.topic(), options));
            } catch (IllegalArgumentException e) {
                throw new SqlException(where, e.getMessage());
            }
        }
        int failed = 0;
        String firstFailure = null;
        int sampleSize = Integer.parseInt(options.getOrDefault("sample_size", "1000"));
        boolean infer = Boolean.parseBoolean(options.getOrDefault("infer_types", "true"));
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        List<String> texts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
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
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && texts.size() < sampleSize) {
                        String text;
                        try {
                            text = decode.apply(r.value());
                        } catch (RuntimeException e) {
                            // the user's class refused this record: at run time it is dead-lettered
                            failed++;
                            firstFailure = firstFailure != null ? firstFailure : r.topic() + "-" + r.partition() + "@"
                                    + r.offset() + ": " + e;
                            continue;
                        }
                        if (text != null) {
                            texts.add(text);
                        }
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
        String through = serdeClass.map(c -> " read through " + c.getValue()).orElse("");
        if (sampled.schema().size() == 0) {
            throw new SqlException(where, "cannot discover the columns of " + k.display() + ": " + texts.size()
                    + " record(s) on " + bootstrap + through + " hold no JSON object"
                    + (failed > 0 ? " (" + failed + " refused by the class, first " + firstFailure + ")" : ""),
                    "declare the columns: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + k.display() + "')");
        }
        return new FileSampling.Found(sampled.schema(), "columns of " + k.display() + " sampled from "
                + sampled.records() + (through.isEmpty() ? " JSON" : "") + " record(s) of topic '" + k.topic() + "' on "
                + bootstrap + through
                + (sampled.unreadable() + failed > 0 ? " (" + (sampled.unreadable() + failed) + " unreadable record(s) ignored)" : ""));
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
