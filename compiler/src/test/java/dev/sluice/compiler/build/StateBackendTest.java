package dev.sluice.compiler.build;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.optimizer.UpgradeCheck;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code SET 'state.backend.type' = 'hashmap'}: the same topology (same store and changelog names, so
 * a switch restores from the same changelog) over Kafka Streams' in-memory stores, giving the same
 * ordered output as RocksDB. Random records with repeated keys and values, table updates and deletes,
 * and records out of order and late, through a windowed aggregate with DISTINCT, a session aggregate,
 * a stream-table, a stream-stream and a table-table join, and a DISTINCT and MIN over a whole stream,
 * with the record cache off and on.
 */
class StateBackendTest {
    private static final long BASE = 1_705_312_800_000L; // 2024-01-15 10:00 UTC
    private static final String SQL = ""
            + "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"
            + " WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE STREAM r (k VARCHAR, w BIGINT, ts TIMESTAMP ROWTIME, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"
            + " WITH ('topic' = 'r', 'format' = 'json');\n"
            + "CREATE TABLE u (k VARCHAR PRIMARY KEY, name VARCHAR) WITH ('topic' = 'u', 'format' = 'json');\n"
            + "CREATE TABLE windowed AS SELECT k, window_start, COUNT(DISTINCT v) AS kinds, SUM(v) AS total"
            + " FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY k, window_start, window_end;\n"
            + "CREATE TABLE sessions AS SELECT k, COUNT(*) AS n, MAX(v) AS top FROM s"
            + " GROUP BY k, SESSION(ts, INTERVAL '20' SECOND) EMIT CHANGES;\n"
            + "CREATE STREAM named AS SELECT s.k, u.name, s.v FROM s JOIN u ON s.k = u.k;\n"
            + "CREATE STREAM paired AS SELECT s.k, s.v, r.w FROM s JOIN r ON s.k = r.k"
            + " AND r.ts BETWEEN s.ts - INTERVAL '10' SECOND AND s.ts + INTERVAL '10' SECOND;\n"
            + "CREATE TABLE distinct_all AS SELECT k, COUNT(DISTINCT v) AS kinds, MIN(v) AS low FROM s GROUP BY k;\n"
            + "CREATE TABLE totals AS SELECT k, SUM(v) AS total FROM s GROUP BY k;\n"
            + "CREATE TABLE both_sides AS SELECT t.k, t.total, u.name FROM totals t LEFT JOIN u ON t.k = u.k;\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    @Test
    void hashmapBuildsTheSameTopologyNamesOnInMemoryStoresAndGivesTheSameOrderedOutput() {
        CompiledScript rocksdb = compile(SQL);
        CompiledScript hashmap = compile("SET 'state.backend.type' = 'hashmap';\n" + SQL);
        assertEquals(StateBackend.ROCKSDB, rocksdb.stateBackend());
        assertEquals(StateBackend.HASHMAP, hashmap.stateBackend());
        assertEquals(rocksdb.topology().describe().toString(), hashmap.topology().describe().toString(),
                "store, processor and topic names do not depend on the backend");
        for (long seed = 1; seed <= 2; seed++) {
            boolean cache = seed == 2;
            Run onDisk = run(rocksdb, seed, cache);
            Run onHeap = run(hashmap, seed, cache);
            assertTrue(onDisk.output.size() > 100, "the scenario emits rows: " + onDisk.output.size());
            assertEquals(onDisk.output, onHeap.output, "seed " + seed + ", cache " + cache);
            assertEquals(onDisk.stores, onHeap.stores, "the same stores");
            assertTrue(onDisk.stores.size() >= 10, onDisk.stores.toString());
            // Kafka Streams keeps suppress's buffer in memory whatever the backend
            TreeSet<String> rocksDbStores = new TreeSet<>(onDisk.stores);
            rocksDbStores.removeIf(store -> store.endsWith("-suppress-store"));
            assertEquals(rocksDbStores, onDisk.persistent, "rocksdb: every other store on disk");
            assertEquals(new TreeSet<>(), onHeap.persistent, "hashmap: no store on disk");
        }
    }

    private record Run(List<String> output, TreeSet<String> stores, TreeSet<String> persistent) {
    }

