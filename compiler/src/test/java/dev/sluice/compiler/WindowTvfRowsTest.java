package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A window table function read without GROUP BY: its own rows (one per window), a window join of
 * two of them, and what is refused at the line rather than answered differently from Flink. The
 * rows themselves are checked against the Flink oracle by the tvf_window_rows_cumulate and
 * tvf_window_join_hop pipelines.
 */
class WindowTvfRowsTest {
    /** Lines 1 and 2. */
    private static final String STREAMS = ""
            + "CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'clicks', 'format' = 'json');\n"
            + "CREATE STREAM views (user_id VARCHAR, ad VARCHAR, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'views', 'format' = 'json');\n";

    @Test
    void theRowsOfAWindowTableFunctionHaveTheirWindowColumnsToSelectAndFilter() {
        CompiledScript script = compile(STREAMS + "SELECT *, window_time FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), "
                + "INTERVAL '1' MINUTE, INTERVAL '5' MINUTES)) WHERE window_start >= ts - INTERVAL '2' MINUTES");
        String explained = Steps.explain(script.queries().get(0).plan().root());
        assertTrue(explained.contains("$WINDOWS($2, 'HOP', 300000, 60000, 'start')"), explained);
        assertTrue(explained.contains("(user_id VARCHAR, page VARCHAR, ts TIMESTAMP(3), window_start TIMESTAMP(3), "
                + "window_end TIMESTAMP(3), window_time TIMESTAMP(3), window_time0 TIMESTAMP(3))"), explained);
    }

    @Test
    void aJoinOnBothWindowBoundsIsAnIntervalJoinBoundedByTheWindow() {
        StreamStreamJoinStep join = join(STREAMS + "SELECT c.user_id, c.page, v.ad, c.window_start FROM "
                + "TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) c LEFT JOIN "
                + "TABLE(TUMBLE(TABLE views, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) v "
                + "ON c.user_id = v.user_id AND c.window_start = v.window_start AND c.window_end = v.window_end");
        assertEquals(JoinType.LEFT, join.type());
        assertFalse(join.regular(), "a window join keeps rows for the window, not for good");
        assertEquals(599_999, join.beforeMs());
        assertEquals(599_999, join.afterMs());
    }

    @Test
    void aJoinOnTheWindowStartAloneIsARegularJoin() {
        // Equal starts do not put two HOP rows in one window unless the ends are equal too.
        StreamStreamJoinStep join = join(STREAMS + "SELECT c.user_id, v.ad FROM "
                + "TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) c JOIN "
                + "TABLE(TUMBLE(TABLE views, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) v "
                + "ON c.user_id = v.user_id AND c.window_start = v.window_start");
        assertTrue(join.regular());
    }

    @Test
    void aRankingPartitionedByTheWindowIsRefusedAtTheCall() {
        SqlException e = assertThrows(SqlException.class, () -> compile(STREAMS
                + "SELECT * FROM (SELECT user_id, page, ROW_NUMBER() OVER (PARTITION BY window_start, window_end "
                + "ORDER BY ts DESC) AS rn FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' MINUTES))) "
                + "WHERE rn <= 3"));
        assertTrue(e.positioned().startsWith("line 3:38: not supported yet: window Top-N or window deduplication"),
                e.positioned());
        assertTrue(e.hint().orElseThrow().startsWith("rank the rows of a window aggregate instead"));
    }

    @Test
    void groupingTheRowsByTheirWindowThroughASubqueryIsRefusedAtTheGroupBy() {
        SqlException e = assertThrows(SqlException.class, () -> compile(STREAMS
                + "SELECT window_start, COUNT(*) FROM (SELECT * FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), "
                + "INTERVAL '10' MINUTES))) GROUP BY window_start, window_end"));
        assertTrue(e.positioned().startsWith("line 3:128: not supported yet: GROUP BY the window bounds"),
                e.positioned());
    }

    @Test
    void aSessionTableFunctionWithoutGroupByIsRefusedAtTheFunction() {
        SqlException e = assertThrows(SqlException.class, () -> compile(STREAMS
                + "SELECT user_id, window_start FROM TABLE(SESSION(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' MINUTES))"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("a SESSION window table function needs GROUP BY window_start, window_end"),
                e.getMessage());
    }

    @Test
    void theWindowAggregateDirectlyOverTheFunctionStillGroupsPerWindow() {
        CompiledScript script = compile(STREAMS + "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, "
                + "DESCRIPTOR(ts), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end");
        String explained = Steps.explain(script.queries().get(0).plan().root());
        assertFalse(explained.contains("$WINDOWS"), explained);
        assertTrue(explained.contains("TUMBLE"), explained);
    }

    /** Found by {@code sluice fuzz} (seed 501): these were internal errors (a column past the row's end). */
    @Test
    void theBoundsOfAWindowAggregationAreRefusedInWhereAndInsideGroupByExpressions() {
        String from = "FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) ";
        SqlException where = assertThrows(SqlException.class, () -> compile(STREAMS + "SELECT window_start, COUNT(*) "
                + from + "WHERE window_start > TIMESTAMP '2024-01-01 00:00:00' GROUP BY window_start, window_end"));
        assertTrue(where.positioned().startsWith("line 3:109: not supported yet: WHERE reading `window_start`"),
                where.positioned());
        SqlException inside = assertThrows(SqlException.class, () -> compile(STREAMS + "SELECT user_id, COUNT(*) "
                + from + "GROUP BY window_start, 'x' = window_end, user_id"));
        assertTrue(inside.positioned().startsWith("line 3:127: not supported yet: GROUP BY reading `window_end`"),
                inside.positioned());
        assertThrows(SqlException.class, () -> compile(STREAMS + "SELECT user_id, COUNT(*) "
                + from + "GROUP BY window_start, window_end, CAST(window_start AS VARCHAR), user_id"));
        compile(STREAMS + "SELECT window_end + INTERVAL '1' SECOND AS x, COUNT(*) AS n " + from
                + "GROUP BY window_start, window_end HAVING window_end > TIMESTAMP '2024-01-01 00:00:00'");
    }

    private static StreamStreamJoinStep join(String sql) {
        List<CompiledQuery> queries = compile(sql).queries();
        return findJoin(queries.get(queries.size() - 1).plan().root());
    }

    private static StreamStreamJoinStep findJoin(Step step) {
        if (step instanceof StreamStreamJoinStep j) {
            return j;
        }
        return step.inputs().stream().map(WindowTvfRowsTest::findJoin).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }
}
