package dev.sluice.connect.s3;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.format.RowCursor;
import dev.sluice.connect.format.RowReadingConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One object at a time, up to 1000 rows a poll, read from the row its offset says; see {@link S3SourceConnector}. */
public final class S3SourceTask extends SourceTask {
    private S3Client s3;
    private S3Settings settings;
    private String bucket;
    private S3Keys keys;
    private String topic;
    private long intervalMs;
    private long nextList;
    private final List<String> pending = new ArrayList<>();
    /** Lines already written per key, for keys seen by this task (objects do not change once written). */
    private final Map<String, Long> done = new HashMap<>();
    private static final int BATCH = 1000;
    private String format;
    private RowCursor.Csv csv;
    /** The object being read, across polls (a large object is streamed in batches). */
    private RowCursor cursor;
    private String cursorKey;

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = S3SourceConnector.DEF.parse(props);
        settings = S3Settings.of(v);
        s3 = S3Clients.create(settings);
        bucket = (String) v.get("s3.bucket");
        keys = new S3Keys((String) v.get("s3.keys"));
        topic = (String) v.get("topic");
        intervalMs = (Long) v.get("poll.interval.ms");
        format = (String) v.get("format");
        csv = RowReadingConfig.csv(v);
    }

    private Map<String, String> partition(String key) {
        return Map.of("bucket", bucket, "key", key);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        try {
            if (pending.isEmpty() && cursor == null) {
                long wait = nextList - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(Math.min(wait, 500));
                    return null;
                }
                nextList = System.currentTimeMillis() + intervalMs;
                list();
                if (pending.isEmpty()) {
                    return null;
                }
            }
            String key = cursorKey != null ? cursorKey : pending.get(0);
            List<SourceRecord> rows = read(key);
            if (cursor == null) {
                pending.remove(key);
            }
            return rows;
        } catch (SdkException | IOException e) {
            throw new ConnectException("reading s3://" + bucket + "/" + keys.pattern() + " failed: " + e.getMessage(), e);
        }
    }

    private void list() {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(keys.listPrefix());
        if (settings.requesterPays()) {
            request.requestPayer(RequestPayer.REQUESTER);
        }
        for (S3Object o : s3.listObjectsV2Paginator(request.build()).contents()) {
            if (keys.matches(o.key()) && !done.containsKey(o.key())) {
                pending.add(o.key());
            }
        }
        pending.sort(null);
    }

    private List<SourceRecord> read(String key) throws IOException {
        if (cursor == null) {
            Map<String, Object> offset = context.offsetStorageReader().offset(partition(key));
            long from = offset == null ? 0 : ((Number) offset.get("line")).longValue();
            GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
            if (!settings.sseCustomerKey().isEmpty()) {
                request.sseCustomerAlgorithm(settings.sseCustomerAlgorithm().isEmpty() ? "AES256" : settings.sseCustomerAlgorithm())
                        .sseCustomerKey(settings.sseCustomerKey()).sseCustomerKeyMD5(S3Clients.keyMd5(settings.sseCustomerKey()));
            }
            if (settings.requesterPays()) {
                request.requestPayer(RequestPayer.REQUESTER);
            }
            cursor = RowCursor.open(format, key, s3.getObject(request.build()), from, csv,
                    Files.createTempFile("sluice-s3-", ".object"));
            cursorKey = key;
        }
        List<SourceRecord> out = new ArrayList<>();
        try {
            String row;
            while (out.size() < BATCH && (row = cursor.next()) != null) {
                out.add(new SourceRecord(partition(key), Map.of("line", cursor.position()), topic, null, null, null, row));
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("s3://" + bucket + "/" + key + " after row " + cursor.position() + ": " + e.getMessage(), e);
        }
        if (out.size() < BATCH) { // the object's end: it is not read again by this task
            done.put(key, cursor.position());
            closeCursor();
        }
        return out.isEmpty() ? null : out;
    }

    private void closeCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (IOException ignored) {
                // a finished or abandoned read: nothing to save
            }
            cursor = null;
            cursorKey = null;
        }
    }

    @Override
    public void stop() {
        closeCursor();
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
