package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerSmokeTest {

    @Test
    void aProducedRecordIsConsumedBackWithItsKeyValueAndTimestamp(EmbeddedKafkaBroker broker) throws Exception {
        String topic = KafkaBrokerExtension.uniqueName("smoke");
        broker.createTopic(topic, 2);

        RecordMetadata written;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            written = producer.send(new ProducerRecord<>(topic, 1, 1_700_000_000_000L, "k1", "hello")).get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, written.partition());
        assertEquals(0, written.offset());

        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            // assign, not subscribe: no consumer group, so no rebalance to wait for
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        assertEquals(1, read.size());
        ConsumerRecord<String, String> record = read.get(0);
        assertEquals("k1", record.key());
        assertEquals("hello", record.value());
        assertEquals(1, record.partition());
        assertEquals(1_700_000_000_000L, record.timestamp());
    }

    @Test
    void everyParameterInTheJvmGetsTheSameRunningBroker(EmbeddedKafkaBroker first, EmbeddedKafkaBroker second) {
        assertSame(first, second);
        assertEquals(true, first.isAlive());
    }
}
