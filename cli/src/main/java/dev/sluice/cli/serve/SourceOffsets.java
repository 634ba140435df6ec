package dev.sluice.cli.serve;

import dev.sluice.cli.run.ClientConfigs;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per partition of each declared source read by the application: the committed offset of the
 * application's consumer group, the end offset, and the partition's stream time, the greatest event
 * time processed. That is the time Kafka Streams itself keeps per partition and commits with the
 * offset (the commit's metadata), so it is exact as of the last commit (every commit interval).
 * Only when a commit carries none (a group committed by another tool) is it estimated from the
 * records just before the committed offset, read through the source's own format.
 */
record SourceOffsets(Map<Key, long[]> positions, Map<Key, Long> latestEventTimes) {
    record Key(SourceDefinition source, TopicPartition partition) {
    }

    static SourceOffsets read(ServeContext ctx) {
        Map<Key, long[]> positions = new LinkedHashMap<>();
        Map<Key, Long> events = new LinkedHashMap<>();
        try {
            var admin = ctx.admin();
            java.util.Set<String> read = new java.util.HashSet<>();
            ctx.application().topology().describe().subtopologies().forEach(sub -> sub.nodes().forEach(n -> {
                if (n instanceof org.apache.kafka.streams.TopologyDescription.Source src && src.topicSet() != null
                        && !n.name().endsWith("-serve-source")) {
                    read.addAll(src.topicSet());
                }
            }));
            // the declared sources the application reads (not its own sinks, not streams only queried on demand)
            List<SourceDefinition> sources = ctx.application().sources().stream()
                    .filter(s -> read.contains(s.format().topic()))
                    .filter(s -> ctx.application().queries().stream().noneMatch(q -> q.persistent()
                            && q.outputTopic().equals(s.format().topic())))
                    .toList();
            var topics = sources.stream().map(s -> s.format().topic()).distinct().toList();
            var described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            described.forEach((t, d) -> d.partitions().forEach(p -> latest.put(new TopicPartition(t, p.partition()),
                    OffsetSpec.latest())));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(ctx.props().getProperty("application.id"))
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            for (SourceDefinition s : sources) {
                for (TopicPartition tp : latest.keySet()) {
                    if (!tp.topic().equals(s.format().topic())) {
                        continue;
                    }
                    OffsetAndMetadata c = committed.get(tp);
                    positions.put(new Key(s, tp), new long[]{c == null ? -1 : c.offset(), ends.get(tp).offset()});
                }
            }
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    ClientConfigs.readCommittedConsumer(ctx.props(), ctx.props().getProperty("application.id") + "-serve-watermarks"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                for (var e : positions.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey().partition());
                    Long streamTime = c == null ? null : committedStreamTime(c.metadata());
                    events.put(e.getKey(), streamTime != null ? streamTime : lastEventTime(consumer, e.getKey(), e.getValue()[0]));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read offsets from Kafka: " + e.getMessage(), e);
        }
        return new SourceOffsets(positions, events);
    }

    /**
     * The partition time Kafka Streams commits with each offset: base64 of a version byte (1, or 2 when
     * processor metadata follows) and the time as a big-endian long; -1 while unknown. Null when the
     * metadata is not that.
     */
    static Long committedStreamTime(String metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        try {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(metadata));
            byte version = buffer.get();
            if ((version != 1 && version != 2) || buffer.remaining() < Long.BYTES) {
                return null;
            }
            long time = buffer.getLong();
            return time < 0 ? null : time;
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException notOurs) {
            return null;
        }
    }

    /** The greatest event time among the last few records processed before {@code committed}; null if none. */
    private static Long lastEventTime(KafkaConsumer<byte[], byte[]> consumer, Key key, long committed) {
        if (committed <= 0) {
            return null;
        }
        TopicPartition tp = key.partition();
        long from = Math.max(0, committed - 20);
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        Deserializer<Row> values = new FormatSerdeFactory().value(key.source().schema(), key.source().format()).deserializer();
        Long max = null;
        long deadline = System.currentTimeMillis() + 2000;
        while (consumer.position(tp) < committed && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.offset() >= committed) {
                    break;
                }
                long t = r.timestamp();
                if (key.source().rowtimeColumn().isPresent() && r.value() != null) {
                    try {
                        Row row = values.deserialize(tp.topic(), r.value());
                        if (row != null && row.get(key.source().rowtimeColumn().getAsInt()) instanceof Long l) {
                            t = l;
                        }
                    } catch (RuntimeException malformed) {
                        continue; // the pipeline skipped it too
                    }
                }
                max = max == null ? t : Math.max(max, t);
            }
        }
        return max;
    }
}
