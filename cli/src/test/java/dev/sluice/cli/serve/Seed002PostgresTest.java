package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.SluiceMain;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import dev.sluice.cli.it.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002 against PostgreSQL itself. The seed's {@code training_runs} is created in a real
 * PostgreSQL 15 and filled by the seed's INSERT; {@code sluice run} declares it as a TABLE kept
 * current by Debezium CDC (in-process Connect worker, shared broker) and serves the query API; the
 * seed's UPDATE and DELETE statements are then applied in PostgreSQL. Every SELECT of the seed is
 * asked of PostgreSQL (JDBC) and of Sluice (the query API, a batch SELECT over the table's final
 * state), and the answers are compared: as multisets, or in order when the SELECT ends in ORDER BY.
 * {@link Seed002Outcomes} lists, per SELECT, the expected outcome and why one cannot be equal.
 */
@ExtendWith(KafkaBrokerExtension.class)
class Seed002PostgresTest {
    /** The seed's DML applied after Sluice's snapshot; 1514 is the DELETE-vs-TRUNCATE illustration beside "DON'T RUN". */
    private static final int ILLUSTRATION_ONLY = 1514;

    @Test
    void everySelectOfSeed002AnswersInSluiceWhatPostgresAnswersOverTheCdcTable(EmbeddedKafkaBroker broker,
                                                                               @TempDir Path dir) throws Exception {
        List<Seed002.Statement> seed = Seed002.statements(Seed004DashboardTest.repoRoot());
        PostgresServer pg = PostgresServer.shared();
        String db = "ml_infra_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        pg.execute("postgres", "CREATE DATABASE " + db);
        Map<Integer, String> rejectedByPostgres = new LinkedHashMap<>();
        int insertLine = seed.stream().filter(s -> s.sql().startsWith("INSERT INTO training_runs (\n")).findFirst()
                .orElseThrow().line();
        for (Seed002.Statement s : seed) {
            if (s.line() <= insertLine && (s.verb().equals("CREATE") || s.verb().equals("DROP")
                    || s.verb().equals("COMMENT") || s.line() == insertLine)) {
                apply(pg, db, postgresAccepts(s.sql()), s.line(), rejectedByPostgres);
            }
        }
        assertEquals(Map.of(), rejectedByPostgres);
        assertEquals(List.of("20"), postgres(pg, db, "SELECT COUNT(*) FROM training_runs").rows());

        String app = "seed002_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String control = KafkaBrokerExtension.uniqueName("seed002-stop");
        Path script = dir.resolve(app + ".sql");
        Files.writeString(script, ""
                + "CREATE TABLE training_runs WITH (datasource = 'postgresql://postgres@127.0.0.1:" + pg.port() + "/" + db
                + "?table=training_runs', slot_name = '" + app + "');\n"
                + "CREATE STREAM run_control (stop INT) WITH (topic = '" + control + "', format = 'json');\n"
                + "SELECT stop FROM run_control;\n");
        broker.createTopic(control, 1);
        // PostgreSQL keeps microseconds (timestamptz is timestamp(6)); Sluice's TIMESTAMP(3) cuts
        // them, and the compiler says so for the columns it reads from the catalog
        StringWriter compiled = new StringWriter();
        assertEquals(0, SluiceMain.execute(new PrintWriter(compiled, true), new PrintWriter(compiled, true), "compile",
                script.toString()), compiled.toString());
        org.junit.jupiter.api.Assertions.assertTrue(compiled.toString().contains("note: training_runs: timestamps finer "
                + "than milliseconds in created_at (timestamp(6) with time zone), started_at (timestamp(6) with time "
                + "zone), completed_at (timestamp(6) with time zone): Sluice's TIMESTAMP is TIMESTAMP(3)"),
                compiled.toString());
        StringWriter errText = new StringWriter();
        StringWriter outText = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> SluiceMain.execute(
                new PrintWriter(outText, true), new PrintWriter(errText, true), "run", script.toString(),
                "--bootstrap-servers", broker.bootstrapServers(), "--http-port", "0", "--format", "jsonl",
                "--max-rows", "1", "--timeout", "300s"));
        try {
            int port = ServeClient.announcedPort(errText, run, Duration.ofSeconds(180));
            String current = "SELECT run_id, status, notes, gpu_hours, accuracy, parameters FROM training_runs";
            awaitSame(pg, db, port, current, run, errText);

            Map<Integer, String> dml = new LinkedHashMap<>();
            for (Seed002.Statement s : seed) {
                if ((s.verb().equals("UPDATE") || s.verb().equals("DELETE")) && !s.sql().contains("...")
                        && s.line() != ILLUSTRATION_ONLY) {
                    apply(pg, db, s.sql(), s.line(), dml);
                }
            }
            // PostgreSQL refuses this one itself: aggregates are not allowed in RETURNING
            assertEquals(List.of(1385), List.copyOf(dml.keySet()), dml.toString());
            awaitSame(pg, db, port, current, run, errText);

            Map<Integer, String> outcomes = new LinkedHashMap<>();
            StringBuilder report = new StringBuilder();
            for (Seed002.Statement s : seed) {
                if (!s.isSelect()) {
                    continue;
                }
                String outcome = compare(pg, db, port, s);
                outcomes.put(s.line(), outcome);
                report.append(s.line()).append(": ").append(outcome).append("\n    ").append(s.oneLine()).append('\n');
            }
            System.out.println("seed 002 outcomes:\n" + report);
            assertEquals(Seed002Outcomes.expected(outcomes.keySet()), Seed002Outcomes.matched(outcomes), report.toString());
        } finally {
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                p.send(new ProducerRecord<>(control, "{\"stop\":1}")).get(); // --max-rows 1: the run ends
            }
            Integer code = run.get(120, TimeUnit.SECONDS);
            assertEquals(0, code, errText.toString());
            // the run dropped its replication slot: a slot nobody reads keeps WAL forever
            assertEquals(List.of(), postgres(pg, db, "SELECT slot_name FROM pg_replication_slots WHERE slot_name = '"
                    + app + "'").rows());
            pg.execute("postgres", "DROP DATABASE " + db);
        }
    }

    /**
     * The seed's CREATE TABLE as PostgreSQL accepts it: PostgreSQL rejects its last constraint,
     * {@code UNIQUE (model_name, experiment_name, dataset, DATE(created_at))} (a UNIQUE constraint
     * takes columns, not expressions; a unique index on DATE(timestamptz) is refused too, as that
     * cast depends on the time zone), so it is left out.
     */
    static String postgresAccepts(String sql) {
        return sql.replaceAll("(?s),\\s*CONSTRAINT unique_daily_run UNIQUE \\(.*?\\)\\s*\\)\\s*\\)\\s*$", "\n)");
    }

    private static void apply(PostgresServer pg, String db, String sql, int line, Map<Integer, String> rejected) {
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            rejected.put(line, e.getMessage());
        }
    }

    private static ComparableRows.Answer postgres(PostgresServer pg, String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return ComparableRows.postgres(rs);
        }
    }

    /** "equal", or what differs, or the error of the side that failed. */
    private static String compare(PostgresServer pg, String db, int port, Seed002.Statement s) throws Exception {
        ComparableRows.Answer expected;
        try {
            expected = postgres(pg, db, s.sql());
        } catch (SQLException e) {
            ServeClient.Answer sluice = ServeClient.query(port, s.sql(), Map.of());
            return "postgres error: " + e.getMessage().lines().findFirst().orElse("") + "; sluice: "
                    + (sluice.status() == 200 ? "answered" : sluice.body().path("message").asText());
        }
        ServeClient.Answer answer = ServeClient.query(port, s.sql(), Map.of());
        if (answer.status() != 200) {
            JsonNode body = answer.body();
            return "sluice error: " + (body != null && body.has("message") ? body.get("message").asText() : String.valueOf(body));
        }
        List<String> actual = ComparableRows.sluice(answer.body(), expected.kinds());
        List<String> columns = ComparableRows.columns(answer.body());
        List<String> wanted = expected.columns().stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList();
        String naming = "";
        for (int i = 0; i < Math.max(columns.size(), wanted.size()); i++) {
            String a = i < columns.size() ? columns.get(i) : "";
            String w = i < wanted.size() ? wanted.get(i) : "";
            if (a.equals(w)) {
                continue;
            }
            if (!a.equals("expr$" + i)) {
                return "columns differ: sluice " + columns + ", postgres " + wanted;
            }
            // an unaliased COUNT(*): Flink's name EXPR$n where PostgreSQL names it after the function
            naming = Seed002Outcomes.UNNAMED;
        }
        actual = Seed002Outcomes.tiesNumberedAlike(s.line(), actual, columns);
        expected = new ComparableRows.Answer(expected.columns(), expected.kinds(),
                Seed002Outcomes.tiesNumberedAlike(s.line(), expected.rows(), columns));
        List<String> nowColumns = Seed002Outcomes.readsNow(s.line());
        if (!nowColumns.isEmpty()) {
            // the database and Sluice read the clock seconds apart: those columns agree to within minutes
            String close = nowColumnsClose(actual, expected.rows(), columns, nowColumns);
            if (close != null) {
                return close;
            }
            actual = masked(actual, columns, nowColumns);
            expected = new ComparableRows.Answer(expected.columns(), expected.kinds(),
                    masked(expected.rows(), columns, nowColumns));
        }
        boolean ordered = Seed002Outcomes.ordered(s.sql());
        List<String> a = ordered ? actual : actual.stream().sorted().toList();
        List<String> e = ordered ? expected.rows() : expected.rows().stream().sorted().toList();
        boolean sameRows = Seed002Outcomes.sameRows(actual.stream().sorted().toList(), expected.rows().stream().sorted().toList());
        List<Integer> keys = ordered ? Seed002Outcomes.orderKeys(s.sql(), wanted) : List.of();
        boolean inOrder = !ordered || Seed002Outcomes.sameRows(a, e)
                || !keys.isEmpty() && Seed002Outcomes.project(a, keys).equals(Seed002Outcomes.project(e, keys));
        if (sameRows && inOrder) {
            return (nowColumns.isEmpty() ? Seed002Outcomes.EQUAL : Seed002Outcomes.EQUAL_BUT_NOW) + naming;
        }
        if (sameRows) {
            return "same rows, other order: sluice " + actual + " postgres " + expected.rows();
        }
        List<String> missing = new ArrayList<>(e);
        a.forEach(missing::remove);
        List<String> extra = new ArrayList<>(a);
        e.forEach(extra::remove);
        return "rows differ (" + a.size() + " vs " + e.size() + "): missing " + missing + ", extra " + extra;
    }

    private static List<String> masked(List<String> rows, List<String> columns, List<String> now) {
        List<String> out = new ArrayList<>();
        for (String row : rows) {
            String[] values = row.split(" \\| ", -1);
            for (String c : now) {
                values[columns.indexOf(c)] = "<now>";
            }
            out.add(String.join(" | ", values));
        }
        return out;
    }

    /** Null when each NOW()-reading interval of Sluice is within 10 minutes of PostgreSQL's (rows matched by position). */
    private static String nowColumnsClose(List<String> actual, List<String> expected, List<String> columns, List<String> now) {
        if (actual.size() != expected.size()) {
            return "rows differ: " + actual.size() + " vs " + expected.size();
        }
        for (int r = 0; r < actual.size(); r++) {
            String[] a = actual.get(r).split(" \\| ", -1);
            String[] e = expected.get(r).split(" \\| ", -1);
            for (String c : now) {
                int i = columns.indexOf(c);
                long ms = Math.abs(Duration.parse(a[i].replace("interval ", "")).toMillis()
                        - Duration.parse(e[i].replace("interval ", "")).toMillis());
                if (ms > Duration.ofMinutes(10).toMillis()) {
                    return "column " + c + " differs by " + ms + " ms: " + a[i] + " vs " + e[i];
                }
            }
        }
        return null;
    }

    private static void awaitSame(PostgresServer pg, String db, int port, String sql, CompletableFuture<Integer> run,
                                  StringWriter err) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                throw new AssertionError("the run ended: " + err);
            }
            ComparableRows.Answer expected = postgres(pg, db, sql);
            ServeClient.Answer answer = ServeClient.query(port, sql, Map.of());
            if (answer.status() == 200) {
                List<String> actual = ComparableRows.sluice(answer.body(), expected.kinds()).stream().sorted().toList();
                if (actual.equals(expected.rows().stream().sorted().toList())) {
                    return;
                }
                last = actual.size() + " rows: " + actual;
            } else {
                last = String.valueOf(answer.body());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Sluice's training_runs never matched PostgreSQL's; last answer " + last + "\n" + err);
    }
}
