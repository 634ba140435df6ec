package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.cli.SluiceMain;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} with a real broker, a real in-process Connect worker, a real ClickHouse server
 * (Debian's 18.16) and a JDK HTTP server: an HTTP source that fails before it answers, retried under
 * seed 001's exponential policy, into ClickHouse (a row ClickHouse rejects is dead-lettered, the
 * others inserted); and a ClickHouse table read incrementally by a column, where a second run on
 * the same --data-dir reads only the rows inserted since.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ClickHouseHttpEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Result(int exitCode, String out, String err) {
    }

    private static Result sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void httpRecordsArriveAfterExponentialRetriesAndReachClickHouseWithTheRejectedRowDeadLettered(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        ClickHouseServer ch = ClickHouseServer.shared();
        ch.execute("CREATE DATABASE IF NOT EXISTS analytics", "DROP TABLE IF EXISTS analytics.events",
                "CREATE TABLE analytics.events (event_id UInt64, event_type Enum8('CLICK' = 1, 'VIEW' = 2), amount Float64)"
                        + " ENGINE = MergeTree ORDER BY event_id");
        // the first request (the compiler sampling the columns) is answered; the next three fail with 503
        List<Long> requests = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger count = new AtomicInteger();
        String body = "[{\"event_id\":1,\"event_type\":\"click\",\"amount\":10.5},"
                + "{\"event_id\":2,\"event_type\":\"view\",\"amount\":3.25},"
                + "{\"event_id\":3,\"event_type\":\"buy\",\"amount\":7.0}]";
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/events", exchange -> {
            requests.add(System.nanoTime());
            int n = count.incrementAndGet();
            byte[] answer = (n >= 2 && n <= 4 ? "busy" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(n >= 2 && n <= 4 ? 503 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        api.start();
        try {
            String topic = KafkaBrokerExtension.uniqueName("api-events");
            Path script = dir.resolve("http.sql");
            Files.writeString(script, "CREATE STREAM api_events AS\n"
                    + "SELECT CAST(event_id AS BIGINT) AS event_id, UPPER(event_type) AS event_type, amount\n"
                    + "FROM 'http://127.0.0.1:" + api.getAddress().getPort() + "/events'\n"
                    + "INTO 'kafka://localhost:9092/" + topic + "', 'clickhouse://127.0.0.1:" + ch.port()
                    + "/analytics?table=events'\n"
                    + "WITH (retry_policy = 'exponential', initial_retry_delay_ms = 200, max_retry_delay_ms = 2000,\n"
                    + "      max_retries = 5, jitter_factor = 0.1, poll_interval = '1 hour');\n");
            Result run = sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                    "--data-dir", dir.resolve("data").toString(), "--format", "jsonl", "--idle-timeout", "5s",
                    "--timeout", "90s");
            System.out.println(run.err);
            assertEquals(0, run.exitCode, run.err);
            List<String> printed = new ArrayList<>();
            for (String line : run.out.lines().toList()) {
                JsonNode r = JSON.readTree(line);
                printed.add(r.get("event_id").asText() + "|" + r.get("event_type").asText() + "|" + r.get("amount").asText());
            }
            assertEquals(List.of("1|CLICK|10.5", "2|VIEW|3.25", "3|BUY|7.0"), printed);

            // one sampling request, three failures, one answer; each wait about double the last (jitter 0.1)
            assertEquals(5, requests.size(), "requests made");
            long[] waitsMs = {ms(requests.get(2) - requests.get(1)), ms(requests.get(3) - requests.get(2)),
                ms(requests.get(4) - requests.get(3))};
            long[] planned = {200, 400, 800};
            for (int i = 0; i < 3; i++) {
                assertTrue(waitsMs[i] >= planned[i] * 0.9 - 5 && waitsMs[i] < planned[i] * 1.1 + 1500,
                        "wait before retry " + (i + 1) + " was " + waitsMs[i] + " ms, planned " + planned[i] + " ms +-10%");
            }

            // ClickHouse has the rows its Enum accepts; BUY is in the dead-letter topic with ClickHouse's reason
            assertEquals("1\tCLICK\t10.5\n2\tVIEW\t3.25\n",
                    ch.execute("SELECT event_id, event_type, amount FROM analytics.events ORDER BY event_id FORMAT TabSeparated"));
            String dlq;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                dlq = admin.listTopics().names().get().stream().filter(t -> t.contains("api_events-clickhouse-sink-dlq"))
                        .findFirst().orElseThrow(() -> new AssertionError("no dead-letter topic for the ClickHouse sink"));
            }
            List<ConsumerRecord<byte[], byte[]>> dead = ItSupport.readCommitted(broker, dlq, 1, Duration.ofSeconds(20));
            assertEquals(1, dead.size(), "dead-lettered records");
            assertEquals("BUY", ItSupport.json(dead.get(0).value()).get("event_type").asText());
            Header reason = dead.get(0).headers().lastHeader("__connect.errors.exception.message");
            assertTrue(reason != null && new String(reason.value(), StandardCharsets.UTF_8).contains("Unknown element 'BUY'"),
                    "the dead letter carries ClickHouse's reason");
        } finally {
            api.stop(0);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    @Test
    void aClickHouseTableIsReadIncrementallyByItsColumnAndARestartReadsOnlyNewRows(EmbeddedKafkaBroker broker,
                                                                                   @TempDir Path dir) throws Exception {
        ClickHouseServer ch = ClickHouseServer.shared();
        ch.execute("CREATE DATABASE IF NOT EXISTS shop", "DROP TABLE IF EXISTS shop.orders",
                "CREATE TABLE shop.orders (id UInt64, customer String, amount Decimal(10, 2), at DateTime)"
                        + " ENGINE = MergeTree ORDER BY id",
                "INSERT INTO shop.orders VALUES (2, 'bob', 3.25, '2024-01-15 11:00:00'), (1, 'ann', 10.5, '2024-01-15 10:00:00')");
        Path script = dir.resolve("ch.sql");
        Files.writeString(script, "CREATE STREAM big_orders AS\n"
                + "SELECT id, UPPER(customer) AS customer, amount, at\n"
                + "FROM 'clickhouse://127.0.0.1:" + ch.port() + "/shop?table=orders'\n"
                + "WITH (incremental_column = 'id', poll_interval = '1 second');\n");
        Path data = dir.resolve("data");
        Result first = sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--data-dir", data.toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s");
        System.out.println(first.err);
        assertEquals(0, first.exitCode, first.err);
        assertEquals(List.of("1|ANN|10.5|2024-01-15T10:00:00", "2|BOB|3.25|2024-01-15T11:00:00"), rows(first.out));

        ch.execute("INSERT INTO shop.orders VALUES (3, 'cy', 1.00, '2024-01-15 12:00:00')");
        Result second = sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--data-dir", data.toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s");
        System.out.println(second.err);
        assertEquals(0, second.exitCode, second.err);
        assertEquals(List.of("3|CY|1|2024-01-15T12:00:00"), rows(second.out));
    }

    /** id|customer|amount|at, amounts as plain numbers and the timestamp to the second. */
    private static List<String> rows(String printed) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : printed.lines().toList()) {
            JsonNode r = JSON.readTree(line);
            out.add(r.get("id").asText() + "|" + r.get("customer").asText() + "|"
                    + r.get("amount").decimalValue().stripTrailingZeros().toPlainString() + "|"
                    + r.get("at").asText().substring(0, 19));
        }
        return out;
    }
}
