package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.SluiceMain;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004 end to end with {@code sluice run --http-port}: the three dynamic tables and the view are
 * maintained from TEST_RESULTS on a real broker, and the dashboard's queries are answered by the API:
 * section 7's checks, the histogram with {@code :template_id}, the view, the system tables; the web
 * console shows it all in headless Chromium; RESET OFFSET stops the run.
 */
@ExtendWith(KafkaBrokerExtension.class)
class Seed004DashboardTest {

    @Test
    void seed004RunsWithTheApiAnsweringTheDashboardQueries(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path root = repoRoot();
        String app = KafkaBrokerExtension.uniqueName("s004").replace('-', '_');
        String pipeline = Files.readString(root.resolve("topologies/s004_dynamic_tables/pipeline.sql"))
                .replace("'topic' = 'test_results'", "'topic' = '" + app + "_test_results'");
        String view = Files.readString(root.resolve("topologies/s004_v_template_runs/pipeline.sql"));
        view = view.substring(view.indexOf("CREATE OR REPLACE VIEW"));
        String executions = """
                CREATE STREAM FLAKEBENCH.TEST_RESULTS.QUERY_EXECUTIONS (
                    EXECUTION_ID VARCHAR, TEST_ID VARCHAR, APP_ELAPSED_MS DOUBLE, WARMUP BOOLEAN, SUCCESS BOOLEAN
                ) WITH ('topic' = '%s_query_executions', 'format' = 'json');
                """.formatted(app);
        Path script = dir.resolve(app + ".sql");
        Files.writeString(script, pipeline + "\n" + view + "\n" + executions);
        Path qe = Path.of(Seed004DashboardTest.class.getResource("/serve/QUERY_EXECUTIONS.jsonl").toURI());

        StringWriter errText = new StringWriter();
        StringWriter outText = new StringWriter();
        PrintWriter err = new PrintWriter(errText, true);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> SluiceMain.execute(new PrintWriter(outText, true), err,
                "run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--create-topics",
                "--input", "TEST_RESULTS=" + root.resolve("topologies/s004_dynamic_tables/cases/sample/input/TEST_RESULTS.jsonl"),
                "--input", "QUERY_EXECUTIONS=" + qe, "--http-port", "0", "--format", "jsonl", "--timeout", "240s"));
        int port = ServeClient.announcedPort(errText, run, Duration.ofSeconds(120));

        // `run --input` writes its input phase by phase (InputPhases): QUERY_EXECUTIONS, read by no query,
        // may still be unwritten when TEST_RESULTS is consumed (CI once saw the histogram answer no rows)
        long executionCount = Files.readAllLines(qe).stream().filter(l -> !l.isBlank()).count();
        waitUntil(() -> rows(port, "SELECT * FROM FLAKEBENCH.TEST_RESULTS.QUERY_EXECUTIONS") == executionCount,
                "QUERY_EXECUTIONS written");
        waitUntil(() -> lag(port) == 0, "TEST_RESULTS consumed (QUERY_EXECUTIONS is read on demand only)");
        JsonNode dynamic = ServeClient.ksql(port, "SHOW DYNAMIC TABLES LIKE 'DT_%' IN SCHEMA FLAKEBENCH.TEST_RESULTS;").body()
                .get(0).get("dynamicTables");
        assertEquals(3, dynamic.size(), dynamic.toString());
        dynamic.forEach(t -> assertEquals(60_000, t.get("target_lag_ms").asLong()));

        // section 7, step 6: refresh now instead of within the minute
        JsonNode refreshed = ServeClient.ksql(port, """
                ALTER DYNAMIC TABLE DT_TABLE_TYPE_SUMMARY REFRESH;
                ALTER DYNAMIC TABLE DT_TEMPLATE_STATISTICS REFRESH;
                ALTER DYNAMIC TABLE DT_DAILY_COST_ROLLUP REFRESH;""").body();
        assertEquals(3, refreshed.size(), refreshed.toString());
        waitUntil(() -> rows(port, "SELECT * FROM DT_TABLE_TYPE_SUMMARY") == 3, "the summary published");

