package dev.sluice.cli.run;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Configs for the clients {@code sluice run} opens beside Kafka Streams (the admin client that
 * creates topics, the producer of --input files, the consumer that prints rows): the run's
 * connection and security settings, restricted to what each client knows, so that SASL/SSL given
 * once in SET or --config reach every client and no client logs "unknown config" warnings.
 */
public final class ClientConfigs {
    private ClientConfigs() {
    }

    public static Map<String, Object> admin(Properties streams, String clientId) {
        Map<String, Object> out = only(streams, AdminClientConfig.configNames(), "admin.");
        out.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return out;
    }

    static Map<String, Object> producer(Properties streams, String clientId) {
        Map<String, Object> out = only(streams, ProducerConfig.configNames(), "producer.");
        out.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        out.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        out.put(ProducerConfig.ACKS_CONFIG, "all");
        out.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        out.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return out;
    }

    /** A group-less consumer that sees only committed output (Kafka Streams writes in transactions). */
    public static Map<String, Object> readCommittedConsumer(Properties streams, String clientId) {
        Map<String, Object> out = only(streams, ConsumerConfig.configNames(), "consumer.");
        out.remove(ConsumerConfig.GROUP_ID_CONFIG);
        out.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        out.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        out.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        out.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        out.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        out.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return out;
    }

    /** Keys the client knows, then {@code prefix}-ed overrides (Kafka Streams' own convention). */
    private static Map<String, Object> only(Properties streams, Set<String> known, String prefix) {
        Map<String, Object> out = new HashMap<>();
        for (String name : streams.stringPropertyNames()) {
            if (known.contains(name)) {
                out.put(name, streams.getProperty(name));
            }
        }
        for (String name : streams.stringPropertyNames()) {
            if (name.startsWith(prefix) && known.contains(name.substring(prefix.length()))) {
                out.put(name.substring(prefix.length()), streams.getProperty(name));
            }
        }
        out.remove("client.id");
        return out;
    }
}
