package dev.sluice.cli.commands;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code sluice} command end to end, with its output captured: exit codes (0 ok, 64 usage,
 * 65 bad SQL), compiler-style error reports, and what compile, explain and replay print.
 */
class CliTest {
    private static final String EVENTS = "CREATE STREAM events (event_id VARCHAR, model_name VARCHAR, latency_ms BIGINT, "
            + "event_time TIMESTAMP, WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND) "
            + "WITH ('topic' = 'events', 'format' = 'json');\n";

    /** Three events a few seconds apart: latencies 1200, 800, 5200. */
    private static final String INPUT = ""
            + "{\"event_id\":\"e1\",\"model_name\":\"gpt-4\",\"latency_ms\":1200,\"event_time\":\"2024-01-15 10:00:05\"}\n"
            + "{\"event_id\":\"e2\",\"model_name\":\"claude\",\"latency_ms\":800,\"event_time\":\"2024-01-15 10:00:40\"}\n"
            + "{\"event_id\":\"e3\",\"model_name\":\"gpt-4\",\"latency_ms\":5200,\"event_time\":\"2024-01-15 10:01:10\"}\n";

    @TempDir
    Path dir;

    // ---- compile --------------------------------------------------------------------------------

    @Test
    void compilePrintsTheQueriesAndTheTopology() {
        Path script = write("slow.sql", EVENTS
                + "CREATE STREAM slow AS SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000;\n");
        Result r = run("compile", script.toString());
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "application.id: sluice-slow\n"
                + "query slow at line 2: events -> slow\n"
                + "\n"
                + "Topologies:\n"
                + "   Sub-topology: 0\n"
                + "    Source: events-source (topics: [events])\n"
                + "      --> slow-select-calc\n"
                // WHERE and SELECT chained into one processor (StatelessChain)
                + "    Processor: slow-select-calc (stores: [])\n"
                + "      --> slow-sink\n"
                + "      <-- events-source\n"
                + "    Sink: slow-sink (topic: slow)\n"
                + "      <-- slow-select-calc\n"
                + "\n", r.out);
        assertEquals("", r.err);
    }

    @Test
    void compileMarksTransientSelectsAndChangelogs() {
        Path script = write("mixed.sql", EVENTS
                + "CREATE STREAM slow AS SELECT event_id FROM events WHERE latency_ms > 5000;\n"
                + "SELECT model_name, COUNT(*) AS n FROM events GROUP BY model_name;\n");
        Result r = run("compile", script.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith(""
                + "application.id: sluice-mixed\n"
                + "query slow at line 2: events -> slow\n"
                + "query select_1 (transient SELECT) at line 3: events -> sluice-mixed-select_1-output (changelog)\n"
                + "\n"
                + "Topologies:\n"), r.out);
    }

    @Test
    void badSqlExits65WithFileLineColumnTheLineACaretAndAHint() {
        Path script = write("bad.sql", EVENTS + "SELECT event_id, latncy_ms\nFROM events;\n");
        Result r = run("compile", script.toString());
        assertEquals(65, r.code);
        assertEquals(script + ":2:18: error: unknown column `latncy_ms`\n"
                + "  SELECT event_id, latncy_ms\n"
                + "                   ^\n"
                + "  hint: did you mean `latency_ms`?\n", r.err);
        assertEquals("", r.out);
    }

    @Test
    void anUnknownStateBackendExits65AtItsSetWithTheAcceptedValues() {
        Path script = write("backend.sql", EVENTS + "SET 'state.backend.type' = 'heap';\nSELECT event_id FROM events;\n");
        Result r = run("compile", script.toString());
        assertEquals(65, r.code, r.err);
        assertEquals(script + ":2:1: error: state.backend.type must be 'hashmap' or 'rocksdb', not 'heap'\n"
                + "  SET 'state.backend.type' = 'heap';\n"
                + "  ^\n"
                + "  hint: 'hashmap' keeps state on the JVM heap, 'rocksdb' (the default) on local disk; both are"
                + " restored from their changelog\n", r.err);
    }

    @Test
    void anUnknownStateBackendInTheConfigFileIsAUsageErrorBeforeAnythingStarts() {
        Path script = write("run.sql", EVENTS + "SELECT event_id FROM events;\n");
        Path config = write("streams.properties", "state.backend.type = memory\n");
        Result r = run("run", script.toString(), "--config", config.toString(), "--bootstrap-servers", "localhost:1");
        assertEquals(64, r.code, r.err);
        assertTrue(r.err.contains("--config " + config + ": state.backend.type must be 'hashmap' or 'rocksdb', not"
                + " 'memory'"), r.err);
    }

    @Test
    void aMistypedFormatExits65AtItsPropertyWithADidYouMean() {
        Path script = write("format.sql", "CREATE STREAM s (a INT)\nWITH ('topic' = 's', 'format' = 'jsn');\n");
        Result r = run("compile", script.toString());
        assertEquals(65, r.code, r.err);
        assertTrue(r.err.startsWith(script + ":2:22: error: unknown format 'jsn'\n"
                + "  WITH ('topic' = 's', 'format' = 'jsn');\n"
                + "                       ^\n"
                + "  hint: did you mean `json`? (formats: "), r.err);
        assertEquals("", r.out);
    }

    @Test
    void anUpdatingResultInsertedIntoAStreamExits65SayingToDeclareATable() {
        Path script = write("updates.sql", EVENTS + "CREATE STREAM out (model_name VARCHAR, n BIGINT) "
                + "WITH ('topic' = 'out', 'format' = 'json');\n"
                + "INSERT INTO out SELECT model_name, COUNT(*) AS n FROM events GROUP BY model_name;\n");
        Result r = run("compile", script.toString());
        assertEquals(65, r.code, r.err);
        assertTrue(r.err.startsWith(script + ":3:1: error: the result of this query updates (insert_out-aggregate "
                + "emits upsert rows) but `out` is a STREAM, which only appends\n"), r.err);
        assertTrue(r.err.contains("hint: declare it a TABLE (CREATE TABLE out AS ...)"), r.err);
    }

    @Test
    void anUpdatingResultIntoACreatedStreamIsWrittenAsChangeRecordsWithTheirOperation() {
        Path script = write("changes.sql", EVENTS + "CREATE STREAM per_model AS SELECT model_name, COUNT(*) AS n "
                + "FROM events GROUP BY model_name;\n");
        Result compiled = run("compile", script.toString());
        assertEquals(0, compiled.code, compiled.err);
        assertTrue((compiled.out + compiled.err).contains("per_model: the result updates"), compiled.out + compiled.err);
        Result r = replay(EVENTS + "CREATE STREAM per_model AS SELECT model_name, COUNT(*) AS n "
                + "FROM events GROUP BY model_name;\n", INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "{\"_sink\":\"per_model\",\"model_name\":\"gpt-4\",\"n\":1,\"op\":\"+I\"}\n"
                + "{\"_sink\":\"per_model\",\"model_name\":\"claude\",\"n\":1,\"op\":\"+I\"}\n"
                + "{\"_sink\":\"per_model\",\"model_name\":\"gpt-4\",\"n\":1,\"op\":\"-U\"}\n"
                + "{\"_sink\":\"per_model\",\"model_name\":\"gpt-4\",\"n\":2,\"op\":\"+U\"}\n", r.out);
    }

    @Test
    void syntaxErrorsAreReportedTheSameWay() {
        Path script = write("typo.sql", EVENTS + "SELECT * FORM events;\n");
        Result r = run("compile", script.toString());
        assertEquals(65, r.code);
        assertEquals(script + ":2:10: error: syntax error at 'FORM': expected FROM, WHERE, GROUP BY, HAVING, ORDER BY, "
                + "LIMIT, ... (did you mean FROM?)\n"
                + "  SELECT * FORM events;\n"
                + "           ^\n", r.err);
    }

    @Test
    void theCaretKeepsTabsSoItLinesUpUnderTheColumn() {
        Path script = write("tabs.sql", EVENTS + "\tSELECT latncy_ms FROM events;\n");
        Result r = run("compile", script.toString());
        assertEquals(65, r.code);
        assertEquals(script + ":2:9: error: unknown column `latncy_ms`\n"
                + "  \tSELECT latncy_ms FROM events;\n"
                + "  \t       ^\n"
                + "  hint: did you mean `latency_ms`?\n", r.err);
    }

    // ---- usage errors ---------------------------------------------------------------------------

    @Test
    void anUnknownSubcommandExits64() {
        Result r = run("frobnicate");
        assertEquals(64, r.code);
        assertTrue(r.err.contains("Unmatched argument at index 0: 'frobnicate'"), r.err);
    }

    @Test
    void aMissingScriptFileExits64() {
        Path missing = dir.resolve("missing.sql");
        Result r = run("compile", missing.toString());
        assertEquals(64, r.code);
        assertEquals("sluice: cannot read " + missing + ": no such file\n", r.err);
    }

    @Test
    void aSubcommandWithoutItsScriptExits64() {
        Result r = run("replay");
        assertEquals(64, r.code);
        assertTrue(r.err.contains("Missing required parameter: 'SCRIPT'"), r.err);
    }

    @Test
    void noSubcommandExits64WithTheUsage() {
        Result r = run();
        assertEquals(64, r.code);
        assertTrue(r.err.contains("Usage: sluice"), r.err);
    }

    @Test
    void aMissingInputFileExits64() {
        Path script = write("q.sql", EVENTS + "SELECT event_id FROM events;\n");
        Path missing = dir.resolve("nope.jsonl");
        Result r = run("replay", script.toString(), "--input", "events=" + missing, "--format", "jsonl");
        assertEquals(64, r.code);
        assertEquals("sluice: cannot read input " + missing + ": no such file\n", r.err);
    }

    @Test
    void anInputNamingAnUnknownSourceExits64WithASuggestion() {
        Path script = write("q.sql", EVENTS + "SELECT event_id FROM events;\n");
        Path input = write("events.jsonl", INPUT);
        Result r = run("replay", script.toString(), "--input", "evnts=" + input, "--format", "jsonl");
        assertEquals(64, r.code);
        assertEquals("sluice: --input evnts: no such stream or table in the script; did you mean `events`?\n", r.err);
    }

    @Test
    void aFlinkFilesystemSourceWithoutInputIsReplayedFromItsPath() {
        Path input = write("events.jsonl", INPUT);
        Path script = write("q.sql", "CREATE TABLE events (event_id STRING, latency_ms BIGINT) WITH ("
                + "'connector' = 'filesystem', 'path' = '" + input + "', 'format' = 'json');\n"
                + "SELECT event_id FROM events WHERE latency_ms > 1000;\n");
        Result r = run("replay", script.toString(), "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals("{\"event_id\":\"e1\"}\n{\"event_id\":\"e3\"}\n", r.out);
        assertEquals("sluice: replaying events from " + input + " (its 'path'; --input events=FILE replaces it)\n", r.err);
    }

    @Test
    void aReadSourceLeftWithoutInputIsReplayedEmptyAndSaysSo() {
        Path script = write("q.sql", EVENTS + "SELECT event_id FROM events;\n");
        Result r = run("replay", script.toString(), "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals("", r.out);
        assertEquals("sluice: no --input for events: replayed with no records (give --input events=FILE.jsonl)\n", r.err);
    }

    @Test
    void anUnknownOutputFormatExits64() {
        Path script = write("q.sql", EVENTS + "SELECT event_id FROM events;\n");
        Path input = write("events.jsonl", INPUT);
        Result r = run("replay", script.toString(), "--input", "events=" + input, "--format", "xml");
        assertEquals(64, r.code);
        assertEquals("sluice: --format must be jsonl, table or records, not xml\n", r.err);
    }

    // ---- explain --------------------------------------------------------------------------------

    @Test
    void explainPrintsEachQuerysSqlPlanAndTheTopology() {
        Path script = write("slow.sql", EVENTS
                + "CREATE STREAM slow AS SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000;\n");
        Result r = run("explain", script.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith(""
                + "== dialect: Flink SQL (no declaration names its topic with KAFKA_TOPIC; see docs/compatibility.md)\n"
                + "== query slow (line 2)\n"
                + "CREATE STREAM slow AS SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000\n"
                + "-- plan (output key ())\n"
                + "Project [slow-select] select [$0, $2] -> (event_id VARCHAR, latency_ms BIGINT) emits insert-only\n"
                + "  Filter [slow-where] where >($2, 5000) -> (event_id VARCHAR, model_name VARCHAR, latency_ms BIGINT, "
                + "event_time TIMESTAMP(3)) emits insert-only\n"
                + "    Source [events] topic events -> (event_id VARCHAR, model_name VARCHAR, latency_ms BIGINT, "
                + "event_time TIMESTAMP(3)) emits insert-only\n"
                + "\n"
                + "== optimizer (rules: pushdown, prune, rekey, colocate, onetask, share, top)\n" // on by default; nothing to rewrite here
                + "\n"
                + "== topology\n"
                + "Topologies:\n"), r.out);
    }

    // ---- replay ---------------------------------------------------------------------------------

    @Test
    void replayPrintsTheFinalSelectsRowsInSelectOrder() {
        Result r = replay(EVENTS + "SELECT latency_ms, event_id, UPPER(model_name) AS model, event_time FROM events "
                + "WHERE latency_ms > 1000;\n", INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "{\"latency_ms\":1200,\"event_id\":\"e1\",\"model\":\"GPT-4\",\"event_time\":\"2024-01-15T10:00:05.000Z\"}\n"
                + "{\"latency_ms\":5200,\"event_id\":\"e3\",\"model\":\"GPT-4\",\"event_time\":\"2024-01-15T10:01:10.000Z\"}\n",
                r.out);
        assertEquals("", r.err);
    }

    @Test
    void withoutABareSelectReplayPrintsEverySinksRowsWithTheSinkName() {
        Result r = replay(EVENTS
                + "CREATE STREAM slow AS SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000;\n"
                + "CREATE STREAM fast AS SELECT event_id FROM events WHERE latency_ms < 1000;\n", INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "{\"_sink\":\"slow\",\"event_id\":\"e3\",\"latency_ms\":5200}\n"
                + "{\"_sink\":\"fast\",\"event_id\":\"e2\"}\n", r.out);
    }

    @Test
    void rowsInsertedIntoAStreamAreLabelledWithThatStream() {
        Result r = replay(EVENTS
                + "CREATE STREAM slow AS SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000;\n"
                + "INSERT INTO slow SELECT event_id, latency_ms FROM events WHERE latency_ms < 1000;\n",
                INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        // One topic, written by two queries: its rows in the order they were written.
        assertEquals(""
                + "{\"_sink\":\"slow\",\"event_id\":\"e2\",\"latency_ms\":800}\n"
                + "{\"_sink\":\"slow\",\"event_id\":\"e3\",\"latency_ms\":5200}\n", r.out);
    }

    @Test
    void rowsInsertedIntoADeclaredStreamAreLabelledWithThatStream() {
        Result r = replay(EVENTS
                + "CREATE STREAM alerts (id VARCHAR, ms BIGINT) WITH ('topic' = 'alerts-topic', 'format' = 'json');\n"
                + "INSERT INTO alerts SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000;\n",
                INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals("{\"_sink\":\"alerts\",\"id\":\"e3\",\"ms\":5200}\n", r.out);
    }

    @Test
    void aMalformedLineIsSkippedAndReportedWhileTheRestIsProcessed() {
        String input = ""
                + "{\"event_id\":\"e1\",\"model_name\":\"gpt-4\",\"latency_ms\":1200,\"event_time\":\"2024-01-15 10:00:05\"}\n"
                + "{\"event_id\":\"e2\",\"model_name\":\"claude\",\"latency_ms\":\n"
                + "{\"event_id\":\"e3\",\"model_name\":\"gpt-4\",\"latency_ms\":5200,\"event_time\":\"2024-01-15 10:01:10\"}\n";
        Result r = replay(EVENTS + "SELECT event_id FROM events;\n", input, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals("{\"event_id\":\"e1\"}\n{\"event_id\":\"e3\"}\n", r.out);
        assertEquals("sluice: 1 bad record(s) skipped (see the log; set 'errors.dead.letter.queue.topic.name' to keep "
                + "them in a dead-letter topic)\n", r.err);
    }

    @Test
    void aRowFailingAnExpressionIsSkippedAndCounted() {
        Result r = replay(EVENTS + "SELECT event_id, 6000 / (latency_ms - 800) AS ratio FROM events;\n", INPUT,
                "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        // 6000 / 400 = 15 and 6000 / 4400 = 1 (integer division); e2 divides by zero.
        assertEquals("{\"event_id\":\"e1\",\"ratio\":15}\n{\"event_id\":\"e3\",\"ratio\":1}\n", r.out);
        assertTrue(r.err.startsWith("sluice: 1 bad record(s) skipped"), r.err);
    }

    @Test
    void aGroupByPrintsEachKeysFinalRowByDefault() {
        Result r = replay(EVENTS + "SELECT model_name, COUNT(*) AS n, MAX(latency_ms) AS worst FROM events "
                + "GROUP BY model_name;\n", INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        // In the order keys were last updated: claude (2nd event), then gpt-4 (3rd).
        assertEquals(""
                + "{\"model_name\":\"claude\",\"n\":1,\"worst\":800}\n"
                + "{\"model_name\":\"gpt-4\",\"n\":2,\"worst\":5200}\n", r.out);
    }

    @Test
    void aGroupByWithChangelogPrintsEveryUpdateAsFlinksRetractions() {
        Result r = replay(EVENTS + "SELECT model_name, COUNT(*) AS n, MAX(latency_ms) AS worst FROM events "
                + "GROUP BY model_name;\n", INPUT, "--format", "jsonl", "--changelog");
        assertEquals(0, r.code, r.err);
        // The result is a table keyed by model_name: its second row for gpt-4 retracts the first.
        assertEquals(""
                + "{\"op\":\"+I\",\"model_name\":\"gpt-4\",\"n\":1,\"worst\":1200}\n"
                + "{\"op\":\"+I\",\"model_name\":\"claude\",\"n\":1,\"worst\":800}\n"
                + "{\"op\":\"-U\",\"model_name\":\"gpt-4\",\"n\":1,\"worst\":1200}\n"
                + "{\"op\":\"+U\",\"model_name\":\"gpt-4\",\"n\":2,\"worst\":5200}\n", r.out);
    }

    @Test
    void aTableRowThatStopsPassingHavingIsDeletedInTheChangelog() {
        Result r = replay(EVENTS + "SELECT model_name, COUNT(*) AS n FROM events GROUP BY model_name "
                + "HAVING COUNT(*) < 2;\n", INPUT, "--format", "jsonl", "--changelog");
        assertEquals(0, r.code, r.err);
        // gpt-4's second event makes its count 2: the HAVING drops the row, a tombstone, printed as -D
        // with the row it deletes.
        assertEquals(""
                + "{\"op\":\"+I\",\"model_name\":\"gpt-4\",\"n\":1}\n"
                + "{\"op\":\"+I\",\"model_name\":\"claude\",\"n\":1}\n"
                + "{\"op\":\"-D\",\"model_name\":\"gpt-4\",\"n\":1}\n", r.out);
    }

    @Test
    void aStreamWithChangelogPrintsInsertsOnly() {
        Result r = replay(EVENTS + "SELECT event_id, model_name FROM events;\n", INPUT, "--format", "jsonl",
                "--changelog");
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "{\"op\":\"+I\",\"event_id\":\"e1\",\"model_name\":\"gpt-4\"}\n"
                + "{\"op\":\"+I\",\"event_id\":\"e2\",\"model_name\":\"claude\"}\n"
                + "{\"op\":\"+I\",\"event_id\":\"e3\",\"model_name\":\"gpt-4\"}\n", r.out);
    }

    @Test
    void theEndOfTheInputClosesEveryOpenWindow() {
        Result r = replay(EVENTS + "SELECT TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS ws, COUNT(*) AS n "
                + "FROM events GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);\n", INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "{\"ws\":\"2024-01-15T10:00:00.000Z\",\"n\":2}\n"
                + "{\"ws\":\"2024-01-15T10:01:00.000Z\",\"n\":1}\n", r.out);
    }

    @Test
    void orderByAndLimitApplyToThePrintedRows() {
        Result r = replay(EVENTS + "SELECT event_id, latency_ms FROM events ORDER BY latency_ms DESC LIMIT 2;\n",
                INPUT, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals(""
                + "{\"event_id\":\"e3\",\"latency_ms\":5200}\n"
                + "{\"event_id\":\"e1\",\"latency_ms\":1200}\n", r.out);
    }

    @Test
    void orderByAnOutputPositionAscending() {
        Result r = replay(EVENTS + "SELECT event_id, latency_ms FROM events ORDER BY 2;\n", INPUT, "--format", "jsonl");
        assertEquals(""
                + "{\"event_id\":\"e2\",\"latency_ms\":800}\n"
                + "{\"event_id\":\"e1\",\"latency_ms\":1200}\n"
                + "{\"event_id\":\"e3\",\"latency_ms\":5200}\n", r.out);
    }

    @Test
    void tableFormatAlignsColumns() {
        Result r = replay(EVENTS + "SELECT latency_ms, event_id, CAST(NULL AS VARCHAR) AS note, UPPER(model_name) AS model "
                + "FROM events WHERE latency_ms > 1000;\n", INPUT.replace("\"gpt-4\",\"latency_ms\":5200",
                "\"gemini\",\"latency_ms\":5200"), "--format", "table");
        assertEquals(0, r.code, r.err);
        // No trailing blanks after the last column.
        assertEquals(""
                + "latency_ms | event_id | note | model\n"
                + "-----------+----------+------+-------\n"
                + "1200       | e1       | NULL | GPT-4\n"
                + "5200       | e3       | NULL | GEMINI\n"
                + "(2 rows)\n", r.out);
    }

    @Test
    void streamInputsAreMergedByEventTimeWhileEachFileKeepsItsOrder() {
        Path script = write("merge.sql", ""
                + "CREATE STREAM a (id VARCHAR, ts TIMESTAMP ROWTIME) WITH ('topic' = 'a', 'format' = 'json');\n"
                + "CREATE STREAM b (id VARCHAR, ts TIMESTAMP ROWTIME) WITH ('topic' = 'b', 'format' = 'json');\n"
                + "SELECT id FROM a UNION ALL SELECT id FROM b;\n");
        // a2 is late within a's file: it stays after a3.
        Path a = write("a.jsonl", ""
                + "{\"id\":\"a1\",\"ts\":\"2024-01-15 10:00:01\"}\n"
                + "{\"id\":\"a3\",\"ts\":\"2024-01-15 10:00:03\"}\n"
                + "{\"id\":\"a2\",\"ts\":\"2024-01-15 10:00:02\"}\n");
        Path b = write("b.jsonl", "{\"id\":\"b1\",\"ts\":\"2024-01-15 10:00:02.500\"}\n");
        Result r = run("replay", script.toString(), "--input", "a=" + a, "--input", "b=" + b, "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals("{\"id\":\"a1\"}\n{\"id\":\"b1\"}\n{\"id\":\"a3\"}\n{\"id\":\"a2\"}\n", r.out);
    }

    @Test
    void anInputForADeclaredSourceThatNoQueryReadsIsIgnored() {
        String script = EVENTS + "CREATE STREAM other (x INT) WITH ('topic' = 'other', 'format' = 'json');\n"
                + "SELECT event_id FROM events WHERE latency_ms > 5000;\n";
        Path s = write("q.sql", script);
        Path events = write("events.jsonl", INPUT);
        Path other = write("other.jsonl", "{\"x\":1}\n");
        Result r = run("replay", s.toString(), "--input", "events=" + events, "--input", "other=" + other,
                "--format", "jsonl");
        assertEquals(0, r.code, r.err);
        assertEquals("{\"event_id\":\"e3\"}\n", r.out);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = SluiceMain.execute(o, e, args);
        o.flush();
        e.flush();
        return new Result(code, out.toString(), err.toString());
    }

    private Result replay(String script, String input, String... options) {
        Path s = write("q.sql", script);
        Path in = write("events.jsonl", input);
        String[] args = new String[4 + options.length];
        args[0] = "replay";
        args[1] = s.toString();
        args[2] = "--input";
        args[3] = "events=" + in;
        System.arraycopy(options, 0, args, 4, options.length);
        return run(args);
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
