package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The session distinct store: every write and delete goes to its changelog topic (what a restarted
 * or moved task restores from; TopologyTestDriver wipes its state directory on close, so the
 * restore itself is Kafka Streams' and is exercised on the broker by the pipelines' tests), a merge
 * leaves one entry per value, and entries of sessions the aggregate's store can no longer find
 * (older than stream time minus its 20-minute retention) are deleted.
 */
class SessionDistinctStoreTest {
    private static final long BASE = 3_600_000;
    private static final String SQL = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE TABLE t AS SELECT k, COUNT(DISTINCT v) AS kinds, COUNT(*) AS n FROM s "
            + "GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE) EMIT CHANGES;\n";
    private static final String STORE = "t-aggregate-distinct-store";

    private static void pipe(TopologyTestDriver driver, long v, long seconds) {
        TestInputTopic<String, String> in = driver.createInputTopic("s", new StringSerializer(), new StringSerializer());
        long time = BASE + seconds * 1_000;
        in.pipeInput(null, "{\"k\":\"a\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    private static List<String> rows(TopologyTestDriver driver, CompiledScript script) {
        List<String> out = new ArrayList<>();
        driver.createOutputTopic(script.queries().get(0).outputTopic(), new StringDeserializer(),
                new StringDeserializer()).readRecordsToList().forEach(r -> out.add(String.valueOf(r.value())));
        return out;
    }

    private static int entries(TopologyTestDriver driver) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(STORE);
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void theStoreIsChangeloggedKeepsOneEntryPerValueAfterAMergeAndTrimsOldSessions() {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(SQL, "t", BuildOptions.PRODUCTION);
        Properties props = ChangelogDriver.properties("session-distinct");
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            pipe(driver, 1, 0);
            pipe(driver, 2, 10);
            pipe(driver, 1, 100);
            rows(driver, script);
            // two indexes per value first seen in its session: {1, 2} and {1}
            assertEquals(6, entries(driver));
            pipe(driver, 2, 60); // merges [0 s, 10 s] {1, 2} and [100 s] {1}: 1 counts once
            List<String> rows = rows(driver, script);
            assertEquals("{\"k\":\"a\",\"kinds\":2,\"n\":4}", rows.get(rows.size() - 1), rows.toString());
            assertEquals(4, entries(driver), "the merged session keeps one entry per value");
            // 21 minutes on: the session [0 s, 100 s] is past the store's 20-minute retention
            pipe(driver, 3, 1_360);
            assertEquals(List.of("{\"k\":\"a\",\"kinds\":1,\"n\":1}"), rows(driver, script));
            assertEquals(2, entries(driver), "only the new session's value is left");
            // every put and delete, in order: 6 puts, 2 deletes at the merge, 2 puts, 4 deletes
            List<String> changelog = new ArrayList<>();
            driver.createOutputTopic("session-distinct-" + STORE + "-changelog", new BytesDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList()
                    .forEach(r -> changelog.add(r.value() == null ? "delete" : "put"));
            assertEquals(List.of("put", "put", "put", "put", "put", "put", "delete", "delete", "put", "put",
                    "delete", "delete", "delete", "delete"), changelog);
        }
    }
}
