package dev.sluice.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The run's Kafka Streams configuration: a long commit interval must not make Kafka Streams refuse to start. */
class StreamsPropertiesTest {

    @Test
    void aCommitIntervalLongerThanTheDefaultTransactionTimeoutLengthensTheTimeoutSoStreamsAcceptsIt() {
        Properties p = StreamsProperties.build("app", Map.of("commit.interval.ms", "60000"), "localhost:1", Path.of("/tmp/x"));
        assertEquals("70000", p.get("producer.transaction.timeout.ms"));
        // Kafka Streams' own check (it throws IllegalArgumentException when the timeout is shorter)
        new StreamsConfig(p).getProducerConfigs("client");
    }

    @Test
    void anExplicitTransactionTimeoutOrAShortCommitIntervalIsLeftAlone() {
        Properties set = StreamsProperties.build("app", Map.of("commit.interval.ms", "60000",
                "producer.transaction.timeout.ms", "90000"), "localhost:1", Path.of("/tmp/x"));
        assertEquals("90000", set.get("producer.transaction.timeout.ms"));
        assertNull(StreamsProperties.build("app", Map.of(), "localhost:1", Path.of("/tmp/x"))
                .get("producer.transaction.timeout.ms"));
    }

    @Test
    void retriesStartAfterTenMillisecondsAndStillBackOffToASecond() {
        Properties p = StreamsProperties.build("app", Map.of(), "localhost:1", Path.of("/tmp/x"));
        StreamsConfig config = new StreamsConfig(p);
        // Kafka Streams' InternalTopicManager sleeps this long after each internal topic it creates
        assertEquals(10L, config.getLong(StreamsConfig.RETRY_BACKOFF_MS_CONFIG));
        // its clients start their exponential backoff there and keep Kafka's 1 s ceiling
        Map<String, Object> consumer = config.getMainConsumerConfigs("app", "client", 0);
        assertEquals("10", String.valueOf(consumer.get("retry.backoff.ms")));
        assertNull(consumer.get("retry.backoff.max.ms"));
        assertEquals("10", String.valueOf(config.getProducerConfigs("client").get("retry.backoff.ms")));
        // SET or --config (or a script's retry_backoff_ms) still wins
        assertEquals("250", StreamsProperties.build("app", Map.of("retry.backoff.ms", "250"), "localhost:1",
                Path.of("/tmp/x")).get("retry.backoff.ms"));
    }
}
