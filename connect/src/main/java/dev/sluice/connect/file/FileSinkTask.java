package dev.sluice.connect.file;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.parquet.ParquetRollingFile;
import org.apache.avro.Schema;
import dev.sluice.connect.PathTemplate;
import dev.sluice.connect.format.RowFileWriter;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rolling files by event time: {@code ${date}} (yyyy-MM-dd), {@code ${hour}}, {@code ${year}},
 * {@code ${month}}, {@code ${day}}, {@code ${minute}} come from the record timestamp (the row's event
 * time), in UTC; any other {@code ${name}}, or one of those when the row has such a column, is the
 * row's column value. Each (directory, topic partition) has one open file, written as a
 * hidden {@code .name.tmp} and renamed to {@code <topic>-<partition>-<first offset>.<ext>} when
 * Connect commits offsets. A restart resumes from the committed offset and writes files of the same
 * names again, so a file is either whole or absent, and rows are never doubled. Parquet files are
 * written by Apache Parquet's writer in the Avro schema the compiler planned ({@code avro.schema});
 * a file rolls after {@code rotate.records} rows or {@code rotate.bytes} bytes, and with
 * {@code rotate.interval.ms} ({@code flush_interval}) once its rows span that much event time or it has
 * been open that long (see {@link #preCommit}). When one file of a topic partition rolls, every open
 * file of that partition rolls with it: an open file under one directory would otherwise hold the
 * commit below rows already finished under another, and a restart from that commit would write them
 * into a second file (the S3 sink does the same, see its task).
 */
public final class FileSinkTask extends SinkTask {
    private String template;
    private String format;
    private int rotateRecords;
    private long rotateBytes;
    private long rotateIntervalMs;
    private Schema parquetSchema;
    private String compression;
    private final Map<String, OpenFile> open = new LinkedHashMap<>();

    /** One file being written, under a hidden temporary name until it is renamed into place. */
    private static final class OpenFile {
        final Path tmp;
        final Path target;
        final RowFileWriter rows;
        final TopicPartition partition;
        final long firstOffset;
        final long firstTimestamp;
        final long openedAt = System.currentTimeMillis();

        OpenFile(Path tmp, Path target, String format, Schema schema, String compression, TopicPartition partition,
                 long firstOffset, long firstTimestamp) throws IOException {
            this.tmp = tmp;
            this.target = target;
            this.rows = new RowFileWriter(tmp, format, schema, compression);
            this.partition = partition;
            this.firstOffset = firstOffset;
            this.firstTimestamp = firstTimestamp;
        }
    }

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = FileSinkConnector.DEF.parse(props);
        template = (String) v.get("path");
        format = RowFileWriter.normalize((String) v.get("format"));
        rotateRecords = (Integer) v.get("rotate.records");
        rotateBytes = (Long) v.get("rotate.bytes");
        rotateIntervalMs = (Long) v.get("rotate.interval.ms");
        if (format.equals("parquet") || format.equals("avro")) {
            String schema = (String) v.get("avro.schema");
            if (schema.isBlank()) {
                throw new ConnectException("format " + format + " needs avro.schema: the columns of the rows to write");
            }
            parquetSchema = new Schema.Parser().parse(schema);
        }
        if (format.equals("parquet")) {
            ParquetRollingFile.codec((String) v.get("compression")); // a bad codec fails the task at start
        }
        compression = (String) v.get("compression");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            for (SinkRecord r : records) {
                if (r.value() == null) {
                    continue; // a tombstone deletes a key: nothing to append to a file
                }
                String json = r.value().toString();
                Map<String, String> fields = template.contains("${") ? Json.fields(json) : Map.of();
                Path dir = Path.of(directory(r.timestamp(), fields));
                String key = dir + "|" + r.topic() + "|" + r.kafkaPartition();
                OpenFile f = open.get(key);
                long time = r.timestamp() == null ? System.currentTimeMillis() : r.timestamp();
                if (f != null && rotateIntervalMs > 0 && time - f.firstTimestamp >= rotateIntervalMs) {
                    closePartition(f.partition); // by event time: a restart rolls the same rows at the same place
                    f = null;
                }
                if (f == null) {
                    Files.createDirectories(dir);
                    String name = r.topic() + "-" + r.kafkaPartition() + "-" + String.format("%019d", r.kafkaOffset())
                            + RowFileWriter.extension(format);
                    f = new OpenFile(dir.resolve("." + name + ".tmp"), dir.resolve(name), format, parquetSchema, compression,
                            new TopicPartition(r.topic(), r.kafkaPartition()), r.kafkaOffset(), time);
                    open.put(key, f);
                }
                try {
                    f.rows.write(json);
                } catch (IllegalArgumentException e) {
                    throw new ConnectException("cannot write " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset()
                            + " as " + format + ": " + e.getMessage(), e);
                }
                if (f.rows.rows() >= rotateRecords || rotateBytes > 0 && f.rows.size() >= rotateBytes) {
                    closePartition(f.partition); // the next record of each directory starts a file at its own offset
                }
            }
        } catch (IOException e) {
            throw new ConnectException("cannot write files under " + template + ": " + e.getMessage(), e);
        }
    }

    /**
     * Files are made visible just before Connect commits the offsets of their records. Without
     * {@code rotate.interval.ms} every open file is finished at each commit; with it, a file stays open
     * across commits until its rows span that much event time (checked as rows arrive) or it has been
     * open that long by the clock (checked here, so the last file of a quiet stream is not held back),
     * and the commit stops below the first row of any file still open: a restart writes it again whole.
     */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        preCommit(currentOffsets); // Connect calls preCommit; flush finishes files by the same rules
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        long now = System.currentTimeMillis();
        try {
            for (String key : new ArrayList<>(open.keySet())) {
                OpenFile f = open.get(key);
                if (f != null && (rotateIntervalMs == 0 || now - f.openedAt >= rotateIntervalMs)) {
                    closePartition(f.partition);
                }
            }
        } catch (IOException e) {
            throw new ConnectException("cannot finish files under " + template + ": " + e.getMessage(), e);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new java.util.HashMap<>(currentOffsets);
        for (OpenFile f : open.values()) {
            OffsetAndMetadata current = commit.get(f.partition);
            if (current != null && current.offset() > f.firstOffset) {
                commit.put(f.partition, new OffsetAndMetadata(f.firstOffset));
            }
        }
        return commit;
    }

    private void closePartition(TopicPartition partition) throws IOException {
        for (String key : new ArrayList<>(open.keySet())) {
            if (open.get(key).partition.equals(partition)) {
                close(key);
            }
        }
    }

    private void close(String key) throws IOException {
        OpenFile f = open.remove(key);
        f.rows.close();
        Files.move(f.tmp, f.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String directory(Long timestamp, Map<String, String> fields) {
        return PathTemplate.expand(template, timestamp, fields);
    }

    @Override
    public void stop() {
        for (OpenFile f : open.values()) {
            try {
                f.rows.close();
                Files.deleteIfExists(f.tmp); // uncommitted: the restarted task writes these rows again
            } catch (IOException ignored) {
                // stopping: the temp file is hidden and replaced on restart
            }
        }
        open.clear();
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
