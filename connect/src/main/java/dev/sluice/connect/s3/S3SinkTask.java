package dev.sluice.connect.s3;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.PathTemplate;
import dev.sluice.connect.format.RowFileWriter;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Objects are written to local temporary files in the sink's format (the file sink's
 * {@link RowFileWriter}: JSON lines, CSV, Parquet, Avro) and uploaded whole (multipart past
 * {@link S3Upload#MULTIPART_THRESHOLD}); see {@link S3SinkConnector}. Without {@code rotate.interval.ms}
 * every object is uploaded when Connect commits. With it, an object stays open across commits until
 * its rows span that much event time, it reaches its size, or it has been open that long by the
 * clock; {@link #preCommit} commits only offsets below the first row of any object still open, so a
 * restart rewrites open objects whole.
 *
 * <p>When one object of a topic partition closes, every open object of that partition closes with it
 * (as Confluent's S3 sink rotates a partition's files together). Rows of one partition fan out to
 * several paths ({@code ${day}}, column templates); were they rolled one by one, an object still open
 * under one path would hold the commit below rows already uploaded under another, and a restart from
 * that commit would write those rows into a second object. Rolled together, the commit after a roll
 * is above every uploaded row, and a replay from an older commit starts every path's object at the
 * same offset as before, so it overwrites rather than doubles.
 */
public final class S3SinkTask extends SinkTask {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3SinkTask.class);
    private S3Upload upload;
    private String bucket;
    private String prefix;
    private String format;
    private Schema schema;
    private String compression;
    private long fileSize;
    private long rotateIntervalMs;
    private final Map<String, Pending> open = new LinkedHashMap<>();
    /** Objects finished but not uploaded yet (an upload failed): their rows are not committed. */
    private final java.util.List<Pending> unsent = new ArrayList<>();

    private static final class Pending {
        final String key;
        final Path file;
        final RowFileWriter rows;
        final TopicPartition partition;
        final long firstOffset;
        final long firstTimestamp;
        final long openedAt = System.currentTimeMillis();

        Pending(String key, Path file, RowFileWriter rows, TopicPartition partition, long firstOffset, long firstTimestamp) {
            this.key = key;
            this.file = file;
            this.rows = rows;
            this.partition = partition;
            this.firstOffset = firstOffset;
            this.firstTimestamp = firstTimestamp;
        }
    }

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = S3SinkConnector.DEF.parse(props);
        S3Settings settings = S3Settings.of(v);
        bucket = (String) v.get("s3.bucket");
        upload = new S3Upload(S3Clients.create(settings), settings, bucket);
        prefix = (String) v.get("s3.prefix");
        fileSize = (Long) v.get("file.size.bytes");
        rotateIntervalMs = (Long) v.get("rotate.interval.ms");
        format = RowFileWriter.normalize((String) v.get("format"));
        compression = (String) v.get("compression");
        String avro = (String) v.get("avro.schema");
        if (format.equals("parquet") || format.equals("avro")) {
            if (avro.isBlank()) {
                throw new ConnectException("format " + format + " needs avro.schema: the columns of the rows to write");
            }
            schema = new Schema.Parser().parse(avro);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        boolean variables = PathTemplate.hasVariables(prefix);
        for (SinkRecord r : records) {
            if (r.value() == null) {
                continue; // a tombstone deletes a key: objects are append-only
            }
            String json = r.value() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : r.value().toString();
            String dir = variables ? PathTemplate.expand(prefix, r.timestamp(), Json.fields(json)) : prefix;
            String slot = dir + "|" + r.topic() + "|" + r.kafkaPartition();
            long time = r.timestamp() == null ? System.currentTimeMillis() : r.timestamp();
            Pending p = open.get(slot);
            if (p != null && rotateIntervalMs > 0 && time - p.firstTimestamp >= rotateIntervalMs) {
                uploadPartition(p.partition); // by event time: the same rows roll at the same place after a restart
                p = null;
            }
            if (p == null) {
                p = open(slot, dir, r, time);
            }
            try {
                p.rows.write(json);
                if (p.rows.size() >= fileSize) {
                    uploadPartition(p.partition); // by size: the next row of each path starts an object at its own offset
                }
            } catch (IllegalArgumentException e) {
                throw new ConnectException("cannot write " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset()
                        + " as " + format + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ConnectException("cannot buffer s3://" + bucket + "/" + p.key + ": " + e.getMessage(), e);
            }
        }
    }

    private Pending open(String slot, String dir, SinkRecord r, long time) {
        String key = dir + (dir.isEmpty() || dir.endsWith("/") ? "" : "/") + r.topic() + "-" + r.kafkaPartition() + "-"
                + String.format("%019d", r.kafkaOffset()) + RowFileWriter.extension(format);
        try {
            Path file = Files.createTempFile("sluice-s3-sink-", RowFileWriter.extension(format));
            Files.delete(file); // Parquet's writer creates the file itself
            Pending p = new Pending(key, file, new RowFileWriter(file, format, schema, compression),
                    new TopicPartition(r.topic(), r.kafkaPartition()), r.kafkaOffset(), time);
            open.put(slot, p);
            return p;
        } catch (IOException e) {
            throw new ConnectException("cannot buffer s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Without a rotation interval every open object is uploaded before its rows' offsets are
     * committed; with one, only objects that are due, and the commit stops below the open ones.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            long now = System.currentTimeMillis();
            for (String slot : new ArrayList<>(open.keySet())) {
                // due at every commit without an interval; with one, also once open that long by the clock,
                // so the last object of a quiet stream is not held back until a later row arrives
                Pending p = open.get(slot);
                if (p != null && (rotateIntervalMs == 0 || now - p.openedAt >= rotateIntervalMs)) {
                    uploadPartition(p.partition);
                }
            }
            sendFinished();
            if (!unsent.isEmpty()) {
                throw new ConnectException(unsent.size() + " object(s) not uploaded, the first s3://" + bucket + "/"
                        + unsent.get(0).key);
            }
        } catch (RuntimeException e) {
            // Connect does not commit and rewinds to the last committed offsets: the rows come again,
            // and objects already uploaded since then are written again under the same names
            discardAll();
            throw new RetriableException("uploading to s3://" + bucket + " failed: " + e.getMessage(), e);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>(currentOffsets);
        for (Pending p : open.values()) { // (unsent is empty here)
            OffsetAndMetadata current = commit.get(p.partition);
            if (current != null && current.offset() > p.firstOffset) {
                commit.put(p.partition, new OffsetAndMetadata(p.firstOffset));
            }
        }
        return commit;
    }

    /** Closes and uploads every open object of the partition (see the class comment for why all of them). */
    private void uploadPartition(TopicPartition partition) {
        for (String slot : new ArrayList<>(open.keySet())) {
            if (open.get(slot).partition.equals(partition)) {
                upload(slot);
            }
        }
    }

    /** Closes the slot's object and uploads it; one that fails is kept and tried again at the next commit. */
    private void upload(String slot) {
        Pending p = open.remove(slot);
        try {
            p.rows.close();
        } catch (IOException e) {
            delete(p.file);
            throw new ConnectException("cannot finish s3://" + bucket + "/" + p.key + ": " + e.getMessage(), e);
        }
        unsent.add(p);
        sendFinished();
    }

    private void sendFinished() {
        for (java.util.Iterator<Pending> it = unsent.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            try {
                upload.file(p.key, p.file, contentType());
            } catch (SdkException | IOException e) {
                LOG.warn("uploading s3://{}/{} failed, tried again at the next commit: {}", bucket, p.key, e.getMessage());
                return;
            }
            delete(p.file);
            it.remove();
        }
    }

    private String contentType() {
        return switch (format) {
            case "csv" -> "text/csv";
            case "parquet" -> "application/vnd.apache.parquet";
            case "avro" -> "application/avro";
            default -> "application/x-ndjson";
        };
    }

    private void discardAll() {
        unsent.forEach(p -> delete(p.file));
        unsent.clear();
        for (Pending p : open.values()) {
            try {
                p.rows.close();
            } catch (IOException | RuntimeException ignored) {
                // discarded: its rows come again from the last committed offset
            }
            delete(p.file);
        }
        open.clear();
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    @Override
    public void stop() {
        discardAll(); // uncommitted rows: the restarted task receives them again
        if (upload != null) {
            upload.close();
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
