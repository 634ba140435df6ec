package dev.sluice.bench.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the input in order at a steady rate on a thread of its own: each record at the wall time its
 * event time maps to ({@code eventsPerSecond} feedback events a second), so a pause (the broker being
 * down) is followed by a catch-up burst, as a real upstream would do. Idempotent with unbounded
 * retries within a five-minute delivery timeout, so that a broker restart neither loses nor doubles
 * a record; {@link ChaosRun} still counts what the topics hold.
 */
final class SteadyProducer {
    private final Thread thread;
    private final int total;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private SteadyProducer(String bootstrap, ChaosInput input, int eventsPerSecond, long eventStepMs) {
        List<ChaosInput.Event> events = input.events();
        this.total = events.size();
        double wallNanosPerEventMs = 1_000_000_000.0 / (eventsPerSecond * (double) eventStepMs);
        this.thread = new Thread(() -> {
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                long start = System.nanoTime();
                for (ChaosInput.Event e : events) {
                    long due = start + (long) ((e.timestamp() - input.base()) * wallNanosPerEventMs);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    producer.send(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.key(), e.json()), (m, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
                    sent.incrementAndGet();
                }
                producer.flush();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }, "chaos-producer");
    }

    static SteadyProducer start(String bootstrap, ChaosInput input, int eventsPerSecond, long eventStepMs) {
        SteadyProducer p = new SteadyProducer(bootstrap, input, eventsPerSecond, eventStepMs);
        p.thread.start();
        return p;
    }

    /** Writes records at once, in order, and waits for every acknowledgement. */
    static void sendAll(String bootstrap, List<ChaosInput.Event> events) throws Exception {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (ChaosInput.Event e : events) {
                producer.send(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.key(), e.json())).get();
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000), new StringSerializer(), new StringSerializer());
    }

    boolean running() {
        return thread.isAlive();
    }

    int sent() {
        return sent.get();
    }

    int total() {
        return total;
    }

    /** Waits until every record is acknowledged; returns how many were sent. */
    long await(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new IllegalStateException("the input producer did not finish within " + timeout.toSeconds() + " s");
        }
        return sent.get();
    }

    Optional<Exception> failure() {
        return Optional.ofNullable(failure.get());
    }
}
