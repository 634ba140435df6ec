package dev.sluice.connect.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An S3 client for {@link S3Settings}. Payloads are signed whole rather than sent aws-chunked,
 * and checksums are computed only where S3 requires them: some S3-compatible servers store an
 * aws-chunked body verbatim (the object then begins {@code 47;chunk-signature=...}).
 */
public final class S3Clients {
    private S3Clients() {
    }

    public static S3Client create(S3Settings s) {
        AwsCredentialsProvider base = s.accessKeyId().isEmpty() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
        AwsCredentialsProvider credentials = base;
        Region region = Region.of(s.region());
        if (!s.roleArn().isEmpty()) {
            var stsBuilder = StsClient.builder().region(region).credentialsProvider(base)
                    .httpClientBuilder(UrlConnectionHttpClient.builder());
            String stsEndpoint = environment("aws.endpointUrlSts", "AWS_ENDPOINT_URL_STS");
            if (!stsEndpoint.isEmpty()) {
                // a private STS (an STS VPC endpoint, a test server), named as the AWS SDKs name it
                stsBuilder.endpointOverride(URI.create(stsEndpoint));
            }
            StsClient sts = stsBuilder.build();
            credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts).refreshRequest(r -> {
                r.roleArn(s.roleArn()).roleSessionName(s.sessionName());
                if (!s.externalId().isEmpty()) {
                    r.externalId(s.externalId());
                }
            }).build();
        }
        var builder = S3Client.builder().region(region).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        String endpoint = s.endpoint().isEmpty() ? environmentEndpoint() : s.endpoint();
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    /**
     * The AWS SDKs' standard way to point every S3 client of a machine at an S3-compatible server
     * (MinIO, Ceph, a test server) without an {@code endpoint} option: {@code AWS_ENDPOINT_URL_S3}
     * or {@code AWS_ENDPOINT_URL} in the environment, or the {@code aws.endpointUrlS3} /
     * {@code aws.endpointUrl} system properties. Such servers want path-style addressing.
     */
    static String environmentEndpoint() {
        String s3 = environment("aws.endpointUrlS3", "AWS_ENDPOINT_URL_S3");
        return s3.isEmpty() ? environment("aws.endpointUrl", "AWS_ENDPOINT_URL") : s3;
    }

    /** A system property, else the environment variable, else empty. */
    private static String environment(String property, String variable) {
        String v = System.getProperty(property, System.getenv(variable));
        return v == null || v.isBlank() ? "" : v.strip();
    }

    /** The SSE-C key's MD5, base64, as S3 wants it beside the key. */
    public static String keyMd5(String base64Key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                    .digest(Base64.getDecoder().decode(base64Key.getBytes(StandardCharsets.US_ASCII))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
