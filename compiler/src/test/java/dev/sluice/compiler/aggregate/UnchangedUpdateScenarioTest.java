package dev.sluice.compiler.aggregate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An update that leaves a group's row as it was emits nothing, as Flink's GroupAggFunction compares
 * the previous and new aggregate values and drops the change when they are equal. Every expected
 * changelog below is Flink's ({@code oracle.sh --changelog raw --no-sort}), read as upserts.
 */
class UnchangedUpdateScenarioTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME) "
            + "WITH ('topic' = 's', 'format' = 'json');\n";

    private static void pipe(ChangelogDriver d, String k, long v, long time) {
        d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    /** Flink: +I(5,1) -U +U(5,2) -U +U(7,3), and nothing for the second 7. */
    @Test
    void aStreamAggregateEmitsNothingWhenMaxAndCountDistinctStayTheSame() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, MAX(v) AS hi, "
                + "COUNT(DISTINCT v) AS kinds FROM s GROUP BY k")) {
            pipe(d, "a", 5, 1_000);
            assertEquals(List.of("a -> {\"k\":\"a\",\"hi\":5,\"kinds\":1} @1000"), d.read());
            pipe(d, "a", 3, 2_000);
            assertEquals(List.of("a -> {\"k\":\"a\",\"hi\":5,\"kinds\":2} @2000"), d.read());
            pipe(d, "a", 7, 3_000);
            assertEquals(List.of("a -> {\"k\":\"a\",\"hi\":7,\"kinds\":3} @3000"), d.read());
            pipe(d, "a", 7, 4_000);
            assertEquals(List.of(), d.read(), "7 again changes neither MAX nor COUNT(DISTINCT)");
        }
    }

    /** Without DISTINCT the aggregate has no distinct store: the plain path drops the same way. */
    @Test
    void aStreamMaxThatASmallerValueDoesNotMoveEmitsNothing() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT k, MAX(v) AS hi FROM s GROUP BY k")) {
            pipe(d, "a", 5, 1_000);
            pipe(d, "a", 3, 2_000);
            pipe(d, "b", 1, 3_000);
            pipe(d, "a", 9, 4_000);
            assertEquals(List.of(
                    "a -> {\"k\":\"a\",\"hi\":5} @1000",
                    "b -> {\"k\":\"b\",\"hi\":1} @3000",
                    "a -> {\"k\":\"a\",\"hi\":9} @4000"), d.read());
        }
    }

    /**
     * Over a changelog (a GROUP BY of a GROUP BY): b's and c's first totals move MIN and MAX nowhere,
     * so the row is not emitted again. Flink: +I(5,5) -U +U(5,6).
     */
    @Test
    void aTableAggregateEmitsNothingWhenARowMovesWithinTheSameResult() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE TABLE t AS SELECT g, MIN(total) AS lo, "
                + "MAX(total) AS hi FROM (SELECT k, 'all' AS g, SUM(v) AS total FROM s GROUP BY k) x GROUP BY g")) {
            pipe(d, "a", 5, 1_000);
            pipe(d, "b", 5, 2_000);
            pipe(d, "c", 5, 3_000);
            pipe(d, "b", 1, 4_000);
            assertEquals(List.of(
                    "all -> {\"g\":\"all\",\"lo\":5,\"hi\":5} @1000",
                    "all -> {\"g\":\"all\",\"lo\":5,\"hi\":6} @4000"), d.read());
        }
    }
}
