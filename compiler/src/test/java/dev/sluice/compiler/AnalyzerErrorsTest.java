package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlSyntaxException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every mistake the analyzer catches stops compilation with the place of the offending token
 * ({@code line L:C}), a message naming the thing and the rule broken, and a hint where one helps.
 * Each case is a statement compiled after two declarations (lines 1 and 2), so the statement under
 * test starts on line 3; columns were counted by hand.
 */
class AnalyzerErrorsTest {
    /** Line 1: a stream with event time and a 30 s watermark. Line 2: a stream without event time. */
    private static final String PRELUDE = ""
            + "CREATE STREAM events (event_id VARCHAR, model_name VARCHAR, latency_ms BIGINT, rating DOUBLE, "
            + "event_time TIMESTAMP, WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND) "
            + "WITH ('topic' = 'events', 'format' = 'json');\n"
            + "CREATE STREAM plain (id VARCHAR, ts TIMESTAMP) WITH ('topic' = 'plain', 'format' = 'json');\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                // ---- names, with did-you-mean --------------------------------------------------
                arguments("SELECT latncy_ms FROM events",
                        "line 3:8: unknown column `latncy_ms`", "did you mean `latency_ms`?"),
                arguments("SELECT event_id FROM events WHERE latncy_ms > 5000",
                        "line 3:35: unknown column `latncy_ms`", "did you mean `latency_ms`?"),
                arguments("SELECT e.latncy_ms FROM events e",
                        "line 3:10: unknown column `latncy_ms` in `e`", "did you mean `latency_ms`?"),
                arguments("SELECT zzzzzz FROM events", "line 3:8: unknown column `zzzzzz`", null),
                arguments("SELECT * FROM evnets",
                        "line 3:15: unknown stream or table `evnets`", "did you mean `events`?"),
                arguments("SELECT UPPR(model_name) FROM events",
                        "line 3:8: unknown function UPPR", "did you mean `UPPER`?"),
                arguments("SELECT x.* FROM events e", "line 3:8: unknown relation `x` in x.*", null),
                // ---- types: both types named ----------------------------------------------------
                arguments("SELECT 'a' + 1 FROM events",
                        "line 3:8: + expects numeric operands, or TIMESTAMP ± INTERVAL, TIMESTAMP - TIMESTAMP, "
                                + "DATE ± INTEGER, DATE - DATE, INTERVAL ± INTERVAL, INTERVAL * number, "
                                + "INTERVAL / number, got (VARCHAR, INTEGER)", null),
                arguments("SELECT * FROM events WHERE latency_ms",
                        "line 3:28: WHERE needs a BOOLEAN condition, got BIGINT", null),
                arguments("SELECT * FROM events WHERE rating > 3 AND model_name",
                        "line 3:43: AND needs a BOOLEAN condition, got VARCHAR", null),
                arguments("SELECT CASE WHEN rating > 3 THEN model_name ELSE latency_ms END FROM events",
                        "line 3:8: CASE branches have incompatible types VARCHAR and BIGINT", null),
                arguments("SELECT SUBSTRING(latency_ms, 1, 2) FROM events",
                        "line 3:8: SUBSTRING expects (VARCHAR, INTEGER[, INTEGER]), got (BIGINT, INTEGER, INTEGER)",
                        null),
                arguments("SELECT COALESCE(model_name, latency_ms) FROM events",
                        "line 3:8: COALESCE arguments have incompatible types VARCHAR and BIGINT", null),
                // ---- GROUP BY and aggregates ----------------------------------------------------
                arguments("SELECT model_name, latency_ms, COUNT(*) FROM events GROUP BY model_name",
                        "line 3:20: column `latency_ms` must appear in GROUP BY or be used in an aggregate function",
                        null),
                arguments("SELECT model_name FROM events WHERE COUNT(*) > 1",
                        "line 3:37: aggregate function COUNT is not allowed in WHERE", null),
                arguments("SELECT SUM(COUNT(*)) FROM events",
                        "line 3:12: aggregate functions cannot be nested inside SUM", null),
                arguments("SELECT model_name, event_id, COUNT(*) FROM events GROUP BY ROLLUP (model_name, event_id)",
                        "line 3:60: not supported yet: GROUP BY ROLLUP (several groupings in one query)",
                        "write one query per grouping and combine them with UNION ALL, NULL in the columns a grouping leaves out"),
                // ---- windows --------------------------------------------------------------------
                arguments("SELECT COUNT(*) FROM events GROUP BY TUMBLE(latency_ms, INTERVAL '1' MINUTE)",
                        "line 3:45: windows group by event time, which is `event_time` here, not `latency_ms`",
                        "write TUMBLE(event_time, ...)"),
                arguments("SELECT COUNT(*) FROM plain GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)",
                        "line 3:37: a window needs event time, and this input has none",
                        "declare the time column with ROWTIME or WATERMARK FOR ... in CREATE STREAM"),
                arguments("SELECT TUMBLE_START(event_time, INTERVAL '1' MINUTE) FROM events",
                        "line 3:8: TUMBLE_START is only allowed with GROUP BY TUMBLE(...)", null),
                // ---- declarations ---------------------------------------------------------------
                arguments("CREATE TABLE users (id VARCHAR, name VARCHAR) WITH ('topic' = 'users')",
                        "line 3:1: TABLE users needs a PRIMARY KEY",
                        "a table keeps one row per key; mark the key column with PRIMARY KEY"),
                arguments("CREATE STREAM dup (a INT, b INT, A BIGINT) WITH ('topic' = 'dup')",
                        "line 3:34: column `A` is declared twice", null),
                arguments("CREATE STREAM events (x INT) WITH ('topic' = 'x')",
                        "line 3:15: `events` is already declared", "use CREATE OR REPLACE, or another name"),
                arguments("CREATE STREAM w (v INT, t TIMESTAMP, WATERMARK FOR t AS v - INTERVAL '1' SECOND)",
                        "line 3:57: WATERMARK must be `t - INTERVAL '<n>' <unit>`", null),
                // ---- INSERT INTO ----------------------------------------------------------------
                arguments("INSERT INTO evnts SELECT * FROM events",
                        "line 3:13: INSERT INTO unknown stream `evnts`", "did you mean `events`?"),
                arguments("INSERT INTO plain SELECT model_name FROM events",
                        "line 3:1: INSERT INTO plain: the query gives 1 column (model_name VARCHAR) but plain has 2 "
                                + "(id VARCHAR, ts TIMESTAMP(3))", null),
                arguments("INSERT INTO plain SELECT model_name, latency_ms FROM events",
                        "line 3:1: INSERT INTO plain: column 2 (`ts`) is TIMESTAMP(3) but the query gives BIGINT",
                        "CAST it to TIMESTAMP(3)"),
                // ---- not supported yet: a clean message at the feature --------------------------
                arguments("SELECT DISTINCT model_name FROM events",
                        "line 3:1: not supported yet: SELECT DISTINCT",
                        "write GROUP BY over the selected columns, or DISTINCT ON (key) to deduplicate"),
                arguments("SELECT * FROM events WHERE latency_ms IN (SELECT latency_ms FROM events)",
                        "line 3:28: not supported yet: sub-queries in expressions in WHERE", null),
                arguments("SELECT * FROM events WHERE EXISTS (SELECT 1 FROM plain)",
                        "line 3:28: not supported yet: sub-queries in expressions in WHERE", null),
                arguments("SELECT * FROM events UNION SELECT * FROM events",
                        "line 3:22: not supported yet: UNION (streams support UNION ALL)", null),
                arguments("SELECT * FROM events e FULL JOIN plain p ON e.event_id = p.id AND e.latency_ms > 5",
                        "line 3:45: not supported yet: a FULL JOIN condition beyond key equalities and time bounds, "
                                + "except on the right side alone",
                        "move it to WHERE (which filters the joined rows), or use an INNER JOIN"),
                arguments("SELECT 1", "line 3:1: a streaming query needs FROM",
                        "SELECT without FROM has no input to react to"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsTheRuleBrokenAtTheOffendingToken(String statement, String expected, String hint) {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE + statement));
        assertEquals(expected, e.positioned());
        assertEquals(Optional.ofNullable(hint), e.hint());
    }

    @Test
    void syntaxErrorsComeThroughTheSamePathWithTheirLine() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE + "SELECT * FORM events"));
        assertInstanceOf(SqlSyntaxException.class, e);
        assertEquals("line 3:10: syntax error at 'FORM': expected FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, ... "
                + "(did you mean FROM?)", e.positioned());
    }

    @Test
    void anErrorInsideAMultiLineQueryPointsAtItsOwnLine() {
        String sql = PRELUDE + "SELECT\n    event_id,\n    latncy_ms\nFROM events";
        SqlException e = assertThrows(SqlException.class, () -> compile(sql));
        assertEquals("line 5:5: unknown column `latncy_ms`", e.positioned());
    }

    @Test
    void anErrorInACteIsReportedWhereTheCteSaysIt() {
        String sql = PRELUDE + "WITH slow AS (SELECT event_id FROM events WHERE latncy_ms > 5000)\nSELECT * FROM slow";
        SqlException e = assertThrows(SqlException.class, () -> compile(sql));
        assertEquals("line 3:49: unknown column `latncy_ms`", e.positioned());
    }

    @Test
    void aSourceDeclaredLaterIsUnknownToAnEarlierQuery() {
        String sql = "SELECT * FROM later;\nCREATE STREAM later (a INT) WITH ('topic' = 'later');";
        SqlException e = assertThrows(SqlException.class, () -> compile(sql));
        assertEquals("line 1:15: unknown stream or table `later`", e.positioned());
    }

    /** Found by {@code sluice fuzz}: a temporal table was cast to a join, an internal error (exit 70). */
    @Test
    void forSystemTimeAsOfOutsideAJoinIsRefusedAtItsTable() {
        SqlException alone = assertThrows(SqlException.class,
                () -> compile(PRELUDE + "SELECT * FROM plain FOR SYSTEM_TIME AS OF ts"));
        assertEquals("line 3:15: FOR SYSTEM_TIME AS OF is only allowed on the table joined on the right of a JOIN "
                + "(a lookup join)", alone.positioned());
    }

    /** Flink: "Temporal Table Join requires primary key in versioned table". */
    @Test
    void anEventTimeLookupOfATableWithoutPrimaryKeyIsRefusedAtTheTable() {
        SqlException joined = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT * FROM events e JOIN plain FOR SYSTEM_TIME AS OF e.event_time AS p ON e.event_id = p.id"));
        assertEquals("line 3:29: an event-time temporal join needs a versioned table: `plain` has no PRIMARY KEY",
                joined.positioned());
    }

    @Test
    void aLookupJoinAsOfSomethingOtherThanATimeColumnOfTheStreamIsRefusedAtTheExpression() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT * FROM events e JOIN plain FOR SYSTEM_TIME AS OF e.model_name AS p ON e.event_id = p.id"));
        assertEquals("line 3:57: FOR SYSTEM_TIME AS OF takes a time column of the stream on the left (its event "
                + "time, or a PROCTIME() column)", e.positioned());
        SqlException right = assertThrows(SqlException.class, () -> compile(PRELUDE + "SELECT * FROM "
                + "(SELECT *, PROCTIME() AS pt FROM events) e RIGHT JOIN plain FOR SYSTEM_TIME AS OF e.pt AS p "
                + "ON e.event_id = p.id"));
        assertTrue(right.getMessage().contains("a lookup join (FOR SYSTEM_TIME AS OF) is an INNER or LEFT join"),
                right.getMessage());
    }

    /** Nexmark q13: a processing-time lookup of a side input is the join with the table's rows. */
    @Test
    void aProcessingTimeLookupJoinOfAnAppendOnlySideInputCompiles() {
        CompiledScript script = compile(PRELUDE + "CREATE TABLE side (id VARCHAR, v VARCHAR) "
                + "WITH ('connector' = 'filesystem', 'path' = 'side.csv', 'format' = 'csv');\n"
                + "SELECT e.event_id, s.v FROM (SELECT *, PROCTIME() AS pt FROM events) e "
                + "JOIN side FOR SYSTEM_TIME AS OF e.pt AS s ON e.event_id = s.id");
        assertEquals(1, script.queries().size());
    }

    /**
     * Nexmark q12: a window over a PROCTIME() column is a processing-time window; over any other column
     * but event time (here NOW(), a plain value, as in Flink) it is refused at the window's time column.
     */
    @Test
    void aWindowOverAColumnThatIsNeitherEventTimeNorProctimeIsRefusedAtItsDescriptor() {
        CompiledScript proctime = compile(PRELUDE
                + "CREATE VIEW arrivals AS SELECT *, PROCTIME() AS pt FROM events;\n"
                + "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE arrivals, "
                + "DESCRIPTOR(pt), INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
        assertEquals(1, proctime.queries().size());
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "CREATE VIEW arrivals AS SELECT *, NOW() AS pt FROM events;\n"
                + "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE arrivals, "
                + "DESCRIPTOR(pt), INTERVAL '10' SECOND)) GROUP BY window_start, window_end"));
        assertTrue(e.positioned().startsWith("line 4:76: "), e.positioned());
        assertTrue(e.getMessage().contains("windows group by event time, which is `event_time` here, or by "
                + "processing time (a PROCTIME() column), not `pt`"), e.getMessage());
        assertEquals("window on the event time: DESCRIPTOR(`event_time`)", e.hint().orElseThrow());
    }

    /** Found by {@code sluice fuzz}: a range interval's non-numeric field was a NumberFormatException (exit 70). */
    @Test
    void aRangeIntervalWhoseFieldIsNoNumberIsASqlErrorAtTheInterval() {
        SqlException e = assertThrows(SqlException.class, () -> compile("CREATE STREAM s (ts TIMESTAMP,\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL 'format' MINUTE TO SECOND) WITH ('topic' = 's', 'format' = 'json');"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("INTERVAL field 'format' is not a number"), e.getMessage());
        SqlException empty = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT COUNT(*) FROM events GROUP BY TUMBLE(event_time, INTERVAL '' MINUTE TO SECOND)"));
        assertEquals(3, empty.line());
    }

    /**
     * Found by {@code sluice fuzz} as "ClassCastException at ?" (the JVM had dropped the stack trace of
     * the repeated exception): the same temporal-table cast, reached through a qualified name and AS OF NULL.
     */
    @Test
    void aTemporalTableWithAQualifiedNameAndAsOfNullIsASqlErrorNotAClassCast() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT ALL * FROM EXPLAIN . `rating` . `user_id` FOR SYSTEM_TIME AS OF NULL"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("FOR SYSTEM_TIME AS OF"), e.getMessage());
    }

    /** Found by {@code sluice fuzz}: 1e309 became Infinity and failed a percentile with NumberFormatException (exit 70). */
    @Test
    void aDoubleLiteralBeyondTheLargestDoubleIsASqlErrorAtTheLiteral() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT model_name,\n  APPROX_PERCENTILE(latency_ms, 1e309) AS p FROM events GROUP BY model_name"));
        assertEquals("line 4:33: number 1e309 is out of range for DOUBLE (at most about 1.8E308)", e.positioned());
        SqlException decimal = assertThrows(SqlException.class, () -> compile(PRELUDE + "SELECT 1" + "0".repeat(400)
                + ".5 AS x FROM events"));
        assertEquals(3, decimal.line());
        assertEquals(8, decimal.column());
        // the largest double and a tiny one that rounds to zero are still numbers
        compile(PRELUDE + "SELECT 1.7e308 AS big, 1e-400 AS tiny, -1.7E308 AS low FROM events");
    }

    /** Found by {@code sluice fuzz}: a bad constant argument failed only when the topology was built (exit 70). */
    @Test
    void aBadConstantFunctionArgumentIsASqlErrorAtTheCall() {
        SqlException group = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT model_name FROM events\nWHERE REGEXP_EXTRACT(model_name, '(a)(b)', 22) IS NOT NULL"));
        assertEquals(4, group.line());
        assertEquals(7, group.column());
        assertTrue(group.getMessage().contains("group 22 does not exist"), group.getMessage());
        SqlException pattern = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "SELECT model_name,\n  DATE_FORMAT(event_time, 'HH:mm''HH') AS t FROM events"));
        assertEquals(4, pattern.line());
        assertEquals(3, pattern.column());
        assertTrue(pattern.getMessage().contains("invalid format"), pattern.getMessage());
        // a valid constant, and a pattern that is not constant, still compile
        compile(PRELUDE + "SELECT REGEXP_EXTRACT(model_name, '(a)(b)', 2) AS b, DATE_FORMAT(event_time, model_name) AS t FROM events");
    }

    /** Found by {@code sluice fuzz}: a negative watermark delay became a negative join grace (exit 70). */
    @Test
    void aWatermarkAheadOfEventTimeIsASqlErrorAtItsInterval() {
        SqlException e = assertThrows(SqlException.class, () -> compile("CREATE STREAM s (id VARCHAR, t TIMESTAMP(3),\n"
                + "  WATERMARK FOR t AS t - INTERVAL -1 SECOND) WITH ('topic' = 's', 'format' = 'json');\n"
                + "SELECT a.id FROM s a JOIN s b ON a.id = b.id"));
        assertEquals(2, e.line());
        assertEquals(26, e.column());
        assertTrue(e.getMessage().startsWith("a WATERMARK ahead of event time"), e.getMessage());
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }
}
