package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run} as a user types it: exit codes, printed rows, messages. */
@ExtendWith(KafkaBrokerExtension.class)
class RunCommandTest {

    /** The README's first command, on its own embedded broker. */
    @Test
    void runsAShippedPipelineOnTheEmbeddedBrokerAndStopsAfterMaxRows() {
        Path root = ItSupport.repoRoot();
        long begin = System.nanoTime();
        CliRun r = CliRun.sluice("run", root.resolve("topologies/l2s3_slow_requests/pipeline.sql").toString(),
                "--input", "feedback_events=" + root.resolve("topologies/shared-data/feedback_events.jsonl"),
                "--max-rows", "2", "--format", "jsonl");
        System.out.println("sluice run on the embedded broker took " + (System.nanoTime() - begin) / 1_000_000 + " ms\n" + r.err());
        assertEquals(0, r.exitCode(), r.err());
        List<String> rows = r.out().lines().toList();
        assertEquals(2, rows.size(), r.out());
        // by hand: the first two records with latency_ms > 5000 are e02 (5200 ms) and e05 (6100 ms)
        assertTrue(rows.get(0).startsWith("{\"event_id\":\"e02\",\"model_name\":\"claude-3\",\"latency_ms\":5200"), rows.get(0));
        assertTrue(rows.get(1).startsWith("{\"event_id\":\"e05\",\"model_name\":\"llama-3\",\"latency_ms\":6100"), rows.get(1));
        assertTrue(r.err().contains("embedded Kafka broker on 127.0.0.1:"), r.err());
        assertTrue(r.err().contains("--max-rows 2 reached"), r.err());
    }

    @Test
    void aMissingSourceTopicOnAnExternalClusterIsAUsageErrorThatNamesItAndTheFix(EmbeddedKafkaBroker broker,
                                                                                 @TempDir Path dir) throws Exception {
        String topic = KafkaBrokerExtension.uniqueName("nobody-writes-this");
        Path script = dir.resolve("s.sql");
        Files.writeString(script, "CREATE STREAM s (a BIGINT) WITH ('topic' = '" + topic + "', 'format' = 'json');\n"
                + "SELECT a FROM s;\n");
        CliRun r = CliRun.sluice("run", script.toString(), "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(64, r.exitCode(), r.err());
        assertTrue(r.err().contains("source topic '" + topic + "' does not exist on " + broker.bootstrapServers()), r.err());
        assertTrue(r.err().contains("--create-topics"), r.err());
    }

    @Test
    void anUnsetEnvironmentVariableInWithIsAUsageErrorNamingTheVariableNotAValue(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("s.sql");
        Files.writeString(script, "CREATE STREAM s (a BIGINT) WITH ('topic' = 't', 'format' = 'json',\n"
                + "  'basic.auth.user.info' = '${SLUICE_TEST_SURELY_UNSET_VARIABLE}');\nSELECT a FROM s;\n");
        CliRun r = CliRun.sluice("run", script.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(64, r.exitCode(), r.err());
        assertTrue(r.err().contains("environment variable SLUICE_TEST_SURELY_UNSET_VARIABLE is not set"), r.err());
    }

    @Test
    void badSqlExits65WithTheLineAndACaret(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bad.sql");
        Files.writeString(script, "SELEC 1;\n");
        CliRun r = CliRun.sluice("run", script.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertTrue(r.err().contains("bad.sql:1:1: error"), r.err());
    }

    @Test
    void anUnknownInputNameIsAUsageErrorBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path root = ItSupport.repoRoot();
        CliRun r = CliRun.sluice("run", root.resolve("topologies/l2s3_slow_requests/pipeline.sql").toString(),
                "--input", "feedback_event=" + dir.resolve("x.jsonl"));
        assertEquals(64, r.exitCode(), r.err());
        assertTrue(r.err().contains("--input feedback_event: no such stream or table in the script; did you mean `feedback_events`?"),
                r.err());
        assertTrue(!r.err().contains("embedded Kafka broker"), "no broker was started: " + r.err());
    }
}
