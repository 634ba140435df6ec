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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARRAY_AGG with a constant ORDER BY key runs without it, its elements in a store (state format
 * 21), and a constant's {@code ARRAY_AGG(DISTINCT c ORDER BY k)} counts its distinct keys (over a
 * table in {@code <step>-values-store}, in a session in {@code <step>-distinct-store}). Each such call
 * has a twin whose key or element is a column that always holds the same value, kept as before
 * (the sorted or DISTINCT list in its own store); on every row of the ordered changelog (random
 * input with NULLs, FILTER, DESC, DISTINCT, mixed constant and column keys; over a stream without
 * window, TUMBLE, HOP, SESSION with merges and late records, cache off and on, and over a table with
 * updates and deletes) the two columns are equal, zero rows included (NULL).
 */
class ConstantSortKeysScenarioTest {
    /** Call with a constant ORDER BY key or element, then its twin over c ('x') or one (1). */
    private static final TwinCalls TWINS = new TwinCalls(List.of(
            new String[] {"ARRAY_AGG(v ORDER BY 'k')", "ARRAY_AGG(v ORDER BY c)"},
            new String[] {"COLLECT_LIST(v ORDER BY 1 DESC, w) FILTER (WHERE w <> 1)",
                    "COLLECT_LIST(v ORDER BY one DESC, w) FILTER (WHERE w <> 1)"},
            new String[] {"ARRAY_AGG(DISTINCT v ORDER BY 'k' DESC)", "ARRAY_AGG(DISTINCT v ORDER BY c DESC)"},
            new String[] {"ARRAY_AGG(DISTINCT 'x' ORDER BY v)", "ARRAY_AGG(DISTINCT c ORDER BY v)"},
            new String[] {"ARRAY_AGG(DISTINCT 'x' ORDER BY w DESC, v) FILTER (WHERE v <> 2)",
                    "ARRAY_AGG(DISTINCT c ORDER BY w DESC, v) FILTER (WHERE v <> 2)"}));
    /** A row whose k0 and k3 list two elements or more. */
    private static final Predicate<JsonNode> LISTED = row -> row.get("k0").size() > 1 && row.get("k3").size() > 1;
    private static final String COLUMNS = "v BIGINT, w BIGINT, c VARCHAR, one INT";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");

