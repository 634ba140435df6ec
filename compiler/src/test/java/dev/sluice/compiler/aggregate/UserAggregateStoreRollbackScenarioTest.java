package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 17 point 5 over a table: a record whose Java aggregate throws is dead-lettered and leaves no
 * trace in {@code <step>-values-store}, though calls before the throwing one (MIN, COUNT(DISTINCT))
 * and the throwing DISTINCT call itself counted its values there first. Users of two regions are
 * written, updated, moved and deleted at random; between them, fresh users arrive with a value the
 * aggregate refuses (and are deleted at the end, which is refused too). After every record each
 * region's row equals the model of the good users alone, and the store holds exactly their
 * entries; when every user is deleted it is empty. Record cache off and on. Over a stream, the
 * values its DISTINCT calls marked seen are taken back.
 */
class UserAggregateStoreRollbackScenarioTest {
    /** Sums its values; refuses (throws for) a negative one, in accumulate and in retract. */
    public static final class NonNegativeSum {
        public static final class Acc {
            public long total;
        }

        public Acc createAccumulator() {
            return new Acc();
        }

        public void accumulate(Acc acc, long value) {
            refuseNegative(value);
            acc.total += value;
        }

        public void retract(Acc acc, long value) {
            refuseNegative(value);
            acc.total -= value;
        }

        public long getValue(Acc acc) {
            return acc.total;
        }

        private static void refuseNegative(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative value " + value);
            }
        }
    }

    /** A good user's row: x in 0..9, y in 0..4. */
    private record In(long x, long y) {
    }

    /**
     * The store-backed calls come first, so that each has written the store when the Java aggregate
     * throws: MIN's value counts, COUNT(DISTINCT)'s and the throwing DISTINCT call's own; the plain
     * call throws on retracting a refused row too, so deleting such a user is dead-lettered as well.
     */
    private static final String SQL = "CREATE FUNCTION nn_sum AS '" + NonNegativeSum.class.getName() + "';\n"
            + "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, x BIGINT, y BIGINT) "
            + "WITH ('topic' = 'users', 'format' = 'json');\n"
            + "CREATE STREAM c AS SELECT region, MIN(x) AS mn, COUNT(DISTINCT y) AS cy, nn_sum(DISTINCT x) AS sd, "
            + "nn_sum(x) AS s, COUNT(*) AS n FROM users GROUP BY region";
    private static final List<String> REGIONS = List.of("eu", "us");

    @Test
    void aRefusedRecordLeavesNoValueInTheStoreWithTheCacheOffAndOn() {
        for (boolean cache : List.of(false, true)) {
            scenario(cache);
        }
    }

    private static void scenario(boolean cache) {
        Random random = new Random(cache ? 29 : 23);
        try (ChangelogDriver d = new ChangelogDriver(SQL, ScenarioSettings.deadLettering(cache))) {
            String values = d.store("-values-store");
            UsersByRegion<In> users = new UsersByRegion<>(d, random, 10, r -> REGIONS.get(r.nextInt(REGIONS.size())));
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                long t = 1_000L * (i + 1);
                if (random.nextInt(4) == 0) {
                    // a fresh user whose x the aggregate refuses: never aggregated, never counted
                    String user = "bad" + refused.size();
                    refused.add(user);
                    d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\""
                            + REGIONS.get(random.nextInt(REGIONS.size())) + "\",\"x\":" + -(1 + random.nextInt(3))
                            + ",\"y\":" + random.nextInt(5) + "}", t);
                } else {
                    users.step(t, (r, json) -> {
                        In row = new In(r.nextInt(10), r.nextInt(5));
                        json.append(",\"x\":").append(row.x()).append(",\"y\":").append(row.y());
                        return row;
                    });
                }
                String step = "step " + i + (cache ? ", cache on" : "");
                users.check(step, REGIONS, UserAggregateStoreRollbackScenarioTest::expected,
                        UserAggregateStoreRollbackScenarioTest::actual);
                assertEquals(expectedEntries(users), d.entries(values), step + ": entries of " + values);
            }
            for (String user : refused) {
                d.pipe("users", user, null, 1_000_000);
            }
            users.deleteAll(1_000_000);
            assertEquals(0, d.entries(values), "every user deleted: no value is left");
            assertEquals(2 * refused.size(), d.rawValues("s-dlq").size(), "each refused write and delete is dead-lettered");
        }
    }

    /**
     * Over a stream, COUNT(DISTINCT y) marks y seen in {@code <step>-distinct-store} before the Java
     * aggregate refuses the record: the mark is taken back, so the next record with the same y counts
     * it (before: 0, and the store kept the refused record's value). Without window and tumbling
     * (whose window emits when it closes).
     */
    @Test
    void aRefusedStreamRecordLeavesItsDistinctValuesUnseen() {
        String stream = "CREATE FUNCTION nn_sum AS '" + NonNegativeSum.class.getName() + "';\n"
                + "CREATE STREAM s (k VARCHAR, x BIGINT, y BIGINT, ts TIMESTAMP ROWTIME, "
                + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
        for (String from : List.of("s", "TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' HOUR))")) {
            String groupBy = from.equals("s") ? "k" : "k, window_start, window_end";
            try (ChangelogDriver d = new ChangelogDriver(stream + "CREATE TABLE t AS SELECT " + groupBy
                    + ", COUNT(DISTINCT y) AS cy, nn_sum(x) AS s FROM " + from + " GROUP BY " + groupBy,
                    ScenarioSettings.deadLettering(false))) {
                d.pipe("s", "{\"k\":\"a\",\"x\":-1,\"y\":3,\"ts\":1000}", 1000);
                d.pipe("s", "{\"k\":\"a\",\"x\":-2,\"y\":4,\"ts\":2000}", 2000);
                d.pipe("s", "{\"k\":\"a\",\"x\":1,\"y\":3,\"ts\":3000}", 3000);
                // a window emits when the watermark passes its end: a later record of another key closes a's
                d.pipe("s", "{\"k\":\"b\",\"x\":1,\"y\":1,\"ts\":10000000}", 10_000_000);
                List<String> out = d.read().stream().filter(r -> ChangelogDriver.valueOf(r).get("k").asText().equals("a"))
                        .toList();
                assertEquals(1, out.size(), from + ": " + out);
                JsonNode row = ChangelogDriver.valueOf(out.get(0));
                assertEquals(List.of(1L, 1L), List.of(row.get("cy").asLong(), row.get("s").asLong()), from + ": " + row);
                assertEquals(2, d.rawValues("s-dlq").size(), from);
            }
        }
    }

    private static List<Long> expected(List<In> group) {
        List<Long> xs = group.stream().map(In::x).toList();
        return List.of(xs.stream().mapToLong(Long::longValue).min().orElseThrow(),
                group.stream().map(In::y).distinct().count(),
                xs.stream().distinct().mapToLong(Long::longValue).sum(),
                xs.stream().mapToLong(Long::longValue).sum(),
                (long) group.size());
    }

    private static List<Long> actual(JsonNode row) {
        return List.of(row.get("mn").asLong(), row.get("cy").asLong(), row.get("sd").asLong(), row.get("s").asLong(),
                row.get("n").asLong());
    }

    /** Per region: one entry per distinct x for MIN, one per distinct x for nn_sum(DISTINCT), one per distinct y. */
    private static long expectedEntries(UsersByRegion<In> users) {
        long entries = 0;
        for (String region : REGIONS) {
            List<In> group = users.group(region);
            entries += 2 * group.stream().map(In::x).distinct().count() + group.stream().map(In::y).distinct().count();
        }
        return entries;
    }
}
