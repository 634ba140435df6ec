package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement of seed 001 ("pluggable data sources"), compiled against real endpoints: the
 * files it names (under a temp dir), the Kafka topics it reads (sampled from the shared broker)
 * the PostgreSQL and ClickHouse tables it reads (real servers' catalogs) and its HTTP API (a JDK
 * HTTP server answering JSON lines) and S3 objects (s3rver, for statement 8, whose endpoint it replaces;
 * 18 names no endpoint: it reaches s3rver through the environment's endpoint), a real Schema Registry
 * (Apicurio, for statement 2) and an STS stand-in (statement 9). The table below says, per statement,
 * whether it compiles or the error it gets.
 */
@ExtendWith(KafkaBrokerExtension.class)
class Seed001CompileTest {
    private static final String OK = "ok";
    // 46 (ml_features): a LEFT JOIN of a PostgreSQL table with a grouped CTE is joined by the CTE's
    // group key (a projection of an aggregate keeps its key), an updating result written as change records.

    // 13 (a PostgreSQL table selected into a STREAM), 18 and 41 (a windowed EMIT CHANGES into a STREAM)
    // produce updating results: they compile, and each change is written to the STREAM as a record with an
    // `op` column ('+U' or '-D'), with a note saying so (issue 12; see ChangeRecordsScenarioTest).
    private static final String CHANGES = "ok, with change records";
    // 18 deduplicates its UNION ALL by deduplication_key (the first row of each event_id, kept for
    // deduplication_window): a deduplicated result is a table, written to the STREAM as change records.
    // 2 reads its columns from a real registry (Apicurio, its URL localized); 3's columns come from the
    // topic's records read through the user's class (com.example.CustomDeserializer, a test fixture); 9
    // assumes its STS role through StsStandIn (no STS server is installable here); 25 drops a field the
    // topic's records have; 32 wraps its PostgreSQL source in a circuit breaker whose fallback query's
    // columns are checked against the table's; 48 and 49 are pull queries of system tables.

    /** Statement number (1-based, in document order) to "ok" or a fragment of the expected error. */
    private static final Map<Integer, String> EXPECTED = new LinkedHashMap<>();

    static {
        String[] table = {
            "1", OK, "2", OK, "3", OK,
            "4", OK, "5", OK, "6", OK, "7", OK,
            "8", OK, "9", OK,
            "10", OK, "11", OK, "12", OK, "13", CHANGES, "14", OK, "15", OK,
            "16", OK, "17", OK, "18", CHANGES, "19", OK, "20", OK, "21", OK, "22", OK, "23", OK,
            "24", OK, "25", OK, "26", OK, "27", OK, "28", OK, "29", OK, "30", OK,
            "31", OK, "32", CHANGES, "33", OK, "34", OK, "35", OK, "36", OK, "37", OK, "38", OK, "39", OK,
            "40", OK, "41", CHANGES, "42", OK, "43", OK, "44", OK, "45", OK, "46", CHANGES, "47", OK,
            "48", OK, "49", OK,
            "50", OK, "51", OK, "52", OK, "53", OK, "54", OK, "55", OK};
        for (int i = 0; i < table.length; i += 2) {
            EXPECTED.put(Integer.parseInt(table[i]), table[i + 1]);
        }
    }

    static List<String> statements(String document) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(document);
        while (m.find()) {
            for (String s : m.group(1).split(";\\s*\n")) {
                boolean code = s.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("--"));
                if (code) {
                    out.add(s.strip() + ";\n");
                }
            }
        }
        return out;
    }

    @Test
    void everyStatementOfSeed001CompilesOrSaysWhyAgainstRealFilesTopicsAndTables(EmbeddedKafkaBroker broker,
                                                                                @TempDir Path root) throws Exception {
        RegistryServer registry = RegistryServer.start(); // boots while the files, topics and tables are made
        StsStandIn sts = new StsStandIn(S3Server.KEY, S3Server.KEY);
        try {
            compileEveryStatement(broker, root, registry, sts);
        } finally {
            sts.close();
            registry.close();
        }
    }

    private void compileEveryStatement(EmbeddedKafkaBroker broker, Path root, RegistryServer registry, StsStandIn sts)
            throws Exception {
        files(root);
        topics(broker);
        PostgresServer pg = PostgresServer.shared();
        tables(pg);
        ClickHouseServer ch = ClickHouseServer.shared();
        ch.execute("CREATE DATABASE IF NOT EXISTS metrics", "CREATE DATABASE IF NOT EXISTS analytics",
                "DROP TABLE IF EXISTS metrics.system_metrics", "DROP TABLE IF EXISTS analytics.distributed_table",
                "DROP TABLE IF EXISTS analytics.events",
                "CREATE TABLE metrics.system_metrics (metric String, value Int64, event_time DateTime)"
                        + " ENGINE = MergeTree ORDER BY event_time",
                "CREATE TABLE analytics.distributed_table (date Date, user_id UInt64, clicks UInt32)"
                        + " ENGINE = MergeTree ORDER BY (date, user_id)",
                "CREATE TABLE analytics.events (event_id UInt64, event_type String, user_id UInt64, user_segment String,"
                        + " lifetime_value Float64) ENGINE = MergeTree ORDER BY event_id");
        // the seed's HTTP API: JSON lines of events
        com.sun.net.httpserver.HttpServer api = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/events", exchange -> {
            byte[] body = "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"2024-01-15T10:00:00Z\"}\n"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        S3Server s3server = S3Server.shared();
        try (var s3 = dev.sluice.connect.s3.S3Clients.create(new dev.sluice.connect.s3.S3Settings("us-west-2",
                s3server.endpoint(), S3Server.KEY, S3Server.KEY, "", "", "", "", "", false))) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals("my-bucket"))) {
                s3.createBucket(b -> b.bucket("my-bucket"));
            }
            s3.putObject(b -> b.bucket("my-bucket").key("events/2024/part-0001.jsonl"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString(
                            "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"2024-01-15T10:00:00Z\"}\n"));
            objects(s3, root);
        }
        // statement 2's subject, registered as a producer with a Confluent serializer would
        registry.register("transactions-value", org.apache.avro.SchemaBuilder.record("Transaction").fields()
                .requiredLong("user_id").requiredDouble("amount").name("transaction_time")
                .type(org.apache.avro.LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(
                        org.apache.avro.Schema.Type.LONG))).noDefault().endRecord().toString());
        Endpoints endpoints = new Endpoints(pg.port(), ch.port(), api.getAddress().getPort(), s3server.endpoint(),
                registry.url());
        String document = Files.readString(ItSupport.repoRoot().resolve("grammar/src/test/resources/seeds/001_137296528b402ae0.txt"));
        List<String> statements = statements(document);
        assertEquals(55, statements.size());
        SluiceCompiler compiler = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .withDiscovery(new Discovery(Optional.of(broker.bootstrapServers())));
        Map<Integer, String> actual = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        // statements without an endpoint option reach the S3 server the environment names, as the AWS
        // SDKs do (AWS_ENDPOINT_URL_S3; its system property here), with AWS_ACCESS_KEY_ID/SECRET from pom.xml
        System.setProperty("aws.endpointUrlS3", s3server.endpoint());
        // statement 9's role is assumed through the STS the environment names (AWS_ENDPOINT_URL_STS; its
        // system property here): a stand-in, as no STS server can be installed here (see StsStandIn)
        System.setProperty("aws.endpointUrlSts", sts.endpoint());
        try {
        for (int i = 0; i < statements.size(); i++) {
            int n = i + 1;
            String sql = localize(statements.get(i), root, endpoints);
            // statements about `orders` and `auto_discovered` read what statements 1 and 19 declared
            if (sql.contains("STREAM orders") && n != 1) {
                sql = localize(statements.get(0), root, endpoints) + sql;
            } else if (sql.contains("auto_discovered") && n != 19) {
                sql = localize(statements.get(18), root, endpoints) + sql;
            }
            String outcome;
            List<String> notes = null;
            try {
                var compiled = compiler.compile(sql, "seed001_" + n, BuildOptions.PRODUCTION);
                notes = compiled.notes();
                boolean changes = compiled.notes().stream().anyMatch(note -> note.contains("`op` column"))
                        && compiled.queries().get(compiled.queries().size() - 1).schema().names().contains("op");
                outcome = changes ? CHANGES : OK;
            } catch (SqlException e) {
                outcome = e.getMessage();
            } catch (RuntimeException e) {
                outcome = "internal: " + e;
            }
            String expected = EXPECTED.get(n);
            actual.put(n, expected != null && (outcome.equals(expected) || !expected.equals(OK) && outcome.contains(expected))
                    ? expected : outcome);
            report.append(n).append(": ").append(outcome.equals(OK) ? OK : outcome).append('\n');
            if (notes != null) {
                notes.forEach(note -> report.append("     note: ").append(note).append('\n'));
            }
        }
        } finally {
            System.clearProperty("aws.endpointUrlS3");
            System.clearProperty("aws.endpointUrlSts");
        }
        api.stop(0);
        System.out.println("seed 001 outcomes:\n" + report);
        assertEquals(EXPECTED, actual, report.toString());
        // statement 9 listed and read its bucket with the role's credentials, asked for as the seed says
        StsStandIn.Call assumed = sts.calls().get(0);
        assertEquals("arn:aws:iam::123456789012:role/DataReader", assumed.parameters().get("RoleArn"));
        assertEquals("velostream-reader", assumed.parameters().get("RoleSessionName"));
        assertEquals("unique-external-id", assumed.parameters().get("ExternalId"));
        assertTrue(assumed.authorization().contains("Credential=" + S3Server.KEY + "/"), assumed.authorization());
    }

    /** Ports of the test's PostgreSQL, ClickHouse and HTTP servers, and the S3 server's endpoint. */
    private record Endpoints(int postgres, int clickhouse, int http, String s3, String registry) {
    }

    /** The seed's absolute paths under the temp dir; its PostgreSQL, ClickHouse and HTTP hosts as the test servers. */
    private static String localize(String sql, Path root, Endpoints at) {
        return sql.replace("file:///", "file://" + root + "/")
                .replace("postgresql://user:pass@localhost:5432/", "postgresql://postgres:pass@127.0.0.1:" + at.postgres() + "/")
                .replace("postgresql://localhost/", "postgresql://postgres@127.0.0.1:" + at.postgres() + "/")
                .replace("clickhouse://localhost:8123/", "clickhouse://127.0.0.1:" + at.clickhouse() + "/")
                .replace("clickhouse://cluster/", "clickhouse://127.0.0.1:" + at.clickhouse() + "/")
                .replace("http://api.example.com/", "http://127.0.0.1:" + at.http() + "/")
                .replace("endpoint = 'https://s3.amazonaws.com'", "endpoint = '" + at.s3() + "'")
                .replace("schema_registry_url = 'http://localhost:8081'", "schema_registry_url = '" + at.registry() + "'");
    }

    private static void files(Path root) throws Exception {
        write(root.resolve("data/sales/jan.csv"), "order_id,customer_name,amount,region\n1,ann,10.5,eu\n");
        write(root.resolve("logs/application/app.jsonl"),
                "{\"timestamp\":\"2024-01-15T10:00:00Z\",\"level\":\"INFO\",\"message\":\"up\"}\n");
        Files.createDirectories(root.resolve("archive/logs"));
        try (var gz = new GZIPOutputStream(Files.newOutputStream(root.resolve("archive/logs/a.gz")))) {
            gz.write("{\"level\":\"WARN\",\"message\":\"disk\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        write(root.resolve("data/daily/d1.csv"), "order_id,customer_name,amount,order_date\n7,bob,3.50,2024-01-15\n");
        write(root.resolve("logs/events/e.jsonl"),
                "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"2024-01-15T10:00:00Z\"}\n");
        write(root.resolve("data/x.csv"), "a,b\n1,2\n");
        // statement 6 reads Parquet files under year=*/month=*: a file from an independent writer
        Path parquet = root.resolve("warehouse/data/year=2024/month=01/part-0.parquet");
        Files.createDirectories(parquet.getParent());
        Files.copy(ItSupport.repoRoot().resolve("connect/src/test/resources/parquet/independent-writer.parquet"), parquet);
    }

    /**
     * The seed's S3 objects without an endpoint option: JSON lines for 18, Parquet orders for 40 (written
     * with Parquet's writer), and an Avro container object for 10, uploaded with its SSE-C key.
     */
    private static void objects(software.amazon.awssdk.services.s3.S3Client s3, Path root) throws Exception {
        for (String bucket : List.of("bucket", "secure-bucket", "analytics-bucket")) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
        s3.putObject(b -> b.bucket("bucket").key("events/e.jsonl"), software.amazon.awssdk.core.sync.RequestBody.fromString(
                "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"2024-01-15T10:00:00Z\"}\n"));
        org.apache.avro.Schema orders = org.apache.avro.SchemaBuilder.record("Order").fields().requiredLong("order_id")
                .requiredDouble("amount").requiredString("status").endRecord();
        Path parquet = root.resolve("orders.parquet");
        try (var w = new dev.sluice.connect.format.RowFileWriter(parquet, "parquet", orders, "snappy")) {
            w.write("{\"order_id\":1,\"amount\":150.0,\"status\":\"completed\"}");
        }
        s3.putObject(b -> b.bucket("bucket").key("orders/part-0.parquet"),
                software.amazon.awssdk.core.sync.RequestBody.fromFile(parquet));
        s3.putObject(b -> b.bucket("analytics-bucket").key("data/part-0.parquet"),
                software.amazon.awssdk.core.sync.RequestBody.fromFile(parquet));
        Path avro = root.resolve("sensitive.avro");
        try (var w = new dev.sluice.connect.format.RowFileWriter(avro, "avro", orders, "deflate")) {
            w.write("{\"order_id\":2,\"amount\":9.5,\"status\":\"pending\"}");
        }
        String key = System.getenv("ENCRYPTION_KEY");
        s3.putObject(b -> b.bucket("secure-bucket").key("sensitive/a.avro").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key).sseCustomerKeyMD5(dev.sluice.connect.s3.S3Clients.keyMd5(key)),
                software.amazon.awssdk.core.sync.RequestBody.fromFile(avro));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void topics(EmbeddedKafkaBroker broker) throws Exception {
        Map<String, String> samples = new LinkedHashMap<>();
        // statement 25 drops obsolete_field from the stream statement 1 declares over this topic
        samples.put("orders-topic", "{\"order_id\":1,\"amount\":9.5,\"status\":\"pending\",\"obsolete_field\":\"x\"}");
        samples.put("transactions", "{\"user_id\":1,\"amount\":12.5,\"transaction_time\":\"2024-01-15T10:00:00Z\"}");
        samples.put("events", "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"2024-01-15T10:00:00Z\",\"user_id\":3}");
        samples.put("topic", "{\"id\":1,\"name\":\"x\"}");
        samples.put("versioned", "{\"id\":1,\"v\":2}");
        samples.put("orders", "{\"order_id\":1,\"product_id\":100,\"customer_id\":5,\"quantity\":2,\"price\":3.5,"
                + "\"amount\":7.0,\"status\":\"pending\"}");
        samples.put("orders-dlq", "{\"payload\":\"{}\",\"error_message\":\"bad\",\"error_timestamp\":\"2024-01-15T10:00:00Z\","
                + "\"retry_count\":1}");
        samples.put("high-volume", "{\"id\":1}");
        samples.put("app-metrics", "{\"event_time\":\"2024-01-15T10:00:00Z\",\"user_id\":1,\"response_time\":120}");
        samples.put("orders-cdc", "{\"operation\":\"INSERT\",\"before\":null,\"after\":{\"id\":1},\"timestamp\":1700000000000}");
        samples.put("raw-events", "{\"event_id\":1,\"event_time\":\"2024-01-15T10:00:00Z\"}");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> e : samples.entrySet()) {
                p.send(new ProducerRecord<>(e.getKey(), e.getValue())).get();
            }
        }
    }

    private static void tables(PostgresServer pg) {
        for (String db : List.of("shop", "products", "customers", "analytics", "db", "users")) {
            pg.execute("postgres", "DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db);
        }
        pg.execute("shop", "CREATE TABLE orders (id INT PRIMARY KEY, customer TEXT, amount NUMERIC(10,2), status TEXT,"
                + " created_at TIMESTAMPTZ)");
        pg.execute("products", "CREATE TABLE products (id BIGINT PRIMARY KEY, product_name TEXT, category TEXT)");
        pg.execute("customers", "CREATE TABLE customers (id BIGINT PRIMARY KEY, customer_name TEXT, customer_segment TEXT)");
        pg.execute("analytics", "CREATE TABLE orders (id INT PRIMARY KEY, amount NUMERIC(10,2), created_at TIMESTAMPTZ)");
        // statement 32's table and the table its fallback_query reads while the breaker is open
        pg.execute("db", "CREATE TABLE events (id BIGINT PRIMARY KEY, kind TEXT, at TIMESTAMPTZ)",
                "CREATE TABLE backup_events (id BIGINT PRIMARY KEY, kind TEXT, at TIMESTAMPTZ)");
        pg.execute("users", "CREATE TABLE users (id BIGINT PRIMARY KEY, user_segment TEXT, lifetime_value NUMERIC(12,2))",
                "CREATE TABLE user_profiles (user_id BIGINT PRIMARY KEY, name TEXT, country TEXT)");
    }
}
