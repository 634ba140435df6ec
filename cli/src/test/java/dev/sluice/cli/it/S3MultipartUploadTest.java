package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.connect.s3.S3Clients;
import dev.sluice.connect.s3.S3Settings;
import dev.sluice.connect.s3.S3Upload;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 sink's upload of a finished object against s3rver: past the multipart threshold a file goes
 * up in 8 MiB parts and comes back byte for byte; below it, in one PUT.
 */
class S3MultipartUploadTest {

    @Test
    void anObjectPastTheThresholdIsUploadedInPartsAndReadsBackByteForByte(@TempDir Path dir) throws Exception {
        S3Server server = S3Server.shared();
        S3Settings settings = new S3Settings("us-east-1", server.endpoint(), S3Server.KEY, S3Server.KEY, "", "", "", "",
                "", false);
        String bucket = KafkaBrokerExtension.uniqueName("multipart").toLowerCase().replace('_', '-');
        Path big = dir.resolve("big.parquet");
        long size = S3Upload.MULTIPART_THRESHOLD + 3 * 1024 * 1024 + 17; // 2 full parts and a short last one
        Random random = new Random(42);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        Path small = dir.resolve("small.jsonl");
        Files.writeString(small, "{\"id\":1}\n");
        try (S3Client s3 = S3Clients.create(settings)) {
            s3.createBucket(b -> b.bucket(bucket));
            S3Upload upload = new S3Upload(S3Clients.create(settings), settings, bucket);
            assertEquals(3, upload.file("out/big.parquet", big, "application/vnd.apache.parquet"));
            assertEquals(1, upload.file("out/small.jsonl", small, "application/x-ndjson"));
            upload.close();
            byte[] back = s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/big.parquet")).asByteArray();
            assertEquals(size, back.length);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assertArrayEquals(sha.digest(Files.readAllBytes(big)), MessageDigest.getInstance("SHA-256").digest(back));
            assertEquals("{\"id\":1}\n", s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/small.jsonl")).asUtf8String());
        }
    }
}