        // section 7, step 7: the expected rows come from the pipeline's oracle-checked case
        List<String> expectedSummary = new ArrayList<>();
        List<String> expectedStatistics = new ArrayList<>();
        List<String> expectedDays = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("topologies/s004_dynamic_tables/cases/sample/expected.jsonl"))) {
            JsonNode row = ServeClient.JSON.readTree(line);
            switch (row.get("_sink").asText()) {
                case "DT_TABLE_TYPE_SUMMARY" -> expectedSummary.add(row.get("TABLE_TYPE").asText() + " " + row.get("test_count")
                        + " " + row.get("avg_qps") + " " + row.get("total_credits"));
                case "DT_TEMPLATE_STATISTICS" -> expectedStatistics.add(row.get("template_id").asText());
                default -> expectedDays.add(row.get("run_date").asText());
            }
        }
        ServeClient.Answer summary = ServeClient.query(port, "SELECT TABLE_TYPE, test_count, avg_qps, total_credits "
                + "FROM DT_TABLE_TYPE_SUMMARY ORDER BY TABLE_TYPE", Map.of());
        assertEquals(expectedSummary.stream().sorted().toList(), summary.body().size() > 1
                ? summary.rows().stream().map(r -> r.get(0) + " " + r.get(1) + " " + asDouble(r.get(2)) + " " + asDouble(r.get(3))).toList()
                : List.of());
        // a refresh publishes what has reached the table; updates still in the repartition topics come
        // after it (and would wait for the lag), so a dashboard refreshing again sees them at once
        waitUntil(() -> refreshed(port) && rows(port, "SELECT * FROM DT_DAILY_COST_ROLLUP") == expectedDays.size()
                && rows(port, "SELECT * FROM DT_TEMPLATE_STATISTICS") == expectedStatistics.size(), "every table published");
        assertEquals(List.of(List.of((long) expectedStatistics.size())), longs(ServeClient.query(port,
                "SELECT COUNT(*) AS template_count FROM DT_TEMPLATE_STATISTICS", Map.of())));
        assertEquals(List.of(List.of((long) expectedDays.size())), longs(ServeClient.query(port,
                "SELECT COUNT(*) AS day_count FROM DT_DAILY_COST_ROLLUP", Map.of())));

        // section 6: the histogram, on demand over QUERY_EXECUTIONS joined to TEST_RESULTS
        ServeClient.Answer histogram = ServeClient.query(port, """
                SELECT
                    WIDTH_BUCKET(APP_ELAPSED_MS, 0, 200, 20) AS bucket,
                    MIN(APP_ELAPSED_MS) AS bucket_min,
                    MAX(APP_ELAPSED_MS) AS bucket_max,
                    COUNT(*) AS count
                FROM FLAKEBENCH.TEST_RESULTS.QUERY_EXECUTIONS qe
                JOIN FLAKEBENCH.TEST_RESULTS.TEST_RESULTS tr
                    ON qe.TEST_ID = tr.TEST_ID
                WHERE
                    tr.TEST_CONFIG:template_id::VARCHAR = :template_id
                    AND qe.WARMUP = FALSE  -- Exclude warmup
                    AND qe.SUCCESS = TRUE  -- Only successful queries
                GROUP BY bucket
                ORDER BY bucket""", Map.of("template_id", "tpl-a"));
        assertEquals(200, histogram.status(), String.valueOf(histogram.body()));
        assertEquals(List.of("bucket", "bucket_min", "bucket_max", "count"), histogram.columns());
        assertEquals(List.of("1 5.0 8.0 2", "2 15.0 15.0 1", "20 199.0 199.0 1", "21 250.0 250.0 1"),
                histogram.rows().stream().map(r -> r.get(0) + " " + asDouble(r.get(1)) + " " + asDouble(r.get(2)) + " " + r.get(3)).toList());

        // section 5: the view, filtered by template
        ServeClient.Answer runs = ServeClient.query(port, "SELECT TEST_ID, recency_rank FROM V_TEMPLATE_RUNS "
                + "WHERE template_id = :template_id ORDER BY recency_rank", Map.of("template_id", "tpl-a"));
        assertEquals(List.of("t09 1", "t05 2", "t02 3", "t01 4"), runs.rows().stream().map(r -> r.get(0) + " " + r.get(1)).toList());

        // an unbound parameter is an error at its position
        ServeClient.Answer unbound = ServeClient.query(port, "SELECT * FROM V_TEMPLATE_RUNS\nWHERE template_id = :tpl", Map.of());
        assertEquals(400, unbound.status());
        assertEquals(2, unbound.body().get("position").get("line").asInt());
        assertEquals(21, unbound.body().get("position").get("column").asInt());

        // system tables
        ServeClient.Answer jobs = ServeClient.query(port, "SELECT * FROM SYSTEM.JOBS", Map.of());
        assertEquals(200, jobs.status(), String.valueOf(jobs.body()));
        int status = jobs.columns().indexOf("status");
        // the three dynamic tables and the bare SELECT of the view's pipeline
        assertEquals(List.of("Running", "Running", "Running", "Running"), jobs.rows().stream().map(r -> r.get(status)).toList());
        assertTrue(ServeClient.query(port, "SELECT stream_name FROM SYSTEM.STREAMS", Map.of()).rows().stream()
                .anyMatch(r -> r.get(0).equals("QUERY_EXECUTIONS")));
        assertEquals(List.of(List.of("TEST_RESULTS", 12L)), ServeClient.query(port,
                "SELECT stream_name, current_offset FROM system.kafka_consumer_status WHERE stream_name = 'TEST_RESULTS'", Map.of())
                .rows().stream().map(r -> List.<Object>of(r.get(0), ((Number) r.get(1)).longValue())).toList());
        assertEquals(List.of("TEST_RESULTS"), ServeClient.query(port, "SELECT stream_name FROM SYSTEM.WATERMARKS "
                + "WHERE latest_event_timestamp IS NOT NULL", Map.of()).rows().stream().map(r -> r.get(0)).toList());
        assertEquals(2, ServeClient.ksql(port, "SET parallelism = 2;").body().get(0).get("threads").asInt());

        // the web console, in a real browser
        String dom = Chromium.dumpDom("http://127.0.0.1:" + port + "/?table=DT_TABLE_TYPE_SUMMARY");
        assertTrue(dom.contains("data-loaded=\"true\""), "the console loaded its state: " + dom);
        for (String shown : List.of(app, "dt_table_type_summary-target-lag", "DT_TABLE_TYPE_SUMMARY", "INTERACTIVE", "HYBRID",
"current_offset", "watermark_timestamp", "records_in")) {
            assertTrue(dom.contains(shown), "the console shows " + shown);
        }
        Matcher rowCount = Pattern.compile("<tr class=\"row\">").matcher(dom.substring(dom.indexOf("id=\"rows\"")));
        int shownRows = 0;
        while (rowCount.find()) {
            shownRows++;
        }
        assertEquals(3, shownRows, "the table's three current rows");

        // RESET OFFSET moves the source's offsets back and the application processes it again, in the same run
        JsonNode reset = ServeClient.ksql(port, "ALTER STREAM TEST_RESULTS RESET OFFSET TO 'earliest';").body();
        assertTrue(reset.toString().contains("reset to [0]") && reset.toString().contains("processing again"), reset.toString());
        assertTrue(!run.isDone(), "the run goes on after RESET OFFSET: " + errText);
        waitUntil(() -> lag(port) == 0, "TEST_RESULTS consumed again after the reset");
        assertEquals(3, rows(port, "SELECT * FROM DT_TABLE_TYPE_SUMMARY"), "served throughout");

        // ksqlDB's TERMINATE ALL stops every query: the run ends
        JsonNode terminated = ServeClient.ksql(port, "TERMINATE ALL;").body();
        assertEquals("TERMINATING", terminated.get(0).get("status").asText(), terminated.toString());
        assertEquals(0, run.get(60, TimeUnit.SECONDS), errText.toString());
        long end = broker.admin().listOffsets(Map.of(new org.apache.kafka.common.TopicPartition(app + "_test_results", 0),
                org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS).values().iterator().next().offset();
        long committed = broker.admin().listConsumerGroupOffsets("sluice-" + app).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).entrySet().stream().filter(e -> e.getKey().topic().equals(app + "_test_results"))
                .mapToLong(e -> e.getValue().offset()).sum();
        assertEquals(end, committed, "every record processed (again) and committed before the run ended");
    }

    private static boolean refreshed(int port) {
        try {
            return ServeClient.ksql(port, "ALTER DYNAMIC TABLE DT_TEMPLATE_STATISTICS REFRESH; "
                    + "ALTER DYNAMIC TABLE DT_DAILY_COST_ROLLUP REFRESH;").status() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String asDouble(Object v) {
        return v == null ? "null" : Double.toString(((Number) v).doubleValue());
    }

    private static List<List<Long>> longs(ServeClient.Answer a) {
        return a.rows().stream().map(r -> r.stream().map(v -> ((Number) v).longValue()).toList()).toList();
    }

    private static long lag(int port) {
        try {
            ServeClient.Answer a = ServeClient.query(port, "SELECT SUM(lag) AS lag, COUNT(current_offset) AS read "
                    + "FROM system.kafka_consumer_status", Map.of());
            List<Object> row = a.rows().get(0);
            return ((Number) row.get(1)).longValue() == 1 ? ((Number) row.get(0)).longValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static int rows(int port, String sql) {
        try {
            return ServeClient.query(port, sql, Map.of()).rows().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    static Path repoRoot() {
        Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("topologies"))) {
            d = d.getParent();
        }
        return d;
    }
}
