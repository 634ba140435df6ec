package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A non-windowed GROUP BY whose row is a function of its key and state, read only as changes (a sink,
 * a GROUP BY over it), keeps no copy of its rows ({@code <step>-table-store}): the row each change
 * replaces is computed from the aggregate's old state. The ordered changelog must be exactly the one
 * the stored copy gave: compared record by record with an in-memory model (Flink's rule: an unchanged
 * row is not emitted again; ksqlDB's: every update is), and, for a GROUP BY of a GROUP BY whose
 * second level sees updates, retractions, a group emptied and rows that do not change, with the
 * changelog the stored copy gave (recorded from that build). Record cache on and off.
 */
class GroupRowsWithoutTableScenarioTest {
    private static final String FLINK_STREAM = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME) "
            + "WITH ('topic' = 's', 'format' = 'json');\n";

    private static void pipe(ChangelogDriver d, String k, long v, long time) {
        d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    private static void assertNoRowCopies(ChangelogDriver d) {
        assertTrue(d.stores().stream().noneMatch(s -> s.endsWith("-table-store")), d.stores().toString());
        String topology = d.script().topology().describe().toString();
        assertFalse(topology.contains("-to-table"), topology);
    }

    /** COUNT(DISTINCT) takes the distinct store's path, MIN/MAX the plain one: both without a row copy. */
    @ParameterizedTest
    @ValueSource(strings = {"COUNT(DISTINCT v)", "MIN(v)"})
    void everyRecordOfAFlinkGroupByIsTheModelsChange(String second) {
        for (boolean cache : new boolean[] {false, true}) {
            try (ChangelogDriver d = new ChangelogDriver(FLINK_STREAM + "CREATE TABLE t AS SELECT k, MAX(v) AS hi, "
                    + second + " AS x FROM s GROUP BY k", ScenarioSettings.deadLettering(cache))) {
                assertNoRowCopies(d);
                Random random = new Random(cache ? 7 : 11);
                Map<String, TreeSet<Long>> values = new HashMap<>();
                Map<String, String> emitted = new HashMap<>();
                List<String> expected = new ArrayList<>();
                List<String> actual = new ArrayList<>();
                long t = 1_000;
                for (int i = 0; i < 150; i++, t += 10) {
                    String k = "k" + random.nextInt(6);
                    long v = random.nextInt(8);
                    pipe(d, k, v, t);
                    TreeSet<Long> seen = values.computeIfAbsent(k, x -> new TreeSet<>());
                    seen.add(v);
                    long x = second.startsWith("COUNT") ? seen.size() : seen.first();
                    String row = "{\"k\":\"" + k + "\",\"hi\":" + seen.last() + ",\"x\":" + x + "}";
                    if (!row.equals(emitted.put(k, row))) {
                        expected.add(k + " -> " + row + " @" + t);
                    }
                    actual.addAll(d.read());
                    assertEquals(expected, actual, "after record " + i + " (cache " + cache + ")");
                }
                assertTrue(expected.size() < 150, "some updates left their row unchanged");
            }
        }
    }

    /** ksqlDB's dialect emits the group's row for every record, changed or not. */
    @Test
    void aKsqlGroupByEmitsEveryUpdate() {
        for (boolean cache : new boolean[] {false, true}) {
            try (ChangelogDriver d = new ChangelogDriver("CREATE STREAM s (k VARCHAR KEY, v BIGINT) "
                    + "WITH (kafka_topic = 's', value_format = 'json');\n"
                    + "CREATE TABLE t AS SELECT k, MAX(v) AS hi, COUNT(*) AS n FROM s GROUP BY k",
                    ScenarioSettings.deadLettering(cache))) {
                assertNoRowCopies(d);
                long[] hi = new long[3];
                long[] n = new long[3];
                Random random = new Random(5);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    int k = random.nextInt(3);
                    long v = random.nextInt(4);
                    d.pipe("s", "g" + k, "{\"V\":" + v + "}", 1_000 + i);
                    hi[k] = n[k] == 0 ? v : Math.max(hi[k], v);
                    n[k]++;
                    expected.add("g" + k + " -> {\"HI\":" + hi[k] + ",\"N\":" + n[k] + "} @" + (1_000 + i));
                }
                assertEquals(expected, d.read(), "cache " + cache);
            }
        }
    }

    /**
     * The inner GROUP BY's rows move between the outer groups (by their MAX's parity): the outer
     * GROUP BY retracts each row's previous version, computed from the inner state, from its group.
     * Group 0 is emptied (deleted) once; k2's 3 leaves its row at MAX 5 (nothing emitted, so no
     * retraction either); the outer SUM(n) sees updates within a group.
     */
    @Test
    void aGroupByOfAGroupByGetsEveryPreviousRow() {
        String sql = FLINK_STREAM + "CREATE TABLE t AS SELECT p, COUNT(*) AS groups, SUM(n) AS rows_in "
                + "FROM (SELECT k, MOD(MAX(v), 2) AS p, COUNT(DISTINCT v) AS n FROM s GROUP BY k) x GROUP BY p";
        List<String> changelog = null;
        for (boolean cache : new boolean[] {false, true}) {
            try (ChangelogDriver d = new ChangelogDriver(sql, ScenarioSettings.deadLettering(cache))) {
                assertTrue(d.stores().stream().noneMatch(s -> s.endsWith("x-aggregate-table-store")),
                        d.stores().toString());
                assertTrue(d.stores().stream().noneMatch(s -> s.endsWith("-previous-store")), d.stores().toString());
                long t = 1_000;
                for (Object[] r : new Object[][] {{"k1", 2}, {"k2", 4}, {"k1", 2}, {"k1", 5}, {"k2", 5}, {"k2", 3},
                        {"k3", 1}, {"k3", 6}, {"k1", 8}, {"k2", 6}, {"k2", 6}}) {
                    pipe(d, (String) r[0], ((Integer) r[1]).longValue(), t += 10);
                }
                // the key (a BIGINT in the KAFKA format) is the value's p
                List<String> out = d.read().stream().map(r -> r.substring(r.indexOf(" -> ") + 4)).toList();
                if (changelog != null) {
                    assertEquals(changelog, out, "cache on and off");
                }
                changelog = out;
            }
        }
        assertEquals(List.of(
                "{\"p\":0,\"groups\":1,\"rows_in\":1} @1010",
                "{\"p\":0,\"groups\":2,\"rows_in\":2} @1020",
                "{\"p\":0,\"groups\":1,\"rows_in\":1} @1040",
                "{\"p\":1,\"groups\":1,\"rows_in\":2} @1040",
                "null @1050",
                "{\"p\":1,\"groups\":2,\"rows_in\":4} @1050",
                "{\"p\":1,\"groups\":2,\"rows_in\":5} @1060",
                "{\"p\":1,\"groups\":3,\"rows_in\":6} @1070",
                "{\"p\":1,\"groups\":2,\"rows_in\":5} @1080",
                "{\"p\":0,\"groups\":1,\"rows_in\":2} @1080",
                "{\"p\":1,\"groups\":1,\"rows_in\":3} @1090",
                "{\"p\":0,\"groups\":2,\"rows_in\":5} @1090",
                "null @1100",
                "{\"p\":0,\"groups\":3,\"rows_in\":9} @1100"), changelog);
    }

    /** A join that reads the GROUP BY's rows by key still has them in {@code <step>-table-store}. */
    @Test
    void aJoinedGroupByKeepsItsRowTable() {
        try (ChangelogDriver d = new ChangelogDriver(FLINK_STREAM
                + "CREATE STREAM q (k VARCHAR, ts TIMESTAMP ROWTIME) WITH ('topic' = 'q', 'format' = 'json');\n"
                + "CREATE STREAM j AS SELECT q.k, x.hi FROM q JOIN (SELECT k, MAX(v) AS hi FROM s GROUP BY k) x "
                + "ON q.k = x.k")) {
            assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-table-store")), d.stores().toString());
        }
    }
}
