package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARRAY_AGG / COLLECT_LIST of a constant keep a row count (state format 19), not the list. Each
 * constant call has a twin over a column that always holds the same value, whose elements are
 * kept as before; on every row of the ordered changelog (random input, FILTER, ORDER BY, DISTINCT,
 * a NULL constant; over a stream without window, TUMBLE, HOP, SESSION, cache off and on, and over a
 * table with updates and deletes; ksqlDB's COLLECT_LIST too) the two columns are equal, zero rows
 * included (NULL).
 */
class ConstantArrayAggScenarioTest {
    /** Constant call, then its twin over the column c ('x'), one (1) or z (NULL). */
    private static final TwinCalls TWINS = new TwinCalls(List.of(
            new String[] {"ARRAY_AGG('x')", "ARRAY_AGG(c)"},
            new String[] {"COLLECT_LIST(1) FILTER (WHERE v > 1)", "COLLECT_LIST(one) FILTER (WHERE v > 1)"},
            new String[] {"ARRAY_AGG('x' ORDER BY v DESC)", "ARRAY_AGG(c ORDER BY v DESC)"},
            new String[] {"ARRAY_AGG(DISTINCT 'x') FILTER (WHERE v < 3)", "ARRAY_AGG(DISTINCT c) FILTER (WHERE v < 3)"},
            new String[] {"ARRAY_AGG(NULL) FILTER (WHERE v = 2)", "ARRAY_AGG(z) FILTER (WHERE v = 2)"}));
    /** A row that lists the constant (k0 not NULL). */
    private static final Predicate<JsonNode> LISTED = row -> row.get("k0") != null && !row.get("k0").isNull();
    private static final String COLUMNS = "v BIGINT, c VARCHAR, one INT, z VARCHAR";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    private static String value(Long v) {
        return "\"v\":" + v + ",\"c\":\"x\",\"one\":1,\"z\":null";
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "TUMBLE(ts, INTERVAL '1' MINUTE)", "HOP(ts, INTERVAL '30' SECOND, INTERVAL '2' MINUTE)",
            "SESSION(ts, INTERVAL '20' SECOND)"})
    void aStreamsConstantListsEqualTheirTwinsOnEveryRow(String window) {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE STREAM s (k VARCHAR, " + COLUMNS + ", ts TIMESTAMP ROWTIME, "
                    + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
                    + "CREATE TABLE agg AS SELECT k" + TWINS.select() + " FROM s GROUP BY k"
                    + (window.isEmpty() ? "" : ", " + window + " EMIT CHANGES");
            Random random = new Random(window.hashCode() + settings.size());
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                long now = 3_600_000;
                for (int i = 0; i < 80; i++) {
                    now += random.nextInt(12) == 0 ? 120_000 : random.nextInt(15_000);
                    long time = now - (random.nextInt(8) == 0 ? random.nextInt(100_000) : 0);
                    Long v = random.nextInt(7) == 0 ? null : (long) random.nextInt(5);
                    d.pipe("s", "{\"k\":\"k" + random.nextInt(3) + "\"," + value(v) + ",\"ts\":" + time + "}", time);
                }
                int lists = TWINS.assertEqualOnEveryRow(d.output("agg"), LISTED);
                assertTrue(lists > 0, "some rows list the constant");
            }
        }
    }

    /** ksqlDB: COLLECT_LIST('x') and COLLECT_LIST(1) over a table (updates, deletes) and a tumbling window. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ksqlsConstantListsEqualTheirTwins(boolean table) {
        String calls = "COLLECT_LIST('x') AS K0, COLLECT_LIST(C) AS T0, COLLECT_LIST(1) AS K1, COLLECT_LIST(ONE) AS T1";
        String sql = table
                ? "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, v BIGINT, c VARCHAR, one INT) "
                + "WITH (kafka_topic = 'users', value_format = 'json');\n"
                + "CREATE TABLE agg AS SELECT region, " + calls + " FROM users GROUP BY region;"
                : "CREATE STREAM users (user_id VARCHAR KEY, region VARCHAR, v BIGINT, c VARCHAR, one INT) "
                + "WITH (kafka_topic = 'users', value_format = 'json');\n"
                + "CREATE TABLE agg AS SELECT region, " + calls + " FROM users WINDOW TUMBLING (SIZE 1 MINUTE) "
                + "GROUP BY region;";
        Random random = new Random(table ? 5 : 6);
        Map<String, String> present = new HashMap<>();
        try (ChangelogDriver d = new ChangelogDriver(sql)) {
            for (int i = 0; i < 100; i++) {
                String user = "u" + random.nextInt(8);
                long t = 7_000L * (i + 1);
                if (table && present.containsKey(user) && random.nextInt(4) == 0) {
                    d.pipe("users", user, null, t);
                    present.remove(user);
                    continue;
                }
                String region = "r" + random.nextInt(3);
                d.pipe("users", user, "{\"REGION\":\"" + region + "\",\"V\":" + random.nextInt(5)
                        + ",\"C\":\"x\",\"ONE\":1}", t);
                present.put(user, region);
            }
            List<String> rows = d.output("agg");
            assertTrue(rows.size() >= 20, rows.toString());
            int lists = 0;
            for (String r : rows) {
                JsonNode row = ChangelogDriver.valueOf(r + " @");
                if (row == null) {
                    continue;
                }
                assertEquals(row.get("T0"), row.get("K0"), r);
                assertEquals(row.get("T1"), row.get("K1"), r);
                lists += row.get("K0").isArray() ? 1 : 0;
            }
            assertTrue(lists > 0, rows.toString());
        }
    }

    /**
     * No key type lacks an ordered encoding in practice: ORDER BY keys of ARRAY, ROW, MAP, BYTES or
     * VARIANT type are refused when the query compiles, so no such list stays in the value.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ARRAY<BIGINT>", "ROW<a BIGINT>", "MAP<VARCHAR, BIGINT>", "BYTES", "VARIANT"})
    void orderByKeysWithoutAnOrderedEncodingAreRefused(String type) {
        String sql = "CREATE STREAM s (k VARCHAR, v BIGINT, key " + type + ") WITH ('topic' = 's', 'format' = 'json');\n"
                + "CREATE TABLE agg AS SELECT k, ARRAY_AGG(v ORDER BY key) AS a FROM s GROUP BY k";
        Exception e = assertThrows(Exception.class, () -> new ChangelogDriver(sql).close());
        assertTrue(String.valueOf(e.getMessage()).contains("comparable type"), e.toString());
    }

    @Test
    void aTablesConstantListsFollowUpdatesAndDeletes() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, " + COLUMNS + ") "
                    + "WITH ('topic' = 'users', 'format' = 'json');\n"
                    + "CREATE TABLE agg AS SELECT region" + TWINS.select() + " FROM users GROUP BY region";
            Random random = new Random(17);
            Map<String, String> regionOf = new HashMap<>();
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                for (int i = 0; i < 150; i++) {
                    String user = "u" + random.nextInt(10);
                    long t = 1_000L * (i + 1);
                    if (regionOf.containsKey(user) && random.nextInt(4) == 0) {
                        d.pipe("users", user, null, t);
                        regionOf.remove(user);
                        continue;
                    }
                    String region = "r" + random.nextInt(3);
                    Long v = random.nextInt(7) == 0 ? null : (long) random.nextInt(5);
                    d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\","
                            + value(v) + "}", t);
                    regionOf.put(user, region);
                }
                for (String user : List.copyOf(regionOf.keySet())) {
                    d.pipe("users", user, null, 1_000_000);
                }
                List<String> rows = d.output("agg");
                assertTrue(TWINS.assertEqualOnEveryRow(rows, LISTED) > 0, "some rows list the constant");
                assertFalse(rows.isEmpty());
            }
        }
    }
}
