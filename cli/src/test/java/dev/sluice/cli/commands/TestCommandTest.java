package dev.sluice.cli.commands;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sluice test} over Sluice's own cases in ksqlDB's QTT format (cli/src/test/resources/qtt):
 * every case passes, and a case whose expectation is wrong is reported as failed with what differs.
 * The full run over ksqlDB's own QTT files is a command (docs/compatibility.md), not a CI test.
 */
class TestCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyShippedQttCasePasses() throws Exception {
        Path cases = Paths.get(TestCommandTest.class.getResource("/qtt").toURI());
        Result r = run("test", cases.toString());
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.endsWith("202 passed, 0 failed\n"), r.out);
        assertTrue(r.out.contains("PASS ksql-dialect.json :: table delete and a row that stops qualifying are tombstones"),
                r.out);
    }

    @Test
    void aWrongExpectationFailsAndSaysWhatDiffers() throws IOException {
        Path file = Files.writeString(dir.resolve("wrong.json"), """
                {"tests": [{
                  "name": "wrong key",
                  "statements": [
                    "CREATE STREAM TEST (K STRING KEY, ID BIGINT) WITH (kafka_topic='t', value_format='JSON');",
                    "CREATE STREAM S1 AS SELECT K, ID FROM TEST;"
                  ],
                  "inputs": [{"topic": "t", "key": "a", "value": {"ID": 1}, "timestamp": 5}],
                  "outputs": [{"topic": "S1", "key": "b", "value": {"ID": 1}, "timestamp": 5}]
                }, {
                  "name": "wrong timestamp",
                  "statements": [
                    "CREATE STREAM TEST (K STRING KEY, ID BIGINT) WITH (kafka_topic='t', value_format='JSON');",
                    "CREATE STREAM S1 AS SELECT K, ID FROM TEST;"
                  ],
                  "inputs": [{"topic": "t", "key": "a", "value": {"ID": 1}, "timestamp": 5}],
                  "outputs": [{"topic": "S1", "key": "a", "value": {"ID": 1}, "timestamp": 6}]
                }, {
                  "name": "missing error",
                  "statements": ["CREATE STREAM TEST (K STRING KEY, ID BIGINT) WITH (kafka_topic='t', value_format='JSON');"],
                  "expectedException": {"message": "boom"}
                }, {
                  "name": "another error than the expected one",
                  "statements": [
                    "CREATE STREAM TEST (K STRING KEY, ID BIGINT) WITH (kafka_topic='t', value_format='JSON');",
                    "CREATE STREAM S1 AS SELECT K, NOPE FROM TEST;"
                  ],
                  "expectedException": {"type": "io.confluent.ksql.util.KsqlStatementException", "message": "boom"}
                }]}
                """);
        Result r = run("test", file.toString());
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("FAIL wrong.json :: wrong key: S1 record 1: key differs"), r.out);
        assertTrue(r.out.contains("FAIL wrong.json :: wrong timestamp: S1 record 1: timestamp differs"), r.out);
        assertTrue(r.out.contains("FAIL wrong.json :: missing error: expected an error"), r.out);
        assertTrue(r.out.contains("FAIL wrong.json :: another error than the expected one: failed, but not as "
                + "expected: expected an error containing \"boom\", got: "), r.out);
        assertTrue(r.out.endsWith("0 passed, 4 failed\n"), r.out);
    }

    @Test
    void aCaseMarkedNotEnabledIsSkippedAndCounted() throws IOException {
        // ksqlDB's runner leaves out a case with "enabled": false; its expectation here would fail if it ran
        Path file = Files.writeString(dir.resolve("disabled.json"), """
                {"tests": [{
                  "name": "runs",
                  "statements": [
                    "CREATE STREAM TEST (K STRING KEY, ID BIGINT) WITH (kafka_topic='t', value_format='JSON');",
                    "CREATE STREAM S1 AS SELECT K, ID FROM TEST;"
                  ],
                  "inputs": [{"topic": "t", "key": "a", "value": {"ID": 1}}],
                  "outputs": [{"topic": "S1", "key": "a", "value": {"ID": 1}}]
                }, {
                  "name": "disabled",
                  "enabled": false,
                  "format": ["JSON", "AVRO"],
                  "statements": ["CREATE STREAM TEST (K STRING KEY, ID BIGINT) WITH (kafka_topic='t', value_format='{FORMAT}');"],
                  "expectedException": {"message": "boom"}
                }]}
                """);
        Result r = run("test", "--by-file", file.toString());
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.contains("SKIP disabled.json :: disabled - AVRO"), r.out);
        assertTrue(r.out.contains("FILE disabled.json: 1 passed, 0 failed, 2 skipped"), r.out);
        assertTrue(r.out.endsWith("1 passed, 0 failed, 2 skipped\n"), r.out);
    }

    @Test
    void aDecimalExpectedAsTextMatchesOnlyWithItsScale() throws IOException {
        // ksqlDB's runner compares "3.40" with the DECIMAL(3,2) value 3.40 scale included, and never
        // with a DOUBLE; the input 3.4 is read at the column's scale
        String statements = """
                  "statements": [
                    "CREATE STREAM TEST (K STRING KEY, D DECIMAL(3,2), F DOUBLE) WITH (kafka_topic='t', value_format='JSON');",
                    "CREATE STREAM S1 AS SELECT K, D, F FROM TEST;"
                  ],
                  "inputs": [{"topic": "t", "key": "a", "value": {"D": 3.4, "F": 3.4}}],
                """;
        Path file = Files.writeString(dir.resolve("decimals.json"), "{\"tests\": [{\"name\": \"scale\","
                + statements + "\"outputs\": [{\"topic\": \"S1\", \"key\": \"a\", \"value\": {\"D\": \"3.40\", \"F\": 3.4}}]},"
                + "{\"name\": \"other scale\"," + statements
                + "\"outputs\": [{\"topic\": \"S1\", \"key\": \"a\", \"value\": {\"D\": \"3.4\", \"F\": 3.4}}]},"
                + "{\"name\": \"double as text\"," + statements
                + "\"outputs\": [{\"topic\": \"S1\", \"key\": \"a\", \"value\": {\"D\": 3.4, \"F\": \"3.4\"}}]}]}");
        Result r = run("test", file.toString());
        assertTrue(r.out.contains("PASS decimals.json :: scale"), r.out);
        assertTrue(r.out.contains("FAIL decimals.json :: other scale: S1 record 1: value differs"), r.out);
        assertTrue(r.out.contains("FAIL decimals.json :: double as text: S1 record 1: value differs"), r.out);
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        int code = SluiceMain.execute(o, new PrintWriter(new StringWriter()), args);
        o.flush();
        return new Result(code, out.toString());
    }
}
