package dev.sluice.connect.s3;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

import java.util.Map;

/**
 * How to reach a bucket, as seed 001 writes it: region, an endpoint for S3-compatible servers
 * (path-style addressing then), static keys or the SDK's default chain, an STS role to assume
 * ({@code role_arn}, {@code session_name}, {@code external_id}), SSE-C ({@code AES256} and a
 * base64 256-bit key) and requester-pays.
 */
public record S3Settings(String region, String endpoint, String accessKeyId, String secretAccessKey, String roleArn,
                         String sessionName, String externalId, String sseCustomerAlgorithm, String sseCustomerKey,
                         boolean requesterPays) {

    /** The connection options every S3 connector takes. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define("s3.region", ConfigDef.Type.STRING, "us-east-1", ConfigDef.Importance.HIGH, "AWS region")
                .define("s3.endpoint", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "an S3-compatible endpoint (path-style addressing); empty: AWS")
                .define("s3.access.key.id", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                        "static access key; empty: the SDK's default credentials chain")
                .define("s3.secret.access.key", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH, "static secret key")
                .define("s3.role.arn", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM, "STS role to assume")
                .define("s3.role.session.name", ConfigDef.Type.STRING, "sluice", ConfigDef.Importance.LOW, "STS session name")
                .define("s3.role.external.id", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.LOW, "STS external id")
                .define("s3.sse.customer.algorithm", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "SSE-C algorithm (AES256)")
                .define("s3.sse.customer.key", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                        "SSE-C key, base64 of 32 bytes")
                .define("s3.requester.pays", ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.LOW,
                        "send x-amz-request-payer: requester");
    }

    public static S3Settings of(Map<String, Object> v) {
        return new S3Settings((String) v.get("s3.region"), (String) v.get("s3.endpoint"),
                ((Password) v.get("s3.access.key.id")).value(), ((Password) v.get("s3.secret.access.key")).value(),
                (String) v.get("s3.role.arn"), (String) v.get("s3.role.session.name"),
                ((Password) v.get("s3.role.external.id")).value(), (String) v.get("s3.sse.customer.algorithm"),
                ((Password) v.get("s3.sse.customer.key")).value(), (Boolean) v.get("s3.requester.pays"));
    }

    @Override
    public String toString() {
        return "S3Settings[region=" + region + ", endpoint=" + endpoint + ", role=" + roleArn + "]"; // no secrets
    }
}
