package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.SluiceMain;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.connect.s3.S3Clients;
import dev.sluice.connect.s3.S3Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code sluice run} with a real broker, a real in-process Connect worker and an S3-compatible
 * server (s3rver): JSON-lines objects matching a key glob are read into a stream, and a second
 * query writes its rows into objects under prefixes made from a column ({@code partition_by}). A
 * second run on the same --data-dir reads only the object added since, and writes only its rows.
 */
@ExtendWith(KafkaBrokerExtension.class)
class S3EndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.out.println(err);
        assertEquals(0, code, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void objectsMatchingAGlobAreReadOnceAndRowsLandInObjectsPartitionedByAColumn(EmbeddedKafkaBroker broker,
                                                                                 @TempDir Path dir) throws Exception {
        S3Server server = S3Server.shared();
        S3Client s3 = S3Clients.create(new S3Settings("us-east-1", server.endpoint(), S3Server.KEY, S3Server.KEY, "",
                "", "", "", "", false));
        String bucket = KafkaBrokerExtension.uniqueName("lake").toLowerCase().replace('_', '-');
        s3.createBucket(b -> b.bucket(bucket));
        put(s3, bucket, "in/2024/a.jsonl", "{\"event_id\":1,\"kind\":\"click\",\"amount\":2.5}\n"
                + "{\"event_id\":2,\"kind\":\"view\",\"amount\":1.0}\n");
        put(s3, bucket, "in/2024/b.jsonl", "{\"event_id\":3,\"kind\":\"click\",\"amount\":4.0}\n");
        put(s3, bucket, "in/2024/deeper/skip.jsonl", "{\"event_id\":99,\"kind\":\"no\",\"amount\":0}\n");
        put(s3, bucket, "in/2024/notes.txt", "not a match\n");
        String connection = "endpoint = '" + server.endpoint() + "', region = 'us-east-1', access_key_id = 'S3RVER',\n"
                + "      secret_access_key = 'S3RVER'";
        Path script = dir.resolve("lake.sql");
        Files.writeString(script, "CREATE STREAM from_lake AS\n"
                + "SELECT event_id, UPPER(kind) AS kind, amount FROM 's3://" + bucket + "/in/2024/*.jsonl'\n"
                + "WITH (" + connection + ", poll_interval = '1 second');\n"
                + "CREATE STREAM to_lake AS SELECT event_id, kind, amount FROM from_lake\n"
                + "INTO 's3://" + bucket + "/out/' WITH (" + connection + ", partition_by = ['kind']);\n");
        Path data = dir.resolve("data");
        String[] args = {"run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--data-dir",
            data.toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s"};
        run(args);
        assertEquals(Map.of("out/kind=CLICK/", List.of("1|CLICK|2.5", "3|CLICK|4.0"), "out/kind=VIEW/", List.of("2|VIEW|1.0")),
                written(s3, bucket));

        put(s3, bucket, "in/2024/c.jsonl", "{\"event_id\":4,\"kind\":\"view\",\"amount\":8.0}\n");
        run(args);
        assertEquals(Map.of("out/kind=CLICK/", List.of("1|CLICK|2.5", "3|CLICK|4.0"),
                "out/kind=VIEW/", List.of("2|VIEW|1.0", "4|VIEW|8.0")), written(s3, bucket),
                "the second run read only the new object, and no row was written twice");
        s3.close();
    }

    private static void put(S3Client s3, String bucket, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    /** Rows of every object under out/, by prefix, as id|kind|amount in id order. */
    private static Map<String, List<String>> written(S3Client s3, String bucket) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("out/")).contents()) {
            assertTrue(o.key().endsWith(".jsonl"), o.key());
            String prefix = o.key().substring(0, o.key().lastIndexOf('/') + 1);
            for (String line : s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String().lines().toList()) {
                JsonNode r = JSON.readTree(line);
                out.computeIfAbsent(prefix, k -> new ArrayList<>()).add(r.get("event_id").asText() + "|"
                        + r.get("kind").asText() + "|" + r.get("amount").asText());
            }
        }
        out.values().forEach(rows -> rows.sort(null));
        return out;
    }
}
