package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Seed 001's "Production Examples" section, its six statements as written, run end to end in ONE
 * {@code sluice run} (one Connect worker, one Kafka Streams application) on the shared broker, a real
 * PostgreSQL (Debezium CDC and table snapshots), a real ClickHouse (18.16) and s3rver. Only hosts,
 * paths and names are localized: the PostgreSQL and ClickHouse databases get a {@code prod_} prefix and
 * the topics a unique suffix (other tests of this JVM use the seed's names), {@code file:///} is a temp
 * dir, and S3 is reached through {@code aws.endpointUrlS3} as the SDKs read AWS_ENDPOINT_URL_S3.
 * Input rows are put in (Kafka topics, PostgreSQL rows and changes while it runs), and every sink's
 * rows are asserted: the Kafka topics read committed (updating results as ordered changelogs), the
 * ClickHouse table, the Parquet archive files and the S3 objects.
 */
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

    /** The values of a topic, read committed, in order. */
    private static List<com.fasterxml.jackson.databind.JsonNode> values(EmbeddedKafkaBroker broker, String topic, int count) {
        return ItSupport.readCommitted(broker, topic, count, Duration.ofSeconds(20)).stream()
                .map(r -> ItSupport.json(r.value())).toList();
    }

    /** A number to 6 decimals without trailing zeros, or null. */
    private static String num(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? "null" : n.decimalValue().setScale(6, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private static String eventRow(com.fasterxml.jackson.databind.JsonNode v) {
        return v.get("event_id").asText() + "|" + v.get("event_type").asText() + "|" + v.get("user_id").asText() + "|"
                + v.get("user_segment").asText() + "|" + num(v.get("lifetime_value"));
    }

    private static String lakeRow(com.fasterxml.jackson.databind.JsonNode v) {
        return v.get("event_id").asText() + "|" + v.get("year").asText() + "|" + v.get("month").asText() + "|" + v.get("day").asText();
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> parquetRows(Path file) throws Exception {
        List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        try (var rows = dev.sluice.connect.parquet.ParquetRows.open(file, 0)) {
            for (var row = rows.next(); row != null; row = rows.next()) {
                out.add(ItSupport.JSON.readTree(dev.sluice.connect.Json.object(row)));
            }
        }
        return out;
    }

    /** Waits until a topic (made by the run, maybe not yet) holds {@code count} records; fails with the run's log if it ended. */
    private static void awaitRecords(EmbeddedKafkaBroker broker, String topic, int count, CompletableFuture<CliRun> run)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                long end = 0;
                if (admin.listTopics().names().get().contains(topic)) {
                    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
                    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
                    partitions.forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
                    for (var o : admin.listOffsets(latest).all().get().values()) {
                        end += o.offset();
                    }
                }
                if (end >= count) {
                    return;
                }
                if (run.isDone() || System.nanoTime() > deadline) {
                    throw new AssertionError("no " + count + " records in " + topic + " (" + end + ")"
                            + (run.isDone() ? "; the run ended: " + run.join().err() : ""));
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void theProductionExamplesRunEndToEndInOneSluiceRunAndEverySinkHoldsTheirRows(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
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
        try (var client = dev.sluice.connect.s3.S3Clients.create(new dev.sluice.connect.s3.S3Settings("us-east-1",
                s3.endpoint(), S3Server.KEY, S3Server.KEY, "", "", "", "", "", false))) {
            if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals("data-lake"))) {
                client.createBucket(b -> b.bucket("data-lake"));
            }
        }
        // before the run (the compiler samples each topic's columns): the inputs without a join, and
        // for the joined streams one row that joins nothing whenever it is read (a user with no
        // profile row, a transaction older than the 7-day filter)
        ItSupport.produce(broker, "app-metrics-" + suffix, List.of(
                metric("2024-01-15T10:00:05Z", 1, 100), metric("2024-01-15T10:00:20Z", 2, 200),
                metric("2024-01-15T10:00:40Z", 1, 300), metric("2024-01-15T10:01:10Z", 3, 50)));
        ItSupport.produce(broker, "raw-events-" + suffix, List.of(raw(1, "2024-01-15T10:00:00Z"), raw(2, "2024-01-15T10:01:00Z"),
                raw(3, "2024-01-16T09:00:00Z"), raw(4, "2024-01-15T10:07:00Z")));
        long before = System.currentTimeMillis();
        ItSupport.produce(broker, "events-" + suffix, List.of(new ItSupport.Sent(0, null, "{\"event_id\":3,\"event_type\":\"buy\","
                + "\"timestamp\":\"" + java.time.Instant.ofEpochMilli(before) + "\",\"user_id\":9}", before)));
        ItSupport.produce(broker, "transactions-" + suffix, List.of(new ItSupport.Sent(0, null,
                "{\"user_id\":2,\"amount\":1.5,\"transaction_time\":\"2020-01-01T00:00:00Z\"}", before)));
        System.setProperty("aws.endpointUrlS3", s3.endpoint());
        long t0 = System.nanoTime();
        // the run's deployment settings (they override the script's SET, as --config does in production):
        // ml_features' checkpoint_interval = '1 minute' becomes the application's commit interval, so
        // results would appear a minute late; and no record cache, so each update is one change in
        // the ordered changelog (the cache folds updates by commit timing)
        Files.writeString(dir.resolve("run.properties"), "commit.interval.ms=500\nstatestore.cache.max.bytes=0\n");
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.sluice("run", dir.resolve("prod.sql").toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--config", dir.resolve("run.properties").toString(),
                "--data-dir", dir.resolve("data").toString(), "--format", "jsonl", "--idle-timeout", "6s", "--timeout", "120s"));
        awaitRecords(broker, "sluice-prod-multi_sink_pipeline-u-source.public.users", 2, run);
        System.out.println("USERS LOADED " + (System.nanoTime() - t0) / 1_000_000);
        awaitRecords(broker, "sluice-prod-ml_features-source.public.user_profiles", 3, run);
        awaitRecords(broker, "orders-cdc-" + suffix, 2, run);
        // the profiles are through the foreign-key join (and the users table, read alongside, is in its store)
        // before the transactions and events that join them are written
        awaitRecords(broker, "ml-features-" + suffix, 3, run);
        ItSupport.readCommitted(broker, "ml-features-" + suffix, 3, Duration.ofSeconds(60));
        System.out.println("ALL LOADED " + (System.nanoTime() - t0) / 1_000_000);
        pg.execute("prod_shop", "UPDATE orders SET status = 'shipped' WHERE id = 1", "DELETE FROM orders WHERE id = 2",
                "INSERT INTO orders VALUES (3, 'cy', 7.25, 'pending')");
        long now = System.currentTimeMillis();
        String today = java.time.Instant.ofEpochMilli(now).toString();
        ItSupport.produce(broker, "events-" + suffix, List.of(
                new ItSupport.Sent(0, null, "{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"" + today + "\",\"user_id\":1}", now),
                new ItSupport.Sent(0, null, "{\"event_id\":2,\"event_type\":\"view\",\"timestamp\":\"" + today + "\",\"user_id\":2}", now)));
        String recent = java.time.Instant.ofEpochMilli(now - 3_600_000).toString();
        ItSupport.produce(broker, "transactions-" + suffix, List.of(
                new ItSupport.Sent(0, null, "{\"user_id\":1,\"amount\":12.5,\"transaction_time\":\"" + recent + "\"}", now),
                new ItSupport.Sent(0, null, "{\"user_id\":1,\"amount\":7.5,\"transaction_time\":\"" + recent + "\"}", now),
                new ItSupport.Sent(0, null, "{\"user_id\":2,\"amount\":100.0,\"transaction_time\":\"" + recent + "\"}", now)));
        CliRun r = run.get();
        System.clearProperty("aws.endpointUrlS3");
        System.out.println("seed 001 production examples: one sluice run of " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(0, r.exitCode(), r.err());

        // Real-Time Analytics: the ordered changelog of the one-minute windows (p95 interpolated as PERCENTILE_CONT does)
        assertEquals(List.of(
                "+I 2024-01-15T10:00:00.000Z count=1 users=1 avg=100 p95=100",
                "-U 2024-01-15T10:00:00.000Z count=1 users=1 avg=100 p95=100",
                "+U 2024-01-15T10:00:00.000Z count=2 users=2 avg=150 p95=195",
                "-U 2024-01-15T10:00:00.000Z count=2 users=2 avg=150 p95=195",
                "+U 2024-01-15T10:00:00.000Z count=3 users=2 avg=200 p95=290",
                "+I 2024-01-15T10:01:00.000Z count=1 users=1 avg=50 p95=50"),
                values(broker, "realtime_analytics", 6).stream().map(v -> v.get("op").asText() + " " + v.get("window_start").asText()
                        + " count=" + v.get("event_count") + " users=" + v.get("unique_users") + " avg=" + num(v.get("avg_response_time"))
                        + " p95=" + num(v.get("p95_latency"))).toList());

        // Multi-sink: the same two joined rows (event 3's user has no row) in Kafka, ClickHouse and Parquet files
        List<String> enriched = List.of("1|click|1|gold|1200.5", "2|view|2|new|0");
        List<com.fasterxml.jackson.databind.JsonNode> kafka = values(broker, "enriched-events-" + suffix, 2);
        assertEquals(enriched, kafka.stream().map(Seed001ProductionExamplesTest::eventRow).toList());
        assertEquals(List.of(today, today), kafka.stream().map(v -> v.get("timestamp").asText()).toList());
        assertEquals("1\tclick\t1\tgold\t1200.5\n2\tview\t2\tnew\t0\n", ch.execute("SELECT event_id, event_type, user_id,"
                + " user_segment, lifetime_value FROM prod_analytics.events ORDER BY event_id FORMAT TabSeparated"));
        java.time.ZonedDateTime at = java.time.Instant.ofEpochMilli(now).atZone(java.time.ZoneOffset.UTC);
        Path hourDir = dir.resolve("archive/events/" + at.toLocalDate() + "/" + String.format("%02d", at.getHour()));
        List<Path> archived;
        try (var files = Files.list(hourDir)) {
            archived = files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
        assertEquals(1, archived.size(), archived.toString());
        assertTrue(archived.get(0).getFileName().toString().endsWith(".parquet"), "sink_format = 'parquet': " + archived);
        assertEquals(enriched, parquetRows(archived.get(0)).stream().map(Seed001ProductionExamplesTest::eventRow).toList());

        // CDC: the snapshot, then the UPDATE, DELETE and INSERT made while it ran; and cdc_processor's records
        // (NUMERIC(10,2) amounts, as JSON numbers read back here as doubles)
        List<String> cdc = List.of(
                "INSERT null {\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"status\":\"pending\"}",
                "INSERT null {\"id\":2,\"customer\":\"bob\",\"amount\":5.0,\"status\":\"pending\"}",
                "UPDATE {\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"status\":\"pending\"} "
                        + "{\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"status\":\"shipped\"}",
                "DELETE {\"id\":2,\"customer\":\"bob\",\"amount\":5.0,\"status\":\"pending\"} null",
                "INSERT null {\"id\":3,\"customer\":\"cy\",\"amount\":7.25,\"status\":\"pending\"}");
        List<com.fasterxml.jackson.databind.JsonNode> changes = values(broker, "orders-cdc-" + suffix, 5);
        assertEquals(cdc, changes.stream().map(v -> v.get("operation").asText() + " " + v.get("before") + " " + v.get("after")).toList());
        long startedMs = System.currentTimeMillis() - (System.nanoTime() - t0) / 1_000_000 - 60_000;
        changes.forEach(v -> assertTrue(v.get("timestamp").asLong() > startedMs, "source.ts_ms of the change: " + v));
        List<com.fasterxml.jackson.databind.JsonNode> processed = values(broker, "cdc_processor", 5);
        assertEquals(List.of(
                "INSERT {\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"status\":\"pending\"}",
                "INSERT {\"id\":2,\"customer\":\"bob\",\"amount\":5.0,\"status\":\"pending\"}",
                "UPDATE {\"id\":1,\"customer\":\"ann\",\"amount\":10.5,\"status\":\"shipped\"}",
                "DELETE {\"id\":2,\"customer\":\"bob\",\"amount\":5.0,\"status\":\"pending\"}",
                "INSERT {\"id\":3,\"customer\":\"cy\",\"amount\":7.25,\"status\":\"pending\"}"),
                processed.stream().map(v -> v.get("operation").asText() + " " + v.get("record")).toList());
        assertEquals(changes.stream().map(v -> v.get("timestamp").asLong()).toList(),
                processed.stream().map(v -> v.get("timestamp").asLong()).toList());

        // Data lake: day 15's first five minutes of event time make one Parquet object under year=/month=/day=;
        // its roll (at 10:07) rolls day 16's object of the same partition too (so the commit passes both);
        // 10:07's row is in an object still open (flush_interval): not uploaded, not committed
        var lake = ItSupport.readCommitted(broker, "data_lake_ingestion", 4, Duration.ofSeconds(20));
        assertEquals(List.of("1|2024|1|15", "2|2024|1|15", "3|2024|1|16", "4|2024|1|15"), lake.stream()
                .map(record -> lakeRow(ItSupport.json(record.value()))).toList());
        // an object is named after the offset of its first record; under exactly-once a transaction's commit
        // marker takes an offset too, and how many commits fall between the rows depends on timing, so the
        // offsets are read from the topic, not assumed (0 and 2 when one transaction held every row)
        String day15Object = String.format("data_lake_ingestion-0-%019d.parquet", lake.get(0).offset());
        String day16Object = String.format("data_lake_ingestion-0-%019d.parquet", lake.get(2).offset());
        try (var client = dev.sluice.connect.s3.S3Clients.create(new dev.sluice.connect.s3.S3Settings("us-east-1",
                s3.endpoint(), S3Server.KEY, S3Server.KEY, "", "", "", "", "", false))) {
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket("data-lake")).contents().stream()
                    .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
            assertEquals(List.of("events/year=2024/month=1/day=15/" + day15Object,
                    "events/year=2024/month=1/day=16/" + day16Object), keys);
            Path copy = dir.resolve("lake.parquet");
            Files.write(copy, client.getObjectAsBytes(b -> b.bucket("data-lake").key(keys.get(0))).asByteArray());
            assertEquals(List.of("1|2024|1|15", "2|2024|1|15"), parquetRows(copy).stream()
                    .map(Seed001ProductionExamplesTest::lakeRow).toList());
            Path day16 = dir.resolve("lake16.parquet");
            Files.write(day16, client.getObjectAsBytes(b -> b.bucket("data-lake").key(keys.get(1))).asByteArray());
            assertEquals(List.of("3|2024|1|16"), parquetRows(day16).stream().map(Seed001ProductionExamplesTest::lakeRow).toList());
        }

        // ML features: per user, the ordered changelog of the profile LEFT JOIN its 7-day aggregates
        // (the 2020 transaction is outside the window; user 3 has none)
        Map<String, List<String>> features = new java.util.TreeMap<>();
        for (var v : values(broker, "ml-features-" + suffix, 9)) {
            features.computeIfAbsent(v.get("user_id").asText(), k -> new java.util.ArrayList<>()).add(v.get("op").asText() + " "
                    + v.get("name").asText() + "/" + v.get("country").asText() + " n=" + v.get("transaction_count_7d")
                    + " avg=" + num(v.get("avg_transaction_amount_7d")) + " sd=" + num(v.get("stddev_amount_7d"))
                    + " max=" + num(v.get("max_amount_7d")) + " " + v.get("activity_level").asText());
        }
        assertEquals(Map.of(
                "1", List.of("+I ann/FR n=null avg=null sd=null max=null low", "-U ann/FR n=null avg=null sd=null max=null low",
                        "+U ann/FR n=1 avg=12.5 sd=null max=12.5 low", "-U ann/FR n=1 avg=12.5 sd=null max=12.5 low",
                        "+U ann/FR n=2 avg=10 sd=3.535534 max=12.5 low"),
                "2", List.of("+I bob/DE n=null avg=null sd=null max=null low", "-U bob/DE n=null avg=null sd=null max=null low",
                        "+U bob/DE n=1 avg=100 sd=null max=100 low"),
                "3", List.of("+I cy/US n=null avg=null sd=null max=null low")), features);
        pg.execute("prod_shop", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = 'prod_shop'");
    }
}
