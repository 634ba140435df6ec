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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.sluice.serdes.format.avro.AvroSchemas;
import dev.sluice.serdes.row.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.RequestPayer;

/**
 * Columns of an {@code s3://} source at compile time: JSON lines sampled, or a CSV header (and rows,
 * with {@code infer_types}), from the first objects whose keys match, in key order; for Parquet and
 * Avro objects the schema the first object carries; through the same client settings the connector uses (secrets
 * resolved from the environment for this read only).
 */
public final class S3Sampling {
    private S3Sampling() {
    }

    public static FileSampling.Found discover(Endpoint.S3 s3, Map<String, String> options, NodeLocation where) {
        String format = RemoteConnectors.s3Format(s3, options, where, "reading"); // before any request
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
        boolean csv = format.equals("csv");
        char delimiter = options.getOrDefault("delimiter", ",").charAt(0);
        char quote = options.getOrDefault("quote_char", "\"").charAt(0);
        int skip = Integer.parseInt(options.getOrDefault("skip_lines", "0"));
        int headerLine = csv && Boolean.parseBoolean(options.getOrDefault("header", "true")) ? Math.max(1, skip) : 0;
        List<String> lines = new ArrayList<>();
        List<String> header = List.of();
        int objects = 0;
        String first = null;
        S3Settings settings = settings(options, true);
        try (S3Client client = S3Clients.create(settings)) {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix(keys.listPrefix())
                    .requestPayer(settings.requesterPays() ? RequestPayer.REQUESTER : null)).contents()) {
                if (!keys.matches(o.key())) {
                    continue;
                }
                objects++;
                if (first == null) {
                    first = o.key();
                }
                if (format.equals("parquet") || format.equals("avro")) {
                    // the object's own schema: Parquet's footer, or the Avro container's header
                    Schema schema = format.equals("parquet") ? parquetColumns(client, settings, s3, o.key(), where)
                            : avroColumns(client, settings, s3, o.key(), where);
                    return new FileSampling.Found(schema, "columns of " + s3.display() + " from the " + format
                            + " schema of " + o.key());
                }
                try (InputStream raw = get(client, settings, s3, o.key());
                     BufferedReader r = new BufferedReader(new InputStreamReader(o.key().endsWith(".gz")
                             ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
                    String line;
                    int n = 0;
                    while ((line = r.readLine()) != null && lines.size() < sample) {
                        n++;
                        if (n == headerLine && header.isEmpty()) {
                            header = new dev.sluice.connect.file.CsvParser(delimiter, quote).fields(line);
                        }
                        if (csv && n <= Math.max(skip, headerLine) || line.isBlank()) {
                            continue;
                        }
                        lines.add(line);
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
        boolean infer = Boolean.parseBoolean(options.getOrDefault("infer_types", csv ? "false" : "true"));
        if (csv) {
            Schema schema = FileSampling.csvSchema(header, lines, delimiter, quote, infer);
            if (schema.size() == 0) {
                throw new SqlException(where, s3.display() + " holds no CSV rows to read columns from", declare);
            }
            return new FileSampling.Found(schema, "columns of " + s3.display() + " from " + (header.isEmpty()
                    ? lines.size() + " CSV row(s)" : "the CSV header of " + first));
        }
        JsonSampling.Sampled s = JsonSampling.infer(lines, infer);
        if (s.schema().size() == 0) {
            throw new SqlException(where, s3.display() + " holds no JSON object to read columns from", declare);
        }
        return new FileSampling.Found(s.schema(), "columns sampled from " + s.records() + " records of " + objects
                + " object(s) of " + s3.display());
    }

    private static InputStream get(S3Client client, S3Settings settings, Endpoint.S3 s3, String key) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(s3.bucket()).key(key);
        if (!settings.sseCustomerKey().isEmpty()) {
            request.sseCustomerAlgorithm(settings.sseCustomerAlgorithm().isEmpty() ? "AES256" : settings.sseCustomerAlgorithm())
                    .sseCustomerKey(settings.sseCustomerKey()).sseCustomerKeyMD5(S3Clients.keyMd5(settings.sseCustomerKey()));
        }
        if (settings.requesterPays()) {
            request.requestPayer(RequestPayer.REQUESTER);
        }
        return client.getObject(request.build());
    }

    /** Parquet's footer is at the end: the object is copied to a temporary file and read with Parquet's reader. */
    private static Schema parquetColumns(S3Client client, S3Settings settings, Endpoint.S3 s3, String key,
                                         NodeLocation where) throws IOException {
        Path copy = Files.createTempFile("sluice-sample-", ".parquet");
        try (InputStream in = get(client, settings, s3, key)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return ParquetFooter.columns(copy, where);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static Schema avroColumns(S3Client client, S3Settings settings, Endpoint.S3 s3, String key,
                                      NodeLocation where) throws IOException {
        try (InputStream in = get(client, settings, s3, key);
             DataFileStream<Object> avro = new DataFileStream<>(in, new GenericDatumReader<>())) {
            return AvroSchemas.toSluiceSchema(avro.getSchema());
        } catch (IOException | RuntimeException e) {
            if (e instanceof SdkException sdk) {
                throw sdk;
            }
            throw new SqlException(where, "s3://" + s3.bucket() + "/" + key + " is not an Avro object container file: "
                    + e.getMessage(), "format = 'avro' reads Avro container files (the header holds the schema)");
        }
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
