package dev.sluice.cli.run;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pauses reading of single source topics while the rest of the application goes on: what
 * {@code ALTER STREAM orders PAUSE} means. Kafka Streams pauses a whole client only
 * ({@code KafkaStreams.pause()}), and all queries of a script share one client (and, where the
 * optimizer shares sub-plans, sub-topologies), so the pause is applied where Kafka Streams reads:
 * each stream thread's consumer pauses the assigned partitions of the paused topics. Records wait in
 * Kafka, stream time of those partitions stands still, nothing is lost or skipped; a query whose
 * inputs are all paused makes no progress, a query reading other topics too goes on with those.
 *
 * <p>The consumer is only touched from its own stream thread, inside its {@code poll}: a pause takes
 * effect at the thread's next poll (well under a second). Kafka Streams pauses and resumes
 * partitions itself (full buffers, restoring tasks); those calls pass through, except that a resume
 * of a paused topic's partition waits for the user's RESUME.
 */
public final class SourcePauses {
    private static final Duration WAIT_FOR_THREADS = Duration.ofSeconds(30);

    private final Set<String> pausedTopics = ConcurrentHashMap.newKeySet();
    private final Set<PausingConsumer> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();

    /**
     * Pauses {@code topics} and returns once every stream thread has begun a poll with the pause in
     * place: a record written after this returns is not read until {@link #resume}. Records fetched
     * before, already in a task's buffer, are still processed.
     */
    public void pause(Collection<String> topics) {
        pausedTopics.addAll(topics);
        awaitApplied(generation.incrementAndGet());
    }

    /** Resumes {@code topics} and returns once every stream thread reads them again. */
    public void resume(Collection<String> topics) {
        pausedTopics.removeAll(topics);
        awaitApplied(generation.incrementAndGet());
    }

    private void awaitApplied(long target) {
        long deadline = System.nanoTime() + WAIT_FOR_THREADS.toNanos();
        while (live.stream().anyMatch(c -> c.applied < target)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a stream thread did not poll within " + WAIT_FOR_THREADS.toSeconds()
                        + " s; the change applies at its next poll");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean isPaused(String topic) {
        return pausedTopics.contains(topic);
    }

    public Set<String> paused() {
        return Set.copyOf(pausedTopics);
    }

    /** Kafka Streams' clients, with each stream thread's main consumer honouring the pauses. */
    public KafkaClientSupplier clientSupplier() {
        return new KafkaClientSupplier() {
            @Override
            public Admin getAdmin(Map<String, Object> config) {
                return Admin.create(config);
            }

            @Override
            public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
                return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }

            @Override
            public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
                return pausing(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }

            @Override
            public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
                return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }

            @Override
            public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
                return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }
        };
    }

    @SuppressWarnings("unchecked")
    private Consumer<byte[], byte[]> pausing(Consumer<byte[], byte[]> consumer) {
        PausingConsumer handler = new PausingConsumer(consumer);
        live.add(handler);
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[]{Consumer.class}, handler);
    }

    /** Every call goes to the consumer; poll first applies the pauses, resume keeps paused topics paused. */
    private final class PausingConsumer implements InvocationHandler {
        private final Consumer<byte[], byte[]> delegate;
        private final Set<TopicPartition> pausedByStreams = new HashSet<>();
        private final Set<TopicPartition> pausedHere = new HashSet<>();
        /** The generation of pauses the last poll applied; written by the stream thread only. */
        private volatile long applied = -1;

        PausingConsumer(Consumer<byte[], byte[]> delegate) {
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "poll" -> apply();
                case "close" -> live.remove(this);
                case "pause" -> pausedByStreams.addAll((Collection<TopicPartition>) args[0]);
                case "resume" -> {
                    Collection<TopicPartition> asked = (Collection<TopicPartition>) args[0];
                    pausedByStreams.removeAll(asked);
                    delegate.resume(asked.stream().filter(tp -> !pausedTopics.contains(tp.topic())).toList());
                    return null;
                }
                case "paused" -> {
                    // Kafka Streams sees the partitions it paused, not ours
                    Set<TopicPartition> visible = new HashSet<>(delegate.paused());
                    pausedHere.stream().filter(tp -> !pausedByStreams.contains(tp)).forEach(visible::remove);
                    return visible;
                }
                default -> {
                }
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void apply() {
            long seen = generation.get(); // before reading the topics: pause() changes them, then the generation
            Set<TopicPartition> assigned = delegate.assignment();
            pausedHere.retainAll(assigned);
            List<TopicPartition> toPause = assigned.stream()
                    .filter(tp -> pausedTopics.contains(tp.topic()) && !pausedHere.contains(tp)).toList();
            if (!toPause.isEmpty()) {
                delegate.pause(toPause);
                pausedHere.addAll(toPause);
            }
            List<TopicPartition> released = pausedHere.stream().filter(tp -> !pausedTopics.contains(tp.topic())).toList();
            if (!released.isEmpty()) {
                released.forEach(pausedHere::remove);
                delegate.resume(released.stream().filter(tp -> !pausedByStreams.contains(tp)).toList());
            }
            applied = seen;
        }
    }
}
