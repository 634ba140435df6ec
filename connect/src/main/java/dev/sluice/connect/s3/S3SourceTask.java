package dev.sluice.connect.s3;

import dev.sluice.connect.ConnectorVersion;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** One object per poll at most, read from the line its offset says; see {@link S3SourceConnector}. */
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

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = S3SourceConnector.DEF.parse(props);
        settings = S3Settings.of(v);
        s3 = S3Clients.create(settings);
        bucket = (String) v.get("s3.bucket");
        keys = new S3Keys((String) v.get("s3.keys"));
        topic = (String) v.get("topic");
        intervalMs = (Long) v.get("poll.interval.ms");
    }

    private Map<String, String> partition(String key) {
        return Map.of("bucket", bucket, "key", key);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        try {
            if (pending.isEmpty()) {
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
            return read(pending.remove(0));
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
        List<SourceRecord> out = new ArrayList<>();
        long line = 0;
        try (InputStream raw = s3.getObject(request.build());
             BufferedReader r = new BufferedReader(new InputStreamReader(key.endsWith(".gz") ? new GZIPInputStream(raw) : raw,
                     StandardCharsets.UTF_8))) {
            String text;
            while ((text = r.readLine()) != null) {
                line++;
                if (line <= from || text.isBlank()) {
                    continue;
                }
                out.add(new SourceRecord(partition(key), Map.of("line", line), topic, null, null, null, text));
            }
        }
        done.put(key, line);
        return out.isEmpty() ? null : out;
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
