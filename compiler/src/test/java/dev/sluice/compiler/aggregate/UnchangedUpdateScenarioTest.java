package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
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

    /**
     * A window with EMIT CHANGES drops the same way. Flink (as the continuously updated GROUP BY k,
     * FLOOR(ts TO MINUTE)): +I(5,1) -U +U(5,2) +I(next window 7,1) -U +U(5,3) -U +U(9,4); the second 5
     * emits nothing. (The watermark lets the record at 5 s, after one at 64 s, into its window.)
     */
    @Test
    void aWindowWithEmitChangesEmitsNothingWhenItsRowStaysTheSame() {
        try (ChangelogDriver d = new ChangelogDriver("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
                + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
                + "CREATE TABLE t AS SELECT k, TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, MAX(v) AS hi, COUNT(DISTINCT v) AS kinds "
                + "FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE) EMIT CHANGES")) {
            pipe(d, "a", 5, 1_000);
            pipe(d, "a", 3, 2_000);
            pipe(d, "a", 5, 3_000);
            pipe(d, "a", 7, 64_000);
            pipe(d, "a", 1, 5_000);
            pipe(d, "a", 9, 6_000);
            assertEquals(List.of(
                    "{\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\"} -> {\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\",\"hi\":5,\"kinds\":1} @59999",
                    "{\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\"} -> {\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\",\"hi\":5,\"kinds\":2} @59999",
                    "{\"k\":\"a\",\"window_start\":\"1970-01-01T00:01:00.000Z\"} -> {\"k\":\"a\",\"window_start\":\"1970-01-01T00:01:00.000Z\",\"hi\":7,\"kinds\":1} @119999",
                    "{\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\"} -> {\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\",\"hi\":5,\"kinds\":3} @59999",
                    "{\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\"} -> {\"k\":\"a\",\"window_start\":\"1970-01-01T00:00:00.000Z\",\"hi\":9,\"kinds\":4} @59999"), d.read());
        }
    }

    /** ksqlDB emits a window's row for every input row, changed or not: its dialect keeps them. */
    @Test
    void aKsqlWindowEmitsEveryUpdateEvenWhenTheRowStaysTheSame() {
        try (ChangelogDriver d = new ChangelogDriver("CREATE STREAM s (k VARCHAR KEY, v BIGINT) "
                + "WITH (kafka_topic = 's', value_format = 'json');\n"
                + "CREATE TABLE t AS SELECT k, MAX(v) AS hi FROM s WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY k")) {
            d.pipe("s", "a", "{\"V\":5}", 1_000);
            d.pipe("s", "a", "{\"V\":3}", 2_000);
            assertEquals(2, d.read().size(), "3 leaves MAX at 5, and ksqlDB emits the row again");
        }
    }

    /** The same rule for a non-windowed ksqlDB aggregate. */
    @Test
    void aKsqlGroupByEmitsEveryUpdateEvenWhenTheRowStaysTheSame() {
        try (ChangelogDriver d = new ChangelogDriver("CREATE STREAM s (k VARCHAR KEY, v BIGINT) "
                + "WITH (kafka_topic = 's', value_format = 'json');\n"
                + "CREATE TABLE t AS SELECT k, MAX(v) AS hi FROM s GROUP BY k")) {
            d.pipe("s", "a", "{\"V\":5}", 1_000);
            d.pipe("s", "a", "{\"V\":3}", 2_000);
            assertEquals(List.of("a -> {\"HI\":5} @1000", "a -> {\"HI\":5} @2000"), d.read());
        }
    }
}
