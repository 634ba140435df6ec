package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.SluiceMain;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.connect.Json;
import dev.sluice.connect.parquet.ParquetRows;
import dev.sluice.connect.parquet.ParquetToJson;
import dev.sluice.connect.s3.S3Clients;
import dev.sluice.connect.s3.S3Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code sluice run} with a real broker, in-process Connect worker and s3rver: Parquet objects (from
 * an independent JavaScript writer), CSV objects (a quoted field with a comma, typed by inference) and
 * Avro container objects (written by Avro's own writer, with timestamp and decimal logical types)
 * are read from S3, each into a stream, and written back to S3 as Parquet (partitioned by a column),
 * CSV and Avro objects, which are read back with Parquet's and Avro's readers.
 */
@ExtendWith(KafkaBrokerExtension.class)
class S3FormatsTest {

    @Test
    void parquetCsvAndAvroObjectsAreReadFromS3AndWrittenBackInEachFormat(EmbeddedKafkaBroker broker,
                                                                       @TempDir Path dir) throws Exception {
        S3Server server = S3Server.shared();
        S3Client s3 = S3Clients.create(new S3Settings("us-east-1", server.endpoint(), S3Server.KEY, S3Server.KEY, "",
                "", "", "", "", false));
        String bucket = KafkaBrokerExtension.uniqueName("formats").toLowerCase().replace('_', '-');
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("pq/part-0.parquet"), RequestBody.fromFile(
                ItSupport.repoRoot().resolve("connect/src/test/resources/parquet/independent-writer.parquet")));
        s3.putObject(b -> b.bucket(bucket).key("csv/a.csv"), RequestBody.fromString(
                "id,kind,amount\n1,click,2.5\n2,\"view, full\",1\n"));
        s3.putObject(b -> b.bucket(bucket).key("avro/a.avro"), RequestBody.fromBytes(avroObject()));
        String connection = "endpoint = '" + server.endpoint() + "', access_key_id = 'S3RVER', secret_access_key = 'S3RVER'";
        Path script = dir.resolve("formats.sql");
        Files.writeString(script, ""
                + "CREATE STREAM pq AS SELECT order_id, customer, amount, created_at FROM 'parquet://s3://" + bucket + "/pq/*'\n"
                + "WITH (" + connection + ", poll_interval = '1 second');\n"
                + "CREATE STREAM cs AS SELECT id, kind, amount * 2 AS doubled FROM 's3://" + bucket + "/csv/*.csv'\n"
                + "WITH (" + connection + ", infer_types = true, poll_interval = '1 second');\n"
                + "CREATE STREAM av AS SELECT id, name, at, price FROM 's3://" + bucket + "/avro/*'\n"
                + "WITH (" + connection + ", format = 'avro', poll_interval = '1 second');\n"
                + "CREATE STREAM pq_out AS SELECT * FROM pq INTO 's3://" + bucket + "/out-pq/'\n"
                + "WITH (" + connection + ", format = 'parquet', compression = 'gzip', partition_by = ['customer']);\n"
                + "CREATE STREAM cs_out AS SELECT * FROM cs INTO 's3://" + bucket + "/out-csv/' WITH (" + connection
                + ", format = 'csv');\n"
                + "CREATE STREAM av_out AS SELECT * FROM av INTO 's3://" + bucket + "/out-avro/' WITH (" + connection
                + ", format = 'avro');\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", script.toString(),
                "--bootstrap-servers", broker.bootstrapServers(), "--data-dir", dir.resolve("data").toString(),
                "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s");
        System.out.println(err);
        assertEquals(0, code, err.toString());

        Map<String, List<String>> parquet = new TreeMap<>();
        for (String key : keys(s3, bucket, "out-pq/")) {
            assertTrue(key.endsWith(".parquet"), key);
            Path copy = dir.resolve("copy.parquet");
            Files.write(copy, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            try (ParquetRows rows = ParquetRows.open(copy, 0)) {
                for (var row = rows.next(); row != null; row = rows.next()) {
                    parquet.computeIfAbsent(key.substring(0, key.lastIndexOf('/') + 1), k -> new ArrayList<>())
                            .add(Json.object(row));
                }
            }
        }
        assertEquals(Map.of(
                "out-pq/customer=ann/", List.of("{\"order_id\":1,\"customer\":\"ann\",\"amount\":10.50,"
                        + "\"created_at\":\"2024-01-15T10:00:00.123Z\"}"),
                "out-pq/customer=null/", List.of("{\"order_id\":2,\"customer\":null,\"amount\":-0.99,"
                        + "\"created_at\":\"2024-01-15T10:00:01Z\"}"),
                "out-pq/customer=carl \"c\"/", List.of("{\"order_id\":3,\"customer\":\"carl \\\"c\\\"\",\"amount\":null,"
                        + "\"created_at\":null}")), parquet);

        List<String> csv = keys(s3, bucket, "out-csv/");
        assertEquals(1, csv.size(), csv.toString());
        assertTrue(csv.get(0).endsWith(".csv"), csv.get(0));
        assertEquals("id,kind,doubled\n1,click,5.0\n2,\"view, full\",2.0\n",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(csv.get(0))).asUtf8String());

        List<String> avro = new ArrayList<>();
        for (String key : keys(s3, bucket, "out-avro/")) {
            assertTrue(key.endsWith(".avro"), key);
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            try (DataFileStream<GenericRecord> records = new DataFileStream<>(new java.io.ByteArrayInputStream(bytes),
                    new GenericDatumReader<>())) {
                for (GenericRecord r : records) {
                    avro.add(Json.object(ParquetToJson.row(r)));
                }
            }
        }
        assertEquals(List.of("{\"id\":7,\"name\":\"seven\",\"at\":\"2024-01-15T10:00:00.250Z\",\"price\":12.34}",
                "{\"id\":8,\"name\":null,\"at\":\"2024-01-15T10:00:01Z\",\"price\":-0.50}"), avro);
        s3.close();
    }

    /** Two records written by Avro's own container writer: timestamp-millis and decimal(10, 2) logical types. */
    private static byte[] avroObject() throws Exception {
        Schema decimal = LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        Schema schema = SchemaBuilder.record("Trade").fields().requiredLong("id").optionalString("name")
                .name("at").type(millis).noDefault().name("price").type(decimal).noDefault().endRecord();
        Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(schema))
                .setCodec(CodecFactory.deflateCodec(6))) {
            w.create(schema, bytes);
            Object[][] rows = {{7L, "seven", "2024-01-15T10:00:00.250Z", "12.34"}, {8L, null, "2024-01-15T10:00:01Z", "-0.50"}};
            for (Object[] row : rows) {
                GenericRecord r = new GenericData.Record(schema);
                r.put("id", row[0]);
                r.put("name", row[1]);
                r.put("at", Instant.parse((String) row[2]).toEpochMilli());
                ByteBuffer price = conversion.toBytes(new BigDecimal((String) row[3]), decimal, decimal.getLogicalType());
                r.put("price", price);
                w.append(r);
            }
        }
        return bytes.toByteArray();
    }

    private static List<String> keys(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
                .sorted().toList();
    }
}
