package dev.sluice.compiler.endpoint;

import dev.sluice.connect.s3.S3Clients;
import dev.sluice.connect.s3.S3Keys;
import dev.sluice.connect.s3.S3Settings;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Columns of an {@code s3://} source at compile time: JSON lines sampled from the first objects
 * whose keys match, in key order, through the same client settings the connector uses (secrets
 * resolved from the environment for this read only).
 */
public final class S3Sampling {
    private S3Sampling() {
    }

    public static FileSampling.Found discover(Endpoint.S3 s3, Map<String, String> options, NodeLocation where) {
        RemoteConnectors.s3Format(options, where, "reading"); // before any request: Parquet and Avro are not read yet
        String declare = "declare the columns: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + s3.display() + "')";
        for (String option : java.util.List.of("access_key_id", "secret_access_key", "sse_customer_key", "external_id")) {
            String v = options.get(option);
            if (v != null && Secrets.isReference(v) && Secrets.resolve(v).isEmpty()) {
                throw new SqlException(where, option + " is " + v + ", which is not set in the environment: sampling "
                        + s3.display() + " for its columns needs it", declare);
            }
        }
        S3Keys keys = new S3Keys(s3.keys());
        int sample = Integer.parseInt(options.getOrDefault("sample_size", "1000"));
        List<String> lines = new ArrayList<>();
        int objects = 0;
        try (S3Client client = S3Clients.create(settings(options, true))) {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(keys.listPrefix())).contents()) {
                if (!keys.matches(o.key())) {
                    continue;
                }
                objects++;
                try (InputStream raw = client.getObject(b -> b.bucket(s3.bucket()).key(o.key()));
                     BufferedReader r = new BufferedReader(new InputStreamReader(o.key().endsWith(".gz")
                             ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null && lines.size() < sample) {
                        if (!line.isBlank()) {
                            lines.add(line);
                        }
                    }
                }
                if (lines.size() >= sample) {
                    break;
                }
            }
        } catch (SdkException | IOException e) {
            String why = String.valueOf(e.getMessage());
            throw new SqlException(where, "cannot sample " + s3.display() + " for its columns: "
                    + (why.length() > 300 ? why.substring(0, 300) + "..." : why), declare);
        }
        if (objects == 0) {
            throw new SqlException(where, "no object matches " + s3.display() + " to read its columns from", declare);
        }
        JsonSampling.Sampled s = JsonSampling.infer(lines, Boolean.parseBoolean(options.getOrDefault("infer_types", "true")));
        if (s.schema().size() == 0) {
            throw new SqlException(where, s3.display() + " holds no JSON object to read columns from", declare);
        }
        return new FileSampling.Found(s.schema(), "columns sampled from " + s.records() + " records of " + objects
                + " object(s) of " + s3.display());
    }

    /** The client settings of seed 001's options; {@code resolve}: secrets read from the environment now. */
    static S3Settings settings(Map<String, String> o, boolean resolve) {
        java.util.function.UnaryOperator<String> secret = v -> resolve ? Secrets.resolve(v) : Secrets.toConnect(v);
        return new S3Settings(o.getOrDefault("region", "us-east-1"), o.getOrDefault("endpoint", ""),
                secret.apply(o.getOrDefault("access_key_id", "")), secret.apply(o.getOrDefault("secret_access_key", "")),
                o.getOrDefault("role_arn", ""), o.getOrDefault("session_name", "sluice"),
                secret.apply(o.getOrDefault("external_id", "")), o.getOrDefault("sse_customer_algorithm", ""),
                secret.apply(o.getOrDefault("sse_customer_key", "")), requesterPays(o));
    }

    static boolean requesterPays(Map<String, String> o) {
        String v = o.getOrDefault("request_payer", "").toLowerCase(java.util.Locale.ROOT);
        return v.equals("requesterpays") || v.equals("requester") || v.equals("true");
    }
}
