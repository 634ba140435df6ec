package dev.sluice.connect.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.connect.format.RowFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sink's {@code flush_interval} (rotate.interval.ms) on real files: a file stays open across
 * commits, and the commit stops below its first row, until its rows span the interval of event time;
 * then it is renamed into place and the commit moves on. And the file source reading Avro object
 * container files (as written by the file sink's own writer), resuming after the rows it delivered.
 */
class FileSinkRollingAndAvroReadTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"kind\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    @Test
    void aFileStaysOpenAcrossCommitsUntilItsRowsSpanTheFlushIntervalAndCommitsStopBelowIt(@TempDir Path dir) throws Exception {
        FileSinkTask task = new FileSinkTask();
        task.start(Map.of("path", dir + "/out/", "format", "jsonl", "rotate.interval.ms", "300000"));
        TopicPartition tp = new TopicPartition("events", 0);
        long t0 = 1_700_000_000_000L;
        task.put(List.of(record(10, t0, "{\"id\":1,\"kind\":\"a\"}"), record(11, t0 + 60_000, "{\"id\":2,\"kind\":null}")));
        assertEquals(Map.of(tp, new OffsetAndMetadata(10)), task.preCommit(Map.of(tp, new OffsetAndMetadata(12))),
                "the rows of an open file are not committed");
        assertEquals(List.of(), visible(dir.resolve("out")));

        task.put(List.of(record(12, t0 + 300_000, "{\"id\":3,\"kind\":\"c\"}"))); // five minutes of event time later
        assertEquals(Map.of(tp, new OffsetAndMetadata(12)), task.preCommit(Map.of(tp, new OffsetAndMetadata(13))));
        assertEquals(List.of("events-0-0000000000000000010.jsonl"), visible(dir.resolve("out")));
        assertEquals(List.of("{\"id\":1,\"kind\":\"a\"}", "{\"id\":2,\"kind\":null}"),
                Files.readAllLines(dir.resolve("out/events-0-0000000000000000010.jsonl")));
        task.stop();
        assertEquals(List.of("events-0-0000000000000000010.jsonl"), visible(dir.resolve("out")),
                "the open file is discarded on stop: its rows come again from the commit");
        try (Stream<Path> all = Files.list(dir.resolve("out"))) {
            assertEquals(1, all.count(), "no temporary file is left behind");
        }
    }

    /**
     * Rows of one partition under two directories: rolling one directory's file rolls the other's,
     * so the commit passes every finished row and a replay from before it (the commit lost) writes
     * the same files again under the same names; no row is in two files.
     */
    @Test
    void aRollFinishesEveryOpenFileOfThePartitionSoAReplayNeverDoublesARow(@TempDir Path dir) throws Exception {
        TopicPartition tp = new TopicPartition("events", 0);
        long t0 = 1_700_000_000_000L;
        List<SinkRecord> input = List.of(record(10, t0, "{\"id\":1,\"kind\":\"a\"}"),
                record(11, t0, "{\"id\":2,\"kind\":\"b\"}"), record(12, t0 + 1_000, "{\"id\":3,\"kind\":\"a\"}"),
                record(13, t0 + 300_000, "{\"id\":4,\"kind\":\"a\"}"));
        for (int run = 1; run <= 2; run++) {
            FileSinkTask task = new FileSinkTask();
            task.start(Map.of("path", dir + "/out/${kind}/", "format", "jsonl", "rotate.interval.ms", "300000"));
            task.put(input);
            assertEquals(Map.of(tp, new OffsetAndMetadata(13)), task.preCommit(Map.of(tp, new OffsetAndMetadata(14))),
                    "run " + run + ": directory a's roll finished directory b's file too");
            task.stop();
            assertEquals(List.of("events-0-0000000000000000010.jsonl"), visible(dir.resolve("out/a")), "run " + run);
            assertEquals(List.of("events-0-0000000000000000011.jsonl"), visible(dir.resolve("out/b")), "run " + run);
        }
        assertEquals(List.of("{\"id\":1,\"kind\":\"a\"}", "{\"id\":3,\"kind\":\"a\"}"),
                Files.readAllLines(dir.resolve("out/a/events-0-0000000000000000010.jsonl")));
        assertEquals(List.of("{\"id\":2,\"kind\":\"b\"}"), Files.readAllLines(dir.resolve("out/b/events-0-0000000000000000011.jsonl")));
    }

    @Test
    void withoutAFlushIntervalEveryCommitFinishesTheFiles(@TempDir Path dir) throws Exception {
        FileSinkTask task = new FileSinkTask();
        task.start(Map.of("path", dir + "/out/", "format", "jsonl"));
        TopicPartition tp = new TopicPartition("events", 0);
        task.put(List.of(record(4, 1_700_000_000_000L, "{\"id\":1,\"kind\":\"a\"}")));
        assertEquals(Map.of(tp, new OffsetAndMetadata(5)), task.preCommit(Map.of(tp, new OffsetAndMetadata(5))));
        assertEquals(List.of("events-0-0000000000000000004.jsonl"), visible(dir.resolve("out")));
        task.stop();
    }

    @Test
    void avroContainerFilesAreReadRowByRowWithTheirDirectoryPartitionsAndARestartResumesAfterTheDeliveredRows(
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("day=2024-01-15/part-0.avro");
        Files.createDirectories(file.getParent());
        try (RowFileWriter w = new RowFileWriter(file, "avro", new Schema.Parser().parse(SCHEMA), "deflate")) {
            w.write("{\"id\":1,\"kind\":\"a\"}");
            w.write("{\"id\":2,\"kind\":null}");
            w.write("{\"id\":3,\"kind\":\"c\"}");
        }
        Map<String, String> props = Map.of("path", dir + "/day=*/*.avro", "topic", "t", "format", "avro",
                "partition.columns", "day", "columns", "id:BIGINT;kind:VARCHAR;day:VARCHAR", "batch.size", "2");
        FileSourceTask first = new FileSourceTask();
        first.initialize(context(null));
        first.start(props);
        List<SourceRecord> batch = first.poll();
        assertEquals(List.of("{\"id\":1,\"kind\":\"a\",\"day\":\"2024-01-15\"}", "{\"id\":2,\"kind\":null,\"day\":\"2024-01-15\"}"),
                batch.stream().map(r -> (String) r.value()).toList());
        first.stop();

        // a restart from the offset of the last record delivered reads only the third row
        FileSourceTask second = new FileSourceTask();
        second.initialize(context(batch.get(1).sourceOffset()));
        second.start(props);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<SourceRecord> more = second.poll();
            if (more != null) {
                more.forEach(r -> rest.add((String) r.value()));
            }
        }
        assertEquals(List.of("{\"id\":3,\"kind\":\"c\",\"day\":\"2024-01-15\"}"), rest);
        second.stop();
    }

    private static SourceTaskContext context(Map<String, ?> offset) {
        OffsetStorageReader reader = new OffsetStorageReader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return (Map<String, Object>) offset;
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(java.util.Collection<Map<String, T>> partitions) {
                throw new UnsupportedOperationException();
            }
        };
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return reader;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null; // the tasks register no metrics
            }
        };
    }

    private static SinkRecord record(long offset, long timestamp, String json) {
        return new SinkRecord("events", 0, null, null, null, json, offset, timestamp, TimestampType.CREATE_TIME);
    }

    private static List<String> visible(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
