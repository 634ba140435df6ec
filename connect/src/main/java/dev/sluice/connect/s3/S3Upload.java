package dev.sluice.connect.s3;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads a local file as one object: a single PUT up to {@link #MULTIPART_THRESHOLD}, a multipart
 * upload of {@link #PART_SIZE} parts beyond (S3 takes at most 5 GiB in one PUT, and a failed part is
 * cheaper to repeat than a whole object). A multipart upload that fails is aborted, so no parts are
 * left billed in the bucket. SSE-C and requester-pays go with every request.
 */
public final class S3Upload implements AutoCloseable {
    public static final long MULTIPART_THRESHOLD = 16L << 20;
    public static final int PART_SIZE = 8 << 20;
    private final S3Client s3;
    private final S3Settings settings;
    private final String bucket;

    public S3Upload(S3Client s3, S3Settings settings, String bucket) {
        this.s3 = s3;
        this.settings = settings;
        this.bucket = bucket;
    }

    /** Returns the number of parts (1 for a single PUT). */
    public int file(String key, Path file, String contentType) throws IOException {
        long size = Files.size(file);
        if (size <= MULTIPART_THRESHOLD) {
            PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType);
            if (sseC()) {
                request.sseCustomerAlgorithm(algorithm()).sseCustomerKey(settings.sseCustomerKey())
                        .sseCustomerKeyMD5(S3Clients.keyMd5(settings.sseCustomerKey()));
            }
            if (settings.requesterPays()) {
                request.requestPayer(RequestPayer.REQUESTER);
            }
            s3.putObject(request.build(), RequestBody.fromFile(file));
            return 1;
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .contentType(contentType);
        if (sseC()) {
            create.sseCustomerAlgorithm(algorithm()).sseCustomerKey(settings.sseCustomerKey())
                    .sseCustomerKeyMD5(S3Clients.keyMd5(settings.sseCustomerKey()));
        }
        if (settings.requesterPays()) {
            create.requestPayer(RequestPayer.REQUESTER);
        }
        String id = s3.createMultipartUpload(create.build()).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[PART_SIZE];
            for (int number = 1; ; number++) {
                int n = in.readNBytes(buffer, 0, PART_SIZE);
                if (n == 0) {
                    break;
                }
                UploadPartRequest.Builder part = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id)
                        .partNumber(number).contentLength((long) n);
                if (sseC()) {
                    part.sseCustomerAlgorithm(algorithm()).sseCustomerKey(settings.sseCustomerKey())
                            .sseCustomerKeyMD5(S3Clients.keyMd5(settings.sseCustomerKey()));
                }
                if (settings.requesterPays()) {
                    part.requestPayer(RequestPayer.REQUESTER);
                }
                String etag = s3.uploadPart(part.build(), RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, n))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                    .requestPayer(settings.requesterPays() ? RequestPayer.REQUESTER : null));
            return parts.size();
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private boolean sseC() {
        return !settings.sseCustomerKey().isEmpty();
    }

    private String algorithm() {
        return settings.sseCustomerAlgorithm().isEmpty() ? "AES256" : settings.sseCustomerAlgorithm();
    }

    @Override
    public void close() {
        s3.close();
    }
}
