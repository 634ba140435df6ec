package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class Seed001ProductionExamplesTest {

    /** The statements of the seed's "Production Examples" section, in document order. */
    static List<String> productionExamples() throws Exception {
        String document = Files.readString(ItSupport.repoRoot().resolve("grammar/src/test/resources/seeds/001_137296528b402ae0.txt"));
        int from = document.indexOf("## Production Examples");
        int to = document.indexOf("## Monitoring and Management");
        return Seed001CompileTest.statements(document.substring(from, to));
    }

    private static ItSupport.Sent metric(String at, int user, int responseTime) {
        return new ItSupport.Sent(0, null, "{\"event_time\":\"" + at + "\",\"user_id\":" + user + ",\"response_time\":"
                + responseTime + "}", java.time.Instant.parse(at).toEpochMilli());
    }

    private static ItSupport.Sent raw(int id, String at) {
        return new ItSupport.Sent(0, null, "{\"event_id\":" + id + ",\"event_time\":\"" + at + "\"}",
                java.time.Instant.parse(at).toEpochMilli());
    }

    /** Waits until a topic (made by the run) holds {@code count} committed records. */
    private static void awaitRecords(EmbeddedKafkaBroker broker, String topic, int count) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed",
                "auto.offset.reset", "earliest", "group.id", KafkaBrokerExtension.uniqueName("await"), "enable.auto.commit", "false", "metadata.max.age.ms", "300"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + count + " records in " + topic + " (saw " + seen + ")");
                }
                seen += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
    }

    @Test
    void explore(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        List<String> statements = productionExamples();
        String suffix = KafkaBrokerExtension.uniqueName("p");
        PostgresServer pg = PostgresServer.shared();
        ClickHouseServer ch = ClickHouseServer.shared();
        S3Server s3 = S3Server.shared();
        for (String db : List.of("prod_shop", "prod_users")) {
            pg.execute("postgres", "DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db);
        }
        pg.execute("prod_shop", "CREATE TABLE orders (id INT PRIMARY KEY, customer TEXT, amount NUMERIC(10,2), status TEXT)",
                "ALTER TABLE orders REPLICA IDENTITY FULL",
                "INSERT INTO orders VALUES (1, 'ann', 10.50, 'pending'), (2, 'bob', 5.00, 'pending')");
        pg.execute("prod_users", "CREATE TABLE users (id BIGINT PRIMARY KEY, user_segment TEXT, lifetime_value NUMERIC(12,2))",
                "INSERT INTO users VALUES (1, 'gold', 1200.50), (2, 'new', 0)",
                "CREATE TABLE user_profiles (user_id BIGINT PRIMARY KEY, name TEXT, country TEXT)",
                "INSERT INTO user_profiles VALUES (1, 'ann', 'FR'), (2, 'bob', 'DE'), (3, 'cy', 'US')");
        ch.execute("CREATE DATABASE IF NOT EXISTS prod_analytics", "DROP TABLE IF EXISTS prod_analytics.events",
                "CREATE TABLE prod_analytics.events (event_id UInt64, event_type String, user_id UInt64, user_segment String,"
                        + " lifetime_value Float64) ENGINE = MergeTree ORDER BY event_id");
        String[] topics = {"app-metrics", "events", "raw-events", "transactions"};
        for (String t : topics) {
            broker.createTopic(t + "-" + suffix, 1);
        }
        StringBuilder sql = new StringBuilder();
        for (String s : statements) {
            sql.append(s.replaceAll("kafka://localhost:9092/([a-z-]+)", "kafka://localhost:9092/$1-" + suffix)
                    .replace("file:///", "file://" + dir + "/")
                    .replace("postgresql://localhost/", "postgresql://postgres@127.0.0.1:" + pg.port() + "/prod_")
                    .replace("clickhouse://localhost:8123/", "clickhouse://127.0.0.1:" + ch.port() + "/prod_"));
        }
        Files.writeString(dir.resolve("prod.sql"), sql);
        System.out.println(sql);
        try (var client = dev.sluice.connect.s3.S3Clients.create(new dev.sluice.connect.s3.S3Settings("us-east-1",
                s3.endpoint(), S3Server.KEY, S3Server.KEY, "", "", "", "", "", false))) {
            if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals("data-lake"))) {
                client.createBucket(b -> b.bucket("data-lake"));
            }
        }
        System.setProperty("aws.endpointUrlS3", s3.endpoint());
        long t0 = System.nanoTime();
        Files.writeString(dir.resolve("run.properties"), "commit.interval.ms=500\n");
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.sluice("run", dir.resolve("prod.sql").toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--config", dir.resolve("run.properties").toString(),
                "--data-dir", dir.resolve("data").toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s"));
        awaitRecords(broker, "sluice-prod-multi_sink_pipeline-u-source.public.users", 2);
        System.out.println("USERS LOADED " + (System.nanoTime() - t0) / 1_000_000);
        awaitRecords(broker, "sluice-prod-ml_features-source.public.user_profiles", 3);
        awaitRecords(broker, "orders-cdc-" + suffix, 2);
        System.out.println("ALL LOADED " + (System.nanoTime() - t0) / 1_000_000);
        pg.execute("prod_shop", "UPDATE orders SET status = 'shipped' WHERE id = 1", "DELETE FROM orders WHERE id = 2",
                "INSERT INTO orders VALUES (3, 'cy', 7.25, 'pending')");
        long now = System.currentTimeMillis();
        String today = java.time.Instant.ofEpochMilli(now).toString();
        ItSupport.produce(broker, "app-metrics-" + suffix, List.of(
                metric("2024-01-15T10:00:05Z", 1, 100), metric("2024-01-15T10:00:20Z", 2, 200),
                metric("2024-01-15T10:00:40Z", 1, 300), metric("2024-01-15T10:01:10Z", 3, 50)));
        ItSupport.produce(broker, "events-" + suffix, List.of(
                new ItSupport.Sent(0, null, "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"" + today + "\",\"user_id\":1}", now),
                new ItSupport.Sent(0, null, "{\"event_id\":2,\"event_type\":\"view\",\"timestamp\":\"" + today + "\",\"user_id\":2}", now),
                new ItSupport.Sent(0, null, "{\"event_id\":3,\"event_type\":\"buy\",\"timestamp\":\"" + today + "\",\"user_id\":9}", now)));
        ItSupport.produce(broker, "raw-events-" + suffix, List.of(raw(1, "2024-01-15T10:00:00Z"), raw(2, "2024-01-15T10:01:00Z"),
                raw(3, "2024-01-16T09:00:00Z"), raw(4, "2024-01-15T10:07:00Z")));
        String recent = java.time.Instant.ofEpochMilli(now - 3_600_000).toString();
        ItSupport.produce(broker, "transactions-" + suffix, List.of(
                new ItSupport.Sent(0, null, "{\"user_id\":1,\"amount\":12.5,\"transaction_time\":\"" + recent + "\"}", now),
                new ItSupport.Sent(0, null, "{\"user_id\":1,\"amount\":7.5,\"transaction_time\":\"" + recent + "\"}", now),
                new ItSupport.Sent(0, null, "{\"user_id\":2,\"amount\":100,\"transaction_time\":\"" + recent + "\"}", now),
                new ItSupport.Sent(0, null, "{\"user_id\":2,\"amount\":1,\"transaction_time\":\"2020-01-01T00:00:00Z\"}", now)));
        CliRun r = run.get();
        System.clearProperty("aws.endpointUrlS3");
        System.out.println("RUN TOOK " + (System.nanoTime() - t0) / 1_000_000 + " ms, exit " + r.exitCode());
        System.out.println("OUT:\n" + r.out());
        System.out.println("ERR:\n" + r.err().lines().filter(l -> !l.contains(" INFO ") && !l.contains("DEBUG")).collect(java.util.stream.Collectors.joining("\n")));
        Files.writeString(Path.of("/tmp/i15-run-err.log"), r.err());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            System.out.println("TOPICS " + admin.listTopics().names().get().stream().filter(t -> t.contains(suffix) || t.contains("prod")).sorted().toList());
        }
        try (var w = Files.walk(dir)) { w.forEach(f -> System.out.println("FILE " + f)); }
        for (String t : List.of("realtime_analytics", "enriched-events-" + suffix, "orders-cdc-" + suffix, "cdc_processor", "data_lake_ingestion", "ml-features-" + suffix)) {
            for (var rec : ItSupport.readCommitted(broker, t, 100, Duration.ofSeconds(2))) {
                System.out.println("T " + t + " " + (rec.key() == null ? null : new String(rec.key())) + " " + rec.timestamp() + " " + (rec.value() == null ? null : new String(rec.value())));
            }
        }
        try (var client = dev.sluice.connect.s3.S3Clients.create(new dev.sluice.connect.s3.S3Settings("us-east-1",
                s3.endpoint(), S3Server.KEY, S3Server.KEY, "", "", "", "", "", false))) {
            client.listObjectsV2Paginator(b -> b.bucket("data-lake")).contents().forEach(o -> System.out.println("S3 " + o.key()));
        }
        System.out.println("CH " + ch.execute("SELECT * FROM prod_analytics.events FORMAT JSONEachRow"));
    }
}
