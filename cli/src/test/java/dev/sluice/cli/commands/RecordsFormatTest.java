package dev.sluice.cli.commands;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keys, timestamps and tombstones in and out of {@code sluice replay}: input lines may be record
 * envelopes, and {@code --format records} prints each output record's key, window, timestamp and
 * value, with deletes as tombstones.
 */
class RecordsFormatTest {
    @TempDir
    Path dir;

    @Test
    void envelopesCarryKeysTimestampsAndTombstonesThroughATable() throws IOException {
        Path script = write("t.sql", """
                CREATE TABLE t (id INT PRIMARY KEY, v INT) WITH (kafka_topic='t', value_format='JSON');
                CREATE TABLE big AS SELECT id, v FROM t WHERE v > 0;
                """);
        Path input = write("t.jsonl", """
                {"key": 1, "value": {"v": 5}, "timestamp": 100}
                {"key": 2, "value": {"v": 7}, "timestamp": 110, "headers": {"origin": "test"}}
                {"key": 1, "value": null, "timestamp": 120}
                {"key": 2, "value": {"v": -1}, "timestamp": 130}
                """);
        assertEquals("""
                {"sink":"BIG","key":1,"timestamp":100,"value":{"V":5}}
                {"sink":"BIG","key":2,"timestamp":110,"value":{"V":7}}
                {"sink":"BIG","key":1,"timestamp":120,"value":null}
                {"sink":"BIG","key":2,"timestamp":130,"value":null}
                """, replay(script, "T=" + input, "--format", "records"));
    }

    @Test
    void windowedRecordsShowTheirWindowAndEveryChange() throws IOException {
        Path script = write("w.sql", """
                CREATE STREAM clicks (user VARCHAR KEY, page VARCHAR) WITH (kafka_topic='clicks', value_format='JSON');
                CREATE TABLE counts AS SELECT user, COUNT(*) AS n FROM clicks
                  WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY user;
                """);
        Path input = write("w.jsonl", """
                {"key": "a", "value": {"page": "p1"}, "timestamp": 1000}
                {"key": "a", "value": {"page": "p2"}, "timestamp": 4000}
                {"key": "b", "value": {"page": "p3"}, "timestamp": 12000}
                """);
        assertEquals("""
                {"sink":"COUNTS","key":"a","window":{"start":0,"end":10000},"timestamp":1000,"value":{"N":1}}
                {"sink":"COUNTS","key":"a","window":{"start":0,"end":10000},"timestamp":4000,"value":{"N":2}}
                {"sink":"COUNTS","key":"b","window":{"start":10000,"end":20000},"timestamp":12000,"value":{"N":1}}
                """, replay(script, "CLICKS=" + input, "--format", "records"));
    }

    @Test
    void plainValueLinesAndEnvelopesMixInOneFile() throws IOException {
        Path script = write("p.sql", """
                CREATE STREAM s (k VARCHAR KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
                CREATE STREAM out AS SELECT k, v * 2 AS d FROM s;
                """);
        Path input = write("p.jsonl", """
                {"v": 1}
                {"key": "x", "value": {"v": 2}, "timestamp": 7}
                """);
        assertEquals("""
                {"_sink":"OUT","K":null,"D":2}
                {"_sink":"OUT","K":"x","D":4}
                """, replay(script, "S=" + input, "--format", "jsonl"));
    }

    @Test
    void explainNamesTheDialectAndMixingDialectsIsAnError() throws IOException {
        Path ksql = write("k.sql", "CREATE STREAM s (k VARCHAR KEY, v INT) WITH (kafka_topic='s', value_format='JSON');\n"
                + "CREATE STREAM out AS SELECT k, v FROM s;\n");
        StringWriter out = new StringWriter();
        assertEquals(0, SluiceMain.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter()), "explain",
                ksql.toString()));
        assertEquals("== dialect: ksqlDB (a declaration names its topic with KAFKA_TOPIC; see docs/compatibility.md)",
                out.toString().lines().findFirst().orElseThrow());
        Path mixed = write("m.sql", "CREATE STREAM a (id INT KEY, v INT) WITH (kafka_topic='a', value_format='JSON');\n"
                + "CREATE STREAM b (id INT, v INT) WITH ('topic' = 'b', 'format' = 'json');\n");
        StringWriter err = new StringWriter();
        assertEquals(65, SluiceMain.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "compile",
                mixed.toString()));
        assertEquals(mixed + ":2:1: error: `b` is declared in Flink's style but `a` (line 1) in ksqlDB's; "
                + "one script gets one engine's results", err.toString().lines().findFirst().orElseThrow());
    }

    private String replay(Path script, String input, String... options) {
        String[] args = new String[3 + options.length + 1];
        args[0] = "replay";
        args[1] = script.toString();
        args[2] = "--input";
        args[3] = input;
        System.arraycopy(options, 0, args, 4, options.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
