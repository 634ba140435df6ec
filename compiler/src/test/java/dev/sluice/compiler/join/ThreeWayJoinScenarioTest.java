package dev.sluice.compiler.join;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.ChangelogDriver.Input;
import dev.sluice.runtime.build.BuildOptions;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nexmark q23's shape, {@code bids JOIN persons ON p.id = b.bidder JOIN auctions ON a.seller = b.bidder}:
 * two regular INNER joins on one key, run as one three-way operator (ThreeWayInnerJoinProcessor)
 * that does not store the inner join's rows. Its output is the two binary joins' record for record:
 * the same rows, keys and timestamps in the same order, with event-time columns (rows stamped by
 * them) and without (stamped with the latest of the rows' times), through restarts that restore
 * its stores from their changelogs, and on both backends. An application that ran the binary joins
 * resumes on the three-way operator from their stores and emits the same rows.
 *
 * <p>The events come from a small key space, several persons share an id (so the inner join pairs
 * a bid with several persons, and an auction meets pairs whose order the binary outer join's store
 * decided), and times repeat and run backwards (so arrival order decides).
 */
class ThreeWayJoinScenarioTest {
    private static final String ROWTIME_SOURCES = """
            CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, dt TIMESTAMP ROWTIME)
                WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM persons (id BIGINT, name VARCHAR, dt TIMESTAMP ROWTIME)
                WITH ('topic' = 'persons', 'format' = 'json');
            CREATE STREAM auctions (id BIGINT, seller BIGINT, item VARCHAR, dt TIMESTAMP ROWTIME)
                WITH ('topic' = 'auctions', 'format' = 'json');
            """;
    private static final String PLAIN_SOURCES = """
            CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, dt BIGINT)
                WITH ('topic' = 'bids', 'format' = 'json');
            CREATE STREAM persons (id BIGINT, name VARCHAR, dt BIGINT)
                WITH ('topic' = 'persons', 'format' = 'json');
            CREATE STREAM auctions (id BIGINT, seller BIGINT, item VARCHAR, dt BIGINT)
                WITH ('topic' = 'auctions', 'format' = 'json');
            """;
    private static final String Q23 = """
            CREATE STREAM joined AS
            SELECT b.bidder, b.price, b.dt, p.name, p.dt AS person_dt, a.id AS auction_id, a.item, a.dt AS auction_dt
            FROM bids b
            JOIN persons p ON p.id = b.bidder
            JOIN auctions a ON a.seller = b.bidder;
            """;

    private static List<Input> events(long seed, boolean rowtime) {
        Random random = new Random(seed);
        List<Input> out = new ArrayList<>();
        long t = 1_705_312_800_000L;
        for (int i = 0; i < 300; i++, t += random.nextInt(3) * 500L) {
            // event times repeat and go back up to 2 s
            long dt = t - random.nextInt(5) * 500L;
            String time = rowtime ? "\"" + java.time.Instant.ofEpochMilli(dt).toString().replace('T', ' ')
                    .replace("Z", "") + "\"" : Long.toString(dt);
            String key = Integer.toString(random.nextInt(8));
            int kind = random.nextInt(25);
            if (kind < 2) {
                out.add(new Input("persons", "{\"id\":" + key + ",\"name\":\"p" + i + "\",\"dt\":" + time + "}", dt));
            } else if (kind < 5) {
                out.add(new Input("auctions", "{\"id\":" + i + ",\"seller\":" + key + ",\"item\":\"i" + i
                        + "\",\"dt\":" + time + "}", dt));
            } else {
                out.add(new Input("bids", "{\"auction\":" + random.nextInt(50) + ",\"bidder\":" + key
                        + ",\"price\":" + random.nextInt(100) + ",\"dt\":" + time + "}", dt));
            }
        }
        return out;
    }

    /**
     * The ordered output of the script, built with {@code options}, restarting before each index of
     * {@code restarts} with its stores restored from the changelog records written so far.
     */
    private static List<String> run(String sql, BuildOptions options, List<Input> events, List<Integer> restarts,
                                    Map<String, List<TestRecord<byte[], byte[]>>> changelogs) {
        return ChangelogDriver.readRestarting(sql, options, events, restarts, changelogs, d -> { });
    }

    private static List<String> run(String sql, BuildOptions options, List<Input> events, List<Integer> restarts) {
        return run(sql, options, events, restarts, new HashMap<>());
    }

    private static String script(boolean rowtime, String backend) {
        return "SET 'state.backend.type' = '" + backend + "';\n" + (rowtime ? ROWTIME_SOURCES : PLAIN_SOURCES) + Q23;
    }

    private static final BuildOptions THREE_WAY = BuildOptions.PRODUCTION;
    private static final BuildOptions BINARY = BuildOptions.PRODUCTION.withoutThreeWayJoins();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void theThreeWayOperatorEmitsTheBinaryJoinsRecordsInTheirOrder(long seed) {
        for (boolean rowtime : new boolean[] {true, false}) {
            List<Input> events = events(seed, rowtime);
            String sql = script(rowtime, "rocksdb");
            try (ChangelogDriver fused = new ChangelogDriver(sql, THREE_WAY);
                 ChangelogDriver binary = new ChangelogDriver(sql, BINARY)) {
                assertFalse(fused.stores().stream().anyMatch(s -> s.endsWith("join-a-left-rows-store")),
                        "the inner join's rows are not stored: " + fused.stores());
                assertEquals(3, fused.stores().stream().filter(s -> s.endsWith("-rows-store")).count(),
                        fused.stores().toString());
                assertTrue(binary.stores().stream().anyMatch(s -> s.endsWith("join-a-left-rows-store")),
                        binary.stores().toString());
                String plan = dev.sluice.compiler.Steps.explain(fused.script().queries().get(0).plan().root());
                assertTrue(plan.contains("INNER regular, one three-way join with joined-join-p: rows kept in "
                        + "joined-join-p-left-rows-store, joined-join-p-right-rows-store and "
                        + "joined-join-a-right-rows-store for good"), plan);
            }
            List<String> expected = run(sql, BINARY, events, List.of());
            assertTrue(expected.size() > 1000, "the input joins enough rows: " + expected.size());
            String at = (rowtime ? "rowtime" : "no rowtime") + ", seed " + seed;
            assertEquals(expected, run(sql, THREE_WAY, events, List.of()), at);
            assertEquals(expected, run(sql, THREE_WAY, events, List.of(90, 210)), at + ", restarted twice");
            assertEquals(expected, run(script(rowtime, "hashmap"), THREE_WAY, events, List.of(150)),
                    at + ", hashmap, restarted once");
        }
    }

    /**
     * Binary joins for the first part, the three-way operator after: it reads the first two inputs'
     * rows from the stores the inner join kept and the third's from the outer join's right store,
     * so every row of the rest of the input meets what came before. The rows match the binary run's;
     * the order among one record's rows may differ where they meet rows stored before the change
     * (the two binary stores numbered their arrivals each on their own).
     */
    @ParameterizedTest
    @ValueSource(longs = {5, 6})
    void anApplicationThatRanTheBinaryJoinsResumesOnTheThreeWayOperator(long seed) {
        List<Input> events = events(seed, true);
        String sql = script(true, "rocksdb");
        List<String> expected = run(sql, BINARY, events, List.of());
        Map<String, List<TestRecord<byte[], byte[]>>> changelogs = new HashMap<>();
        List<String> resumed = new ArrayList<>(run(sql, BINARY, events.subList(0, 150), List.of(), changelogs));
        resumed.addAll(run(sql, THREE_WAY, events.subList(150, events.size()), List.of(), changelogs));
        assertEquals(expected.size(), resumed.size());
        assertEquals(expected.stream().sorted().toList(), resumed.stream().sorted().toList());
        assertEquals(expected.subList(0, 100), resumed.subList(0, 100), "the binary part is the binary run's");
    }
}