    /**
     * Random records: 6 keys, values 0-9 (repeats for DISTINCT), times moving forward with a record
     * now and then up to 40 s back (late for the windows, which have 5 s of grace), table rows
     * updated and deleted, and the other side of the interval join.
     */
    private static Run run(CompiledScript script, long seed, boolean cache) {
        // Sluice's handlers: a late record is counted and dropped, as on a broker
        Properties props = dev.sluice.runtime.build.StreamsDefaults.defaults();
        props.putAll(script.settings());
        props.putAll(ChangelogDriver.properties("backend-" + script.stateBackend().value()));
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache ? String.valueOf(10L << 20) : "0");
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        TreeSet<String> stores = new TreeSet<>();
        TreeSet<String> persistent = new TreeSet<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(script.topology(), props)) {
            TestInputTopic<String, String> s = driver.createInputTopic("s", new StringSerializer(), new StringSerializer());
            TestInputTopic<String, String> r = driver.createInputTopic("r", new StringSerializer(), new StringSerializer());
            TestInputTopic<String, String> u = driver.createInputTopic("u", new StringSerializer(), new StringSerializer());
            long time = BASE;
            for (int i = 0; i < 600; i++) {
                time += random.nextInt(3_000);
                long at = random.nextInt(10) == 0 ? time - random.nextInt(40_000) : time;
                String k = "k" + random.nextInt(6);
                int what = random.nextInt(10);
                if (what < 6) {
                    s.pipeInput(null, "{\"k\":\"" + k + "\",\"v\":" + random.nextInt(10) + ",\"ts\":" + at + "}", at);
                } else if (what < 8) {
                    r.pipeInput(null, "{\"k\":\"" + k + "\",\"w\":" + random.nextInt(100) + ",\"ts\":" + at + "}", at);
                } else if (what < 9) {
                    u.pipeInput(k, "{\"k\":\"" + k + "\",\"name\":\"n" + random.nextInt(50) + "\"}", at);
                } else {
                    u.pipeInput(k, null, at);
                }
            }
            for (CompiledQuery q : script.queries()) {
                driver.createOutputTopic(q.outputTopic(), new StringDeserializer(), new StringDeserializer())
                        .readRecordsToList().forEach(rec -> out.add(q.id() + ": " + rec.key() + " -> " + rec.value()
                                + " @" + rec.timestamp()));
            }
            for (Map.Entry<String, StateStore> store : driver.getAllStateStores().entrySet()) {
                stores.add(store.getKey());
                if (store.getValue().persistent()) {
                    persistent.add(store.getKey());
                }
            }
        }
        return new Run(out, stores, persistent);
    }

    @Test
    void anUnknownBackendIsAnErrorAtItsSetNamingTheAcceptedValues() {
        SqlException e = assertThrows(SqlException.class,
                () -> compile(SQL + "SET 'state.backend.type' = 'forst';\n"));
        assertEquals("line 11:1: state.backend.type must be 'hashmap' or 'rocksdb', not 'forst'", e.positioned());
        assertTrue(e.hint().orElseThrow().contains("JVM heap"), e.hint().toString());
        // Flink reads the value in any case
        assertEquals(StateBackend.HASHMAP, compile("SET 'state.backend.type' = 'HashMap';\n" + SQL).stateBackend());
    }

    @Test
    void theConfigFilesBackendOverridesTheScriptsSetAndTheChoiceIsKeptInTheSettings() {
        SluiceCompiler compiler = new SluiceCompiler(DefaultFunctionCatalog.wallClock());
        CompiledScript forced = compiler.withStateBackend(StateBackend.HASHMAP)
                .compile("SET 'state.backend.type' = 'rocksdb';\n" + SQL, "t", BuildOptions.PRODUCTION);
        assertEquals(StateBackend.HASHMAP, forced.stateBackend());
        assertEquals("hashmap", forced.settings().get(StateBackend.KEY));
        // for the stores Kafka Streams makes when the application starts (foreign-key subscriptions)
        assertEquals(StateBackend.HASHMAP.dslStoreSuppliers().getName(),
                forced.settings().get(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG));
        CompiledScript byOptions = compiler.compile(SQL, "t",
                BuildOptions.PRODUCTION.withStateBackend(StateBackend.HASHMAP));
        assertEquals(StateBackend.HASHMAP, byOptions.stateBackend());
        assertFalse(compile(SQL).settings().containsKey(StateBackend.KEY), "the default adds no setting");
    }

    @Test
    void switchingTheBackendChangesNoStoreOrTopicSoTheApplicationResumesFromItsChangelogs() {
        UpgradeCheck.Result result = UpgradeCheck.compare(compile(SQL),
                compile("SET 'state.backend.type' = 'hashmap';\n" + SQL));
        assertEquals(List.of(), result.changes());
        assertTrue(result.canResume(), result.explain().toString());
    }
}
