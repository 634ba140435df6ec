package dev.sluice.grammar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The first error in a script is reported at its line and column, with a message a person can act on. */
class SyntaxErrorTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                // misspelled keywords: the list of what could come, and the likely intended word
                arguments("SELECT * FORM feedback_events",
                        "line 1:10: syntax error at 'FORM': expected FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, ... (did you mean FROM?)"),
                arguments("SELECT a FORM feedback_events",
                        "line 1:10: syntax error at 'FORM': expected FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, ... (did you mean FROM?)"),
                arguments("CREATE STREM x AS SELECT 1",
                        "line 1:8: syntax error at 'STREM': expected DYNAMIC, FUNCTION, INDEX, MATERIALIZED, OR, SOURCE, ... (did you mean STREAM?)"),
                arguments("SELECT * FROM t GROUP a", "line 1:23: syntax error at 'a': expected BY"),
                arguments("INSERT x SELECT 1", "line 1:8: syntax error at 'x': expected INTO"),
                // missing pieces
                arguments("SELECT * FROM WHERE x = 1",
                        "line 1:15: syntax error at 'WHERE': expected identifier, TABLE, string or '('"),
                arguments("SELECT * FROM",
                        "line 1:14: syntax error at end of input: expected identifier, TABLE, string or '('"),
                arguments("SELECT a, FROM t", "line 1:11: syntax error at 'FROM': expected expression or '*'"),
                arguments("SELECT * FROM t WHERE a = ", "line 1:27: syntax error at end of input: expected expression"),
                arguments("SELECT * FROM a JOIN b",
                        "line 1:23: syntax error at end of input: expected AS, ON, identifier, FOR, WITHIN or '.'"),
                arguments("CREATE STREAM s (a INT) WITH ('x' 'y')", "line 1:35: syntax error at ''y'': expected '='"),
                arguments("SELECT CASE WHEN a THEN b FROM t",
                        "line 1:27: syntax error at 'FROM': expected END, ELSE, WHEN or operator"),
                // unclosed parentheses
                arguments("SELECT COUNT(* FROM t", "line 1:16: syntax error at 'FROM': expected ')'"),
                arguments("SELECT * FROM t WHERE (a = 1", "line 1:29: syntax error at end of input: expected ')' or operator"),
                arguments("SELECT * FROM t WHERE a IN (1, 2",
                        "line 1:33: syntax error at end of input: expected ',', ')' or operator"),
                // unterminated literals and stray characters
                arguments("SELECT 'abc FROM t", "line 1:8: unterminated string literal: add the closing quote (')"),
                arguments("SELECT *\nFROM t\nWHERE name = 'x", "line 3:14: unterminated string literal: add the closing quote (')"),
                arguments("SELECT \"abc FROM t", "line 1:8: unterminated quoted identifier: add the closing quote (\")"),
                arguments("SELECT # FROM t", "line 1:8: unexpected character '#'"),
                // bad INTERVALs
                arguments("SELECT * FROM t WHERE ts > now() - INTERVAL '5' FORTNIGHT",
                        "line 1:49: unknown INTERVAL unit 'FORTNIGHT': expected MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH or YEAR"),
                arguments("SELECT * FROM t WHERE ts > INTERVAL '5'",
                        "line 1:28: INTERVAL '5' needs a unit: write INTERVAL '5' SECOND or INTERVAL '5 seconds'"),
                arguments("SELECT * FROM t WHERE ts > INTERVAL 'abc' MINUTE",
                        "line 1:28: INTERVAL 'abc' MINUTE: the value must be a number, like '5'"),
                // trailing garbage
                arguments("SELECT 1 FROM t; garbage",
                        "line 1:18: syntax error at 'garbage': expected SELECT, WITH, CREATE, INSERT, ALTER, COMMENT, ..."),
                arguments("SELECT 1 FROM t x y",
                        "line 1:19: syntax error at 'y': expected WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, WITH, ..."),
                arguments("SELECT 1 FROM t )",
                        "line 1:17: syntax error at ')': expected WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, WITH, ..."),
                // reserved words used as names
                arguments("CREATE STREAM s (order INT)",
                        "line 1:18: syntax error at 'order': expected identifier (ORDER is a reserved word: write \"order\" to use it as a name)"),
                // rules the builder checks
                arguments("SELECT * FROM t WINDOW HOPPING (SIZE 1 MINUTE)",
                        "line 1:17: WINDOW HOPPING is missing ADVANCE BY; write WINDOW HOPPING (SIZE 15 MINUTES, ADVANCE BY 1 MINUTE [, GRACE PERIOD 30 SECONDS])"),
                arguments("SELECT * FROM t WINDOW TUMBLING (SIZE 1 MINUTE, ADVANCE BY 1 MINUTE)",
                        "line 1:49: WINDOW TUMBLING does not take ADVANCE BY 1 MINUTE; write WINDOW TUMBLING (SIZE 5 MINUTES [, GRACE PERIOD 30 SECONDS])"),
                arguments("CREATE VIEW v (a INT)",
                        "line 1:15: CREATE VIEW needs AS followed by a query; only a STREAM or TABLE is declared with columns or WITH (...) alone"),
                arguments("CREATE STREAM s (a INT, ts TIMESTAMP, WATERMARK FOR ts AS ts, WATERMARK FOR ts AS ts)",
                        "line 1:63: a STREAM can have only one WATERMARK"),
                arguments("SELECT a, b, COUNT(*) FROM t GROUP BY GROUPING SETS ((a), (b))",
                        "line 1:39: not supported yet: GROUP BY GROUPING SETS (several groupings in one query): write one "
                                + "query per grouping and combine them with UNION ALL, NULL in the columns a grouping leaves out"),
                arguments("SELECT * FROM TABLE(SLIDE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE))",
                        "line 1:21: unknown window table function SLIDE: expected TUMBLE, HOP, CUMULATE or SESSION"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsLineColumnAndMessage(String sql, String expected) {
        SqlSyntaxException error = assertThrows(SqlSyntaxException.class, () -> SqlParser.parseScript(sql));
        assertEquals(expected, error.positioned());
    }

    @Test
    void parseStatementRejectsASecondStatement() {
        SqlSyntaxException error = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parseStatement("SELECT 1; SELECT 2"));
        assertEquals("line 1:11: syntax error at 'SELECT': expected end of input", error.positioned());
    }

    @Test
    void parseExpressionRejectsTrailingTokens() {
        SqlSyntaxException error = assertThrows(SqlSyntaxException.class, () -> SqlParser.parseExpression("a + b c"));
        assertEquals("line 1:7: syntax error at 'c': expected operator or end of input", error.positioned());
    }

    @Test
    void errorsPointIntoTheStatementThatFailsNotTheFirstOne() {
        SqlSyntaxException error = assertThrows(SqlSyntaxException.class,
                () -> SqlParser.parseScript("SELECT 1 FROM a;\n\n-- fine so far\nSELECT 2 FROM b WHERE;"));
        assertEquals(4, error.line());
        assertEquals(22, error.column());
    }
}
