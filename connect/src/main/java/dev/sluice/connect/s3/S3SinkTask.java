package dev.sluice.connect.s3;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.PathTemplate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.RequestPayer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Objects in memory until uploaded; see {@link S3SinkConnector}. */
public final class S3SinkTask extends SinkTask {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3SinkTask.class);
    private S3Client s3;
    private S3Settings settings;
    private String bucket;
    private String prefix;
    private long fileSize;
    private final Map<String, Pending> open = new LinkedHashMap<>();

    private static final class Pending {
        final String key;
        final StringBuilder body = new StringBuilder();

        Pending(String key) {
            this.key = key;
        }
    }

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = S3SinkConnector.DEF.parse(props);
        settings = S3Settings.of(v);
        s3 = S3Clients.create(settings);
        bucket = (String) v.get("s3.bucket");
        prefix = (String) v.get("s3.prefix");
        fileSize = (Long) v.get("file.size.bytes");
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
            Pending p = open.computeIfAbsent(slot, k -> new Pending(dir + (dir.isEmpty() || dir.endsWith("/") ? "" : "/")
                    + r.topic() + "-" + r.kafkaPartition() + "-" + String.format("%019d", r.kafkaOffset()) + ".jsonl"));
            p.body.append(json.replace('\n', ' ')).append('\n');
            if (p.body.length() >= fileSize) {
                // size-based rolling: the next row of this prefix starts an object at its own offset
                try {
                    upload(slot);
                } catch (SdkException e) {
                    LOG.warn("uploading s3://{}/{} failed, retried at the next commit: {}", bucket, p.key, e.getMessage());
                }
            }
        }
    }

    /** Objects are uploaded before Connect commits the offsets of their rows. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            for (String slot : new ArrayList<>(open.keySet())) {
                upload(slot);
            }
        } catch (SdkException e) {
            // Connect does not commit and rewinds to the last committed offsets: the rows come again,
            // and objects already uploaded since then are written again under the same names
            open.clear();
            throw new RetriableException("uploading to s3://" + bucket + " failed: " + e.getMessage(), e);
        }
    }

    private void upload(String slot) {
        Pending p = open.get(slot);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(p.key)
                .contentType("application/x-ndjson");
        if (!settings.sseCustomerKey().isEmpty()) {
            request.sseCustomerAlgorithm(settings.sseCustomerAlgorithm().isEmpty() ? "AES256" : settings.sseCustomerAlgorithm())
                    .sseCustomerKey(settings.sseCustomerKey()).sseCustomerKeyMD5(S3Clients.keyMd5(settings.sseCustomerKey()));
        }
        if (settings.requesterPays()) {
            request.requestPayer(RequestPayer.REQUESTER);
        }
        s3.putObject(request.build(), RequestBody.fromString(p.body.toString(), StandardCharsets.UTF_8));
        open.remove(slot);
    }

    @Override
    public void stop() {
        open.clear(); // uncommitted rows: the restarted task receives them again
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
