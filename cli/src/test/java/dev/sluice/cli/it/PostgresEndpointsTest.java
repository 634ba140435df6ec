package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL through Kafka Connect, all real: PostgreSQL 15 (Debian), Debezium 3.6 in the in-process
 * worker, the shared broker. One {@code sluice run} reads a CDC stream (snapshot, then an UPDATE, a
 * DELETE and an INSERT made while it runs) and enriches a Kafka stream with a PostgreSQL table kept
 * current from its changes (seed 001's stream-table join), and polls a query incrementally.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PostgresEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.shared();
        pg.execute("postgres", "DROP DATABASE IF EXISTS pgtest", "CREATE DATABASE pgtest");
        pg.execute("pgtest",
                "CREATE TABLE orders (id INT PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC(10,2), status TEXT)",
                "ALTER TABLE orders REPLICA IDENTITY FULL",
                "INSERT INTO orders VALUES (1, 'ann', 10.50, 'pending'), (2, 'bob', 5.00, 'pending')",
                "CREATE TABLE products (id INT PRIMARY KEY, product_name TEXT, category TEXT)",
                "INSERT INTO products VALUES (100, 'lamp', 'home'), (200, 'book', 'media')",
                "CREATE TABLE events (id BIGINT PRIMARY KEY, kind TEXT, at TIMESTAMP NOT NULL)",
                "INSERT INTO events VALUES (1, 'a', '2026-12-01 10:00:00'), (2, 'b', '2026-12-01 11:00:00')",
                "CREATE TABLE events_copy (id BIGINT PRIMARY KEY, kind TEXT)",
                "INSERT INTO events_copy VALUES (2, 'stale')");
    }

    @Test
    void cdcSnapshotThenChangesAndAStreamTableJoinAndAPolledQueryRunThroughDebeziumAndTheWorker(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String cdcTopic = KafkaBrokerExtension.uniqueName("orders-cdc");
        String ordersTopic = KafkaBrokerExtension.uniqueName("orders");
        String polledTopic = KafkaBrokerExtension.uniqueName("polled");
        String db = "postgresql://postgres@127.0.0.1:" + pg.port() + "/pgtest";
        Path script = dir.resolve("pgtest.sql");
        Files.writeString(script, ""
                + "CREATE STREAM cdc_pipeline AS\n"
                + "SELECT operation, before, after, source.ts_ms AS ts\n"
                + "FROM '" + db + "?mode=cdc&table=orders'\n"
                + "INTO 'kafka://localhost:9092/" + cdcTopic + "'\n"
                + "WITH (snapshot_mode = 'initial', slot_name = 'sluice_test_orders', publication = 'sluice_test_pub');\n"
                + "CREATE STREAM orders_in (order_id BIGINT, product_id INT, quantity INT)\n"
                + "  WITH (datasource = 'kafka://localhost:9092/" + ordersTopic + "', format = 'json');\n"
                + "CREATE STREAM enriched_orders AS\n"
                + "SELECT o.order_id, o.quantity, p.product_name, p.category\n"
                + "FROM orders_in o LEFT JOIN '" + db + "?table=products' p ON o.product_id = p.id;\n"
                + "CREATE STREAM pg_events (id BIGINT, kind VARCHAR, at TIMESTAMP)\n"
                + "  WITH (datasource = '" + db + "', query = 'SELECT id, kind, at FROM events',\n"
                + "        poll_interval = '1 second', timestamp_column = 'at');\n"
                + "CREATE STREAM polled AS SELECT id, kind FROM pg_events\n"
                + "INTO 'kafka://localhost:9092/" + polledTopic + "', '" + db + "?table=events_copy'\n"
                + "WITH (sink_key = 'id');\n");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(ordersTopic, "x", "{}")).get(); // create it; an empty row joins nothing
        }
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.sluice("run", script.toString(),
                "--bootstrap-servers", broker.bootstrapServers(), "--data-dir", dir.resolve("data").toString(),
                "--format", "jsonl", "--max-rows", "11",
                "--timeout", "150s"));

        List<JsonNode> cdc = read(broker, cdcTopic, 2, Duration.ofSeconds(120), run);
        assertEquals(List.of("INSERT", "INSERT"), cdc.stream().map(r -> r.get("operation").asText()).toList(),
                cdc + (run.isDone() ? " - the run ended: " + run.join().err() : ""));
        pg.execute("pgtest", "UPDATE orders SET status = 'shipped' WHERE id = 1", "DELETE FROM orders WHERE id = 2",
                "INSERT INTO orders VALUES (3, 'cy', 7.25, 'pending')",
                "UPDATE products SET category = 'garden' WHERE id = 100",
                "INSERT INTO events VALUES (3, 'c', '2026-12-01 12:00:00')");
        cdc = read(broker, cdcTopic, 5, Duration.ofSeconds(60), run);
        // the JDBC sink upserts the polled rows into events_copy: row 2 replaces the stale one
        assertEquals(List.of("1|a", "2|b", "3|c"), awaitRows("SELECT id || '|' || kind FROM events_copy ORDER BY id", 3));
        // a stream record sees the table row current when it arrives: wait until the update is captured
        read(broker, "sluice-pgtest-enriched_orders-p-source.public.products", 3, Duration.ofSeconds(60), run);
        Thread.sleep(3000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(ordersTopic, "{\"order_id\":7,\"product_id\":100,\"quantity\":2}")).get();
            producer.send(new ProducerRecord<>(ordersTopic, "{\"order_id\":8,\"product_id\":999,\"quantity\":1}")).get();
        }
        CliRun r = run.get();
        System.out.println(r.err());
        assertEquals(0, r.exitCode(), r.err());

        // the change stream in seed 001's shape
        assertEquals(List.of("INSERT", "INSERT", "UPDATE", "DELETE", "INSERT"),
                cdc.stream().map(x -> x.get("operation").asText()).toList(), cdc.toString());
        JsonNode update = cdc.get(2);
        assertEquals("pending", update.get("before").get("status").asText());
        assertEquals("shipped", update.get("after").get("status").asText());
        assertEquals(0, update.get("after").get("amount").decimalValue().compareTo(new java.math.BigDecimal("10.50")));
        JsonNode delete = cdc.get(3);
        assertEquals("bob", delete.get("before").get("customer").asText());
        assertTrue(delete.get("after").isNull(), delete.toString());
        assertTrue(cdc.get(4).get("ts").asLong() > 1_700_000_000_000L, "source.ts_ms is the commit time: " + cdc.get(4));

        List<String> printed = r.out().lines().toList();
        List<String> enriched = new ArrayList<>();
        List<String> polled = new ArrayList<>();
        for (String line : printed) {
            JsonNode row = JSON.readTree(line);
            if (row.get("_sink").asText().equals("enriched_orders")) {
                enriched.add(row.get("order_id").asText() + "|" + row.get("quantity").asText() + "|"
                        + row.get("product_name").asText() + "|" + row.get("category").asText());
            } else if (row.get("_sink").asText().equals("polled")) {
                polled.add(row.get("id").asText() + "|" + row.get("kind").asText());
            }
        }
        // the empty {} row has a NULL product id: a LEFT JOIN keeps it with NULLs
        assertTrue(enriched.containsAll(List.of("7|2|lamp|garden", "8|1|null|null")), enriched.toString());
        // every event once, in timestamp order: two before the run, one polled while it ran
        assertEquals(List.of("1|a", "2|b", "3|c"), polled);
    }

    private static List<String> awaitRows(String sql, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> rows = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            rows = new ArrayList<>();
            try (var c = pg.connect("pgtest"); var s = c.createStatement(); var r = s.executeQuery(sql)) {
                while (r.next()) {
                    rows.add(r.getString(1));
                }
            }
            if (rows.size() >= count && !rows.contains("2|stale")) {
                return rows;
            }
            Thread.sleep(300);
        }
        return rows;
    }

    /** Reads until {@code atLeast} records, the timeout, or the end of the run (whose error then shows). */
    private static List<JsonNode> read(EmbeddedKafkaBroker broker, String topic, int atLeast, Duration timeout,
                                       CompletableFuture<CliRun> run) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueName("reader"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline && !run.isDone()) {
                for (ConsumerRecord<String, String> rec : c.poll(Duration.ofMillis(300))) {
                    if (rec.value() != null) {
                        out.add(JSON.readTree(rec.value()));
                    }
                }
            }
        }
        return out;
    }
}
