package dev.sluice.compiler.join;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.ChangelogDriver.Input;
import dev.sluice.runtime.build.BuildOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nexmark q9's join (auctions joined with the bids made while each was open) compiled and run,
 * with the regular join's row stores written once per commit (CommitBatchedKeyValueStore): the join's
 * ordered rows and timestamps are the same whether the application runs through, or restarts twice
 * with its stores restored from the changelog records the commits wrote, and the same on RocksDB
 * and on the heap; q9's top bid per auction (its table's ordered changelog, with retractions) is
 * the same on both backends. (A restart of q9 itself is not run here: {@code ChangelogDriver#restore}
 * does not write the ranking's table in its stored form.) Random auctions
 * (ids repeat: a later auction of an id meets the bids stored before it) and bids, in and out of
 * their auctions' spans. A commit that did not write the held rows and their changelog records
 * would lose them at the restart, and later auctions and bids would miss them.
 */
class RegularJoinWriteBehindScenarioTest {
    private static final String SOURCES = """
            CREATE STREAM auctions (id BIGINT, seller BIGINT, dt BIGINT, expires BIGINT)
                WITH ('topic' = 'auctions', 'format' = 'json');
            CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, dt BIGINT)
                WITH ('topic' = 'bids', 'format' = 'json');
            """;
    private static final String JOINED = """
            SELECT a.id, a.seller, a.dt, a.expires, b.bidder, b.price, b.dt AS bid_dt
            FROM auctions a, bids b
            WHERE b.auction = a.id AND b.dt BETWEEN a.dt AND a.expires""";
    /** The join's rows themselves, in the order the join emits them. */
    private static final String JOIN = SOURCES + "CREATE STREAM joined AS " + JOINED + ";\n";
    /** q9: the top bid per auction, a table whose changelog has the retractions. */
    private static final String Q9 = SOURCES + """
            CREATE TABLE winning AS SELECT * FROM (
                SELECT a.id, a.seller, a.dt, a.expires, b.bidder, b.price, b.dt AS bid_dt,
                       ROW_NUMBER() OVER (PARTITION BY a.id ORDER BY b.price DESC, b.dt ASC) AS rn
                FROM auctions a, bids b
                WHERE b.auction = a.id AND b.dt BETWEEN a.dt AND a.expires
            ) WHERE rn <= 1;
            """;

    private static List<Input> events(long seed) {
        Random random = new Random(seed);
        List<Input> out = new ArrayList<>();
        long t = 1_000;
        for (int i = 0; i < 400; i++, t += 100 + random.nextInt(400)) {
            long id = random.nextInt(8);
            if (random.nextInt(5) == 0) {
                long start = t - random.nextInt(3_000);
                out.add(new Input("auctions", "{\"id\":" + id + ",\"seller\":" + random.nextInt(4) + ",\"dt\":" + start
                        + ",\"expires\":" + (start + 2_000 + random.nextInt(8_000)) + "}", t));
            } else {
                long dt = t - random.nextInt(2_000);
                out.add(new Input("bids", "{\"auction\":" + id + ",\"bidder\":" + random.nextInt(20) + ",\"price\":"
                        + random.nextInt(30) + ",\"dt\":" + dt + "}", t));
            }
        }
        return out;
    }

    /** The ordered output of {@code script}'s query, restarting before each index of {@code restarts}. */
    private static List<String> run(String script, String backend, List<Input> events, List<Integer> restarts) {
        String sql = "SET 'state.backend.type' = '" + backend + "';\n" + script;
        return ChangelogDriver.readRestarting(sql, BuildOptions.PRODUCTION, events, restarts, new HashMap<>(),
                d -> assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-left-rows-store")), d.stores().toString()));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theJoinsRowsAreTheSameThroughRestartsOnBothBackends(long seed) {
        List<Input> events = events(seed);
        List<String> through = run(JOIN, "rocksdb", events, List.of());
        assertTrue(through.size() > 100, "the input joins enough rows: " + through.size());
        assertEquals(through, run(JOIN, "rocksdb", events, List.of(110, 290)), "rocksdb, restarted twice");
        assertEquals(through, run(JOIN, "hashmap", events, List.of()), "hashmap");
        assertEquals(through, run(JOIN, "hashmap", events, List.of(80, 330)), "hashmap, restarted twice");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theTopBidsChangelogIsTheSameOnBothBackends(long seed) {
        List<Input> events = events(seed);
        List<String> rocksdb = run(Q9, "rocksdb", events, List.of());
        assertTrue(rocksdb.size() > 10, "the input makes enough winners: " + rocksdb);
        assertEquals(rocksdb, run(Q9, "hashmap", events, List.of()));
    }
}
