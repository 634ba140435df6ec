package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} over file endpoints with a real broker and a real in-process Connect worker:
 * a CSV glob across partition directories and a gzip file in, rolling files by event time out; a
 * second run on the same --data-dir reads only the new file and the lines appended since.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FileEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Printed rows as id|name|amount|year|month, amounts compared as numbers (10.50 = 10.5). */
    private static List<String> rows(String printed) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : printed.lines().toList()) {
            JsonNode r = JSON.readTree(line);
            out.add(r.get("order_id").asText() + "|" + r.get("customer_name").asText() + "|"
                    + r.get("amount").decimalValue().stripTrailingZeros().toPlainString() + "|" + r.get("year").asText()
                    + "|" + r.get("month").asText());
        }
        return out;
    }

    @Test
    void csvFilesFlowThroughConnectIntoRollingFilesAndARestartNeitherLosesNorRepeatsALine(EmbeddedKafkaBroker broker,
                                                                                          @TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("year=2024/month=01"));
        Files.createDirectories(in.resolve("year=2024/month=02"));
        // skip_lines = 1 with a header: the header is the first line
        Files.writeString(in.resolve("year=2024/month=01/a.csv"), "order_id,customer_name,amount,order_date\n"
                + "1,\"ann, a.\",10.50,2024-01-15\n2,bob,99.99,2024-01-16\n");
        Files.writeString(in.resolve("year=2024/month=02/b.csv"), "order_id,customer_name,amount,order_date\n"
                + "3,\"say \"\"hi\"\"\",5.00,2024-02-01\n");
        Path out = dir.resolve("out");
        String topic = KafkaBrokerExtension.uniqueName("processed-orders");
        Path script = dir.resolve("files.sql");
        Files.writeString(script, "CREATE STREAM file_to_kafka_pipeline AS\n"
                + "SELECT CAST(order_id AS BIGINT) AS order_id, UPPER(customer_name) AS customer_name,\n"
                + "       CAST(amount AS DECIMAL(10,2)) AS amount, year, month\n"
                + "FROM 'file://" + in + "/year=*/month=*/*.csv*'\n"
                + "INTO 'kafka://localhost:9092/" + topic + "', 'file://" + out + "/${year}/${month}/'\n"
                + "WITH (source_format = 'csv', source_header = true, delimiter = ',', quote_char = '\"', skip_lines = 1,\n"
                + "      partition_columns = 'year,month', sink_format = 'json');\n");
        Path data = dir.resolve("data");
        CliRun first = CliRun.sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--data-dir", data.toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s");
        System.out.println(first.err());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.err().contains("Kafka Connect worker on http://127.0.0.1:"), first.err());
        assertEquals(List.of("1|ANN, A.|10.5|2024|01", "2|BOB|99.99|2024|01", "3|SAY \"HI\"|5|2024|02"),
                rows(first.out()));

        // between runs: a line appended to an old file, a new directory, and a gzip file
        Files.writeString(in.resolve("year=2024/month=02/b.csv"), "4,dan,1.25,2024-02-02\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(in.resolve("year=2024/month=03"));
        try (var gz = new GZIPOutputStream(Files.newOutputStream(in.resolve("year=2024/month=03/c.csv.gz")))) {
            gz.write("order_id,customer_name,amount,order_date\n5,eve,7.00,2024-03-01\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(in.resolve("year=2024/month=03/d.csv"), "order_id,customer_name,amount,order_date\n");
        CliRun second = CliRun.sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--data-dir", data.toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s");
        System.out.println(second.err());
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(List.of("4|DAN|1.25|2024|02", "5|EVE|7|2024|03"), rows(second.out()));

        // the file sink wrote every row once, under directories made from each row
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                assertTrue(!f.getFileName().toString().startsWith("."), "no unfinished file is left: " + f);
                for (String line : Files.readAllLines(f)) {
                    JsonNode row = JSON.readTree(line);
                    assertEquals(out.resolve(row.get("year").asText()).resolve(row.get("month").asText()), f.getParent());
                    written.add(row.get("order_id").asText());
                }
            }
        }
        assertEquals(List.of("1", "2", "3", "4", "5"), written.stream().sorted().toList());
    }

    /**
     * A sink that fails for good never catches up; the bounded run's idle stop used to wait for it
     * for ever (without --timeout). It stops with the connector's reason and a non-zero exit.
     */
    @Test
    void aRunWhoseSinkFailsForGoodStopsAndSaysWhichSinkAndWhy(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.writeString(in.resolve("a.jsonl"), "{\"id\":1}\n{\"id\":2}\n");
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a regular file where the sink wants a directory");
        String topic = KafkaBrokerExtension.uniqueName("failing_sink");
        Path script = dir.resolve("failing.sql");
        Files.writeString(script, "CREATE STREAM copied AS\n"
                + "SELECT id FROM 'file://" + in + "/*.jsonl'\n"
                + "INTO 'kafka://localhost:9092/" + topic + "', 'file://" + blocker + "/out/'\n"
                + "WITH (format = 'json');\n");
        long started = System.nanoTime();
        CliRun run = CliRun.sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--format", "jsonl", "--idle-timeout", "3s", "--timeout", "120s");
        assertEquals(70, run.exitCode(), run.err());
        assertTrue(run.err().contains("a sink stopped: connector ") && run.err().contains(" failed: "), run.err());
        assertTrue(!run.err().contains("--timeout"), "stopped by the failed sink, not by --timeout: " + run.err());
        assertTrue(System.nanoTime() - started < 110_000_000_000L, run.err());
    }

    @Test
    void parquetFilesFromAnIndependentWriterFlowIntoRollingParquetFilesByTheirPartitionColumn(EmbeddedKafkaBroker broker,
                                                                                             @TempDir Path dir) throws Exception {
        // written by hyparquet-writer (JavaScript), not by the Parquet library Sluice reads with
        Path fixture = ItSupport.repoRoot().resolve("connect/src/test/resources/parquet/independent-writer.parquet");
        Path in = dir.resolve("in/year=2024/month=01");
        Files.createDirectories(in);
        Files.copy(fixture, in.resolve("part-0.parquet"));
        Path out = dir.resolve("out");
        String topic = KafkaBrokerExtension.uniqueName("lake");
        Path script = dir.resolve("parquet.sql");
        Files.writeString(script, "CREATE STREAM lake AS\n"
                + "SELECT order_id, customer, amount * 2 AS doubled, created_at, address, tags, year\n"
                + "FROM 'file://" + dir.resolve("in") + "/year=*/month=*/*.parquet'\n"
                + "INTO 'kafka://localhost:9092/" + topic + "', 'file://" + out + "/year=${year}/'\n"
                + "WITH (format = 'parquet', partition_columns = 'year,month', compression = 'gzip');\n");
        CliRun run = CliRun.sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--data-dir", dir.resolve("data").toString(), "--format", "jsonl", "--idle-timeout", "4s", "--timeout", "90s");
        System.out.println(run.err());
        assertEquals(0, run.exitCode(), run.err());
        List<String> printed = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            JsonNode r = JSON.readTree(line);
            printed.add(r.get("order_id").asText() + "|" + r.get("customer").asText() + "|" + (r.get("doubled").isNull() ? "null"
                    : r.get("doubled").decimalValue().stripTrailingZeros().toPlainString())
                    + "|" + r.get("created_at").asText() + "|" + r.get("address") + "|" + r.get("tags") + "|" + r.get("year").asText());
        }
        assertEquals(List.of(
                "1|ann|21|2024-01-15T10:00:00.123Z|{\"city\":\"Oslo\",\"zip\":150}|[\"a\",\"b\"]|2024",
                "2|null|-1.98|2024-01-15T10:00:01.000Z|{\"city\":\"Lima\",\"zip\":null}|[]|2024",
                "3|carl \"c\"|null|null|null|null|2024"), printed);

        // the sink's Parquet files, read back with the Parquet reader: the same rows, typed
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                assertEquals(out.resolve("year=2024"), f.getParent());
                assertTrue(f.getFileName().toString().endsWith(".parquet"), f.toString());
                try (var rows = dev.sluice.connect.parquet.ParquetRows.open(f, 0)) {
                    for (var row = rows.next(); row != null; row = rows.next()) {
                        written.add(dev.sluice.connect.Json.object(row));
                    }
                }
            }
        }
        assertEquals(List.of(
                "{\"order_id\":1,\"customer\":\"ann\",\"doubled\":21.00,\"created_at\":\"2024-01-15T10:00:00.123Z\","
                        + "\"address\":{\"city\":\"Oslo\",\"zip\":150},\"tags\":[\"a\",\"b\"],\"year\":\"2024\"}",
                "{\"order_id\":2,\"customer\":null,\"doubled\":-1.98,\"created_at\":\"2024-01-15T10:00:01Z\","
                        + "\"address\":{\"city\":\"Lima\",\"zip\":null},\"tags\":[],\"year\":\"2024\"}",
                "{\"order_id\":3,\"customer\":\"carl \\\"c\\\"\",\"doubled\":null,\"created_at\":null,"
                        + "\"address\":null,\"tags\":null,\"year\":\"2024\"}"), written);
    }
}
