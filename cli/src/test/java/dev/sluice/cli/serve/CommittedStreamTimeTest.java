package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.apache.kafka.streams.processor.internals.ProcessorMetadata;
import org.apache.kafka.streams.processor.internals.TopicPartitionMetadata;
import org.junit.jupiter.api.Test;

/**
 * SYSTEM.WATERMARKS reads each source partition's stream time from the metadata Kafka Streams commits
 * with the offset; Kafka Streams' own encoder is the oracle for the format, so an upgrade that
 * changes it fails here rather than showing wrong watermarks.
 */
class CommittedStreamTimeTest {

    @Test
    void readsThePartitionTimeKafkaStreamsCommitsWithAndWithoutProcessorMetadata() {
        assertEquals(1_700_000_005_000L, SourceOffsets.committedStreamTime(
                new TopicPartitionMetadata(1_700_000_005_000L, new ProcessorMetadata()).encode()));
        assertEquals(42L, SourceOffsets.committedStreamTime(
                new TopicPartitionMetadata(42L, new ProcessorMetadata(Map.of("some-processor", 7L))).encode()));
    }

    @Test
    void anUnknownTimeOrForeignMetadataIsNoStreamTime() {
        assertNull(SourceOffsets.committedStreamTime(new TopicPartitionMetadata(-1L, new ProcessorMetadata()).encode()));
        assertNull(SourceOffsets.committedStreamTime(""));
        assertNull(SourceOffsets.committedStreamTime(null));
        assertNull(SourceOffsets.committedStreamTime("committed by kafka-consumer-groups"));
    }
}
