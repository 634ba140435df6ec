package dev.sluice.topologies;

import dev.sluice.cli.ScriptFiles;
import dev.sluice.cli.replay.DriverRuns;
import dev.sluice.cli.replay.ReplayResult;
import dev.sluice.cli.replay.Replayer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code state.backend.type = hashmap} over every shipped pipeline: the topology is the one RocksDB
 * gets, name for name (so a switch either way restores from the same changelogs), every store in it
 * is in memory, and running it creates no RocksDB directory. A few pipelines (windowed, session,
 * joins, DISTINCT, ranking, dedup) replay their cases to the same ordered changelog on both backends;
 * {@code -Dsluice.backendReplays=all} replays every case of every pipeline.
 */
class HashmapBackendTest {
    private static final Set<String> REPLAYED = Set.of("l5s2_per_model_5min", "l7s2_session_metrics",
            "l8s4_interval_join", "l8_table_table_left_join", "l4s4_unique_users", "nexmark_q16", "l9p3_dedup",
            "l9_top2_users_per_model", "l8_table_fk_left_join");

    @TestFactory
    List<DynamicNode> everyStoreOfEveryPipelineIsInMemoryUnderTheSameNames() {
        List<DynamicNode> tests = new ArrayList<>();
        for (Path pipeline : Pipelines.all()) {
            tests.add(DynamicTest.dynamicTest(pipeline.getFileName().toString(), () -> inMemory(pipeline)));
        }
        assertFalse(tests.isEmpty(), "no pipelines under " + Pipelines.root());
        return tests;
    }

    @TestFactory
    List<DynamicNode> pipelinesReplayToTheSameChangelogOnBothBackends() {
        boolean all = "all".equals(System.getProperty("sluice.backendReplays"));
        List<DynamicNode> tests = new ArrayList<>();
        for (Path pipeline : Pipelines.all()) {
            if (!all && !REPLAYED.contains(pipeline.getFileName().toString())) {
                continue;
            }
            for (Path c : Pipelines.cases(pipeline)) {
                tests.add(DynamicTest.dynamicTest(pipeline.getFileName() + "/" + c.getFileName(),
                        () -> sameChangelog(pipeline, c)));
            }
        }
        return tests;
    }

    private static CompiledScript compile(Path pipeline, StateBackend backend, BuildOptions options) {
        Path script = pipeline.resolve("pipeline.sql");
        return new SluiceCompiler(new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW)).withStateBackend(backend)
                .compile(ScriptFiles.read(script), ScriptFiles.name(script), options);
    }

    private static void inMemory(Path pipeline) throws Exception {
        CompiledScript rocksdb = compile(pipeline, StateBackend.ROCKSDB, BuildOptions.PRODUCTION);
        CompiledScript hashmap = compile(pipeline, StateBackend.HASHMAP, BuildOptions.PRODUCTION);
        assertEquals(rocksdb.topology().describe().toString(), hashmap.topology().describe().toString());
        Path stateDir = DriverRuns.stateDir("hashmap-stores");
        try {
            Properties props = new Properties();
            props.putAll(hashmap.settings()); // as sluice run and replay do
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, hashmap.applicationId());
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(hashmap.topology(), props)) {
                for (Map.Entry<String, StateStore> store : driver.getAllStateStores().entrySet()) {
                    assertFalse(store.getValue().persistent(), store.getKey() + " is on disk");
                }
            }
            try (Stream<Path> files = Files.walk(stateDir)) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("rocksdb")).toList());
            }
        } finally {
            DriverRuns.deleteQuietly(stateDir);
        }
    }

    private static void sameChangelog(Path pipeline, Path caseDir) throws Exception {
        ReplayResult rocksdb = new Replayer().replay(compile(pipeline, StateBackend.ROCKSDB, BuildOptions.REPLAY),
                Pipelines.inputs(caseDir), true);
        ReplayResult hashmap = new Replayer().replay(compile(pipeline, StateBackend.HASHMAP, BuildOptions.REPLAY),
                Pipelines.inputs(caseDir), true);
        assertEquals(rocksdb.columns(), hashmap.columns());
        assertEquals(rocksdb.rows().stream().map(Object::toString).toList(),
                hashmap.rows().stream().map(Object::toString).toList(), "the ordered changelog");
        assertEquals(rocksdb.badRecords(), hashmap.badRecords());
        assertEquals(rocksdb.lateRecords(), hashmap.lateRecords());
    }
}