    private static String value(Random random) {
        Long v = random.nextInt(7) == 0 ? null : (long) random.nextInt(5);
        Long w = random.nextInt(6) == 0 ? null : (long) random.nextInt(3);
        return "\"v\":" + v + ",\"w\":" + w + ",\"c\":\"x\",\"one\":1";
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "TUMBLE(ts, INTERVAL '1' MINUTE)", "HOP(ts, INTERVAL '30' SECOND, INTERVAL '2' MINUTE)",
            "SESSION(ts, INTERVAL '20' SECOND)"})
    void aStreamsCallsEqualTheirTwinsOnEveryRow(String window) {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE STREAM s (k VARCHAR, " + COLUMNS + ", ts TIMESTAMP ROWTIME, "
                    + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
                    + "CREATE TABLE agg AS SELECT k" + TWINS.select() + " FROM s GROUP BY k"
                    + (window.isEmpty() ? "" : ", " + window + " EMIT CHANGES");
            Random random = new Random(window.hashCode() + settings.size());
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                long now = 3_600_000;
                for (int i = 0; i < 90; i++) {
                    // gaps that close sessions, and late records that merge them
                    now += random.nextInt(12) == 0 ? 120_000 : random.nextInt(15_000);
                    long time = now - (random.nextInt(8) == 0 ? random.nextInt(100_000) : 0);
                    d.pipe("s", "{\"k\":\"k" + random.nextInt(3) + "\"," + value(random) + ",\"ts\":" + time + "}",
                            time);
                }
                assertTrue(TWINS.assertEqualOnEveryRow(d.output("agg"), LISTED) > 0, "some rows list several elements");
            }
        }
    }

    @Test
    void aTablesCallsFollowUpdatesAndDeletesAndLeaveNothingBehind() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), CACHE_ON)) {
            String sql = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, " + COLUMNS + ") "
                    + "WITH ('topic' = 'users', 'format' = 'json');\n"
                    + "CREATE TABLE agg AS SELECT region" + TWINS.select() + " FROM users GROUP BY region";
            Random random = new Random(21 + settings.size());
            Map<String, String> regionOf = new HashMap<>();
            try (ChangelogDriver d = new ChangelogDriver(sql, settings)) {
                for (int i = 0; i < 160; i++) {
                    String user = "u" + random.nextInt(12);
                    long t = 1_000L * (i + 1);
                    if (regionOf.containsKey(user) && random.nextInt(4) == 0) {
                        d.pipe("users", user, null, t);
                        regionOf.remove(user);
                        continue;
                    }
                    String region = "r" + random.nextInt(3);
                    d.pipe("users", user, "{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\","
                            + value(random) + "}", t);
                    regionOf.put(user, region);
                }
                for (String user : List.copyOf(regionOf.keySet())) {
                    d.pipe("users", user, null, 1_000_000);
                }
                assertTrue(TWINS.assertEqualOnEveryRow(d.output("agg"), LISTED) > 0, "some rows list several elements");
                // every group left: no element, key count or row behind
                for (String store : d.stores()) {
                    if (store.endsWith("-elements-store") || store.endsWith("-values-store")) {
                        assertEquals(0, d.entries(store), store);
                    }
                }
            }
        }
    }

    /**
     * Alone in its query, each form keeps O(1) state in the value: the state changelog's records do
     * not grow with the group (one group, 200 rows, 200 distinct keys), and carry format 21.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ARRAY_AGG(v ORDER BY 'k') AS a", "ARRAY_AGG(DISTINCT 'x' ORDER BY v) AS a"})
    void theStateDoesNotGrowWithTheGroup(String call) {
        for (String shape : List.of("stream", "table", "session")) {
            boolean table = shape.equals("table");
            String sql = (table
                    ? "CREATE TABLE s (id VARCHAR PRIMARY KEY, k VARCHAR, v BIGINT) WITH ('topic' = 's', 'format' = 'json');\n"
                    : "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME) WITH ('topic' = 's', 'format' = 'json');\n")
                    + "CREATE TABLE agg AS SELECT k, " + call + " FROM s GROUP BY k"
                    + (shape.equals("session") ? ", SESSION(ts, INTERVAL '1' HOUR) EMIT CHANGES" : "");
            try (ChangelogDriver d = new ChangelogDriver(sql)) {
                String changelog = "changelog-test-" + d.store("aggregate-store") + "-changelog";
                int first = 0;
                int last = 0;
                for (int i = 0; i < 200; i++) {
                    d.pipe("s", String.valueOf(i), "{\"id\":\"" + i + "\",\"k\":\"a\",\"v\":" + i + ",\"ts\":" + (1000L * i)
                            + "}", 1000L * i);
                    List<byte[]> written = d.rawValues(changelog);
                    byte[] state = written.get(written.size() - 1);
                    if (i == 10) {
                        first = state.length;
                    }
                    last = state.length;
                }
                assertTrue(last <= first + 4, shape + " " + call + ": " + first + " bytes after 10 rows, " + last
                        + " after 200");
                List<String> rows = d.output("agg");
                JsonNode row = ChangelogDriver.valueOf(rows.get(rows.size() - 1) + " @");
                assertEquals(200, row.get("a").size(), shape + " " + call);
            }
        }
    }

    /**
     * {@code sluice diff} and the start-up guard see the new layout: the store's description names
     * state format 21 and the elements store for such a call, and nothing changes for a query without one.
     */
    @Test
    void theAggregatesStoreDescriptionNamesStateFormat21() {
        String source = "CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('topic' = 's', 'format' = 'json');\n"
                + "CREATE TABLE users (id VARCHAR PRIMARY KEY, k VARCHAR, v BIGINT) WITH ('topic' = 'u', 'format' = 'json');\n";
        for (String query : List.of("SELECT k, ARRAY_AGG(v ORDER BY 'k') AS a FROM s GROUP BY k",
                "SELECT k, ARRAY_AGG(DISTINCT 'x' ORDER BY v) AS a FROM users GROUP BY k",
                "SELECT k, ARRAY_AGG(v ORDER BY v) AS a FROM s GROUP BY k")) {
            try (ChangelogDriver d = new ChangelogDriver(source + "CREATE TABLE agg AS " + query)) {
                String store = dev.sluice.compiler.optimizer.StateResources.of(d.script()).stream()
                        .filter(r -> r.name().equals("agg-aggregate-store")).findFirst().orElseThrow().value();
                boolean constant = query.contains("'");
                assertEquals(constant, store.contains("state format 21)"), query + ": " + store);
                if (query.contains("'k'")) {
                    assertTrue(store.contains("ARRAY_AGG elements in agg-aggregate-elements-store (state format 9)"), store);
                }
            }
        }
    }
}
