package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.runtime.build.BuildOptions;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nexmark q5's shape with and without {@link RunningTopRule}, on TopologyTestDriver: random auctions
 * (a few hot, many cold, so windows have ties for the top), times in and out of order, records late
 * for the windows, restarts from the changelogs at the same points on both sides, each state
 * backend, the record cache on and off. The ordered output records with their timestamps must be
 * equal, while the rule must really have kept rows out of the join's repartition topic.
 */
class RunningTopScenarioTest {
    private static final String WITHOUT = "SET 'sluice.optimizer.rules' = 'pushdown,prune,rekey,colocate,share';\n";
    private static final Map<String, String> SKIP_LATE = Map.of("processing.exception.handler",
            "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler");
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    /** The output in order, and how many records crossed the join's left repartition topic. */
    private record Run(List<String> out, int joinSideRecords) {
    }

    private static Run run(String sql, Map<String, String> settings, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        Map<String, List<TestRecord<byte[], byte[]>>> changelogs = new HashMap<>();
        int joinSide = 0;
        ChangelogDriver d = new ChangelogDriver(sql, BuildOptions.PRODUCTION, settings);
        long clock = 1_000_000;
        try {
            for (int i = 0; i < 900; i++) {
                if (i == 300 || i == 610) {
                    out.addAll(d.read());
                    joinSide += joinSideRecords(d);
                    d.changelogs().forEach((store, records) -> changelogs.computeIfAbsent(store, x -> new ArrayList<>())
                            .addAll(records));
                    d.close();
                    d = new ChangelogDriver(sql, BuildOptions.PRODUCTION, settings);
                    d.restore(changelogs);
                }
                clock += r.nextInt(5) == 0 ? 0 : r.nextInt(400);
                long ts = r.nextInt(6) == 0 ? clock - r.nextInt(9_000) : clock;
                long auction = r.nextInt(3) == 0 ? r.nextInt(3) : 3 + r.nextInt(40);
                d.pipe("bid", "{\"auction\":" + auction + ",\"price\":" + r.nextInt(100) + ",\"ts\":" + ts + "}", ts);
            }
            // far in the future: every window closes
            d.pipe("bid", "{\"auction\":1,\"price\":1,\"ts\":" + (clock + 600_000) + "}", clock + 600_000);
            d.pipe("bid", "{\"auction\":1,\"price\":1,\"ts\":" + (clock + 1_200_000) + "}", clock + 1_200_000);
            out.addAll(d.read());
            joinSide += joinSideRecords(d);
        } finally {
            d.close();
        }
        return new Run(out, joinSide);
    }

    private static int joinSideRecords(ChangelogDriver d) {
        return d.producedTopics().stream().filter(t -> t.endsWith("-counts-rekey-repartition"))
                .mapToInt(t -> d.rawValues(t).size()).sum();
    }

    @ParameterizedTest(name = "{0}, cache {1}, seed {2}")
    @CsvSource({"rocksdb, false, 1", "rocksdb, true, 2", "hashmap, false, 3", "hashmap, true, 4", "rocksdb, false, 5"})
    void theJoinEmitsTheSameRowsInTheSameOrder(String backend, boolean cache, long seed) {
        String sql = "SET 'state.backend.type' = '" + backend + "';\n" + RunningTopRuleTest.q5();
        Map<String, String> settings = new HashMap<>(SKIP_LATE);
        if (cache) {
            settings.putAll(CACHE_ON);
        }
        Run with = run(sql, settings, seed);
        Run without = run(WITHOUT + sql, settings, seed);
        assertTrue(without.out().size() > 60, "rows: " + without.out().size());
        assertEquals(without.out(), with.out());
        assertTrue(with.joinSideRecords() * 3 < without.joinSideRecords(),
                "join side records with the rule " + with.joinSideRecords() + ", without " + without.joinSideRecords());
    }
}
