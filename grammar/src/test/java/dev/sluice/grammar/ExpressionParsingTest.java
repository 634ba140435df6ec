package dev.sluice.grammar;

import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.grammar.ast.QualifiedName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.sluice.grammar.Ast.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expressions parse to the hand-written AST: precedence, postfix operators, calls and literals. */
class ExpressionParsingTest {

    private static void assertParses(String sql, Expression expected) {
        assertEquals(expected, SqlParser.parseExpression(sql), sql);
        RoundTripTest.assertRoundTrips(expected);
    }

    @Test
    void arithmeticPrecedenceAndUnaryMinus() {
        assertParses("a + b * c - -d / 2", binary(BinaryOperator.MINUS,
                binary(BinaryOperator.PLUS, col("a"), binary(BinaryOperator.MULTIPLY, col("b"), col("c"))),
                binary(BinaryOperator.DIVIDE, new Expression.Negate(col("d"), L), num("2"))));
        assertParses("(cost_usd / (latency_ms / 1000.0))", binary(BinaryOperator.DIVIDE, col("cost_usd"),
                binary(BinaryOperator.DIVIDE, col("latency_ms"), num("1000.0"))));
        assertParses("a || 'x' || b", binary(BinaryOperator.CONCAT,
                binary(BinaryOperator.CONCAT, col("a"), str("x")), col("b")));
        assertParses("x % 3 <> 0", binary(BinaryOperator.NE, binary(BinaryOperator.MODULO, col("x"), num("3")), num("0")));
    }

    @Test
    void booleanPrecedenceNotBindsTighterThanAndThanOr() {
        assertParses("NOT a OR b AND c = 1", binary(BinaryOperator.OR, new Expression.Not(col("a"), L),
                binary(BinaryOperator.AND, col("b"), binary(BinaryOperator.EQ, col("c"), num("1")))));
    }

    @Test
    void predicates() {
        assertParses("f.event_time BETWEEN p.timestamp - INTERVAL '30' SECOND AND p.timestamp + INTERVAL '30' SECOND",
                new Expression.Between(col("f", "event_time"),
                        binary(BinaryOperator.MINUS, col("p", "timestamp"), interval("30", "SECOND")),
                        binary(BinaryOperator.PLUS, col("p", "timestamp"), interval("30", "SECOND")), false, L));
        assertParses("x NOT IN ('a', 'b')", new Expression.InList(col("x"), List.of(str("a"), str("b")), true, L));
        assertParses("name NOT ILIKE 'gpt-%'", new Expression.Like(col("name"), str("gpt-%"), Optional.empty(), true, true, L));
        assertParses("name LIKE 'a!_%' ESCAPE '!'", new Expression.Like(col("name"), str("a!_%"),
                Optional.of(str("!")), false, false, L));
        assertParses("error_code IS NOT NULL", new Expression.IsNull(col("error_code"), true, L));
        assertParses("ok IS NOT TRUE", new Expression.IsBoolean(col("ok"), true, true, L));
        assertParses("a IS DISTINCT FROM b", call("IS DISTINCT FROM", col("a"), col("b")));
        assertParses("(a IS NOT DISTINCT FROM b + 1) = TRUE", binary(BinaryOperator.EQ,
                call("IS NOT DISTINCT FROM", col("a"), binary(BinaryOperator.PLUS, col("b"), num("1"))), bool(true)));
        assertParses("qe.WARMUP = FALSE", binary(BinaryOperator.EQ, col("qe", "WARMUP"), bool(false)));
        Expression.Exists exists = (Expression.Exists) SqlParser.parseExpression("NOT EXISTS (SELECT 1 FROM t)");
        assertEquals(true, exists.negated());
        Expression.InSubquery in = (Expression.InSubquery) SqlParser.parseExpression("id IN (SELECT id FROM t)");
        assertEquals(col("id"), in.value());
    }

    @Test
    void castsExtractAndTypedLiterals() {
        assertParses("CAST(amount AS DECIMAL(10,2))", new Expression.Cast(col("amount"), type("DECIMAL", 10, 2), false, false, L));
        assertParses("TRY_CAST(payload AS JSON)", new Expression.Cast(col("payload"), type("JSON"), true, false, L));
        assertParses("x::BIGINT::VARCHAR", new Expression.Cast(
                new Expression.Cast(col("x"), type("BIGINT"), false, true, L), type("VARCHAR"), false, true, L));
        assertParses("EXTRACT(EPOCH FROM (b - a)) / 60", binary(BinaryOperator.DIVIDE,
                new Expression.Extract("EPOCH", binary(BinaryOperator.MINUS, col("b"), col("a")), L), num("60")));
        assertParses("TIMESTAMP '2024-01-15 10:00:00'", new Expression.TypedLiteral("TIMESTAMP", "2024-01-15 10:00:00", L));
        assertParses("DATE(hour)", call("DATE", col("hour")));
        assertParses("INTERVAL '1 minute'", interval("1 minute", null));
        assertParses("INTERVAL -'1:30' MINUTE TO SECOND", new Expression.IntervalLiteral("1:30", true,
                Optional.of("MINUTE"), Optional.of("SECOND"), L));
        assertParses("INTERVAL '7' DAYS", interval("7", "DAY"));
    }

    @Test
    void jsonOperatorsVariantPathsSubscriptsAndParameters() {
        assertParses("payload -> 'user' ->> 'id' = :template_id", binary(BinaryOperator.EQ,
                new Expression.JsonAccess(new Expression.JsonAccess(col("payload"), str("user"), false, L),
                        str("id"), true, L),
                new Expression.Parameter("template_id", L)));
        assertParses("TEST_CONFIG:template_config:scaling:mode::VARCHAR", new Expression.Cast(
                new Expression.VariantPath(col("TEST_CONFIG"), List.of("template_config", "scaling", "mode"), L),
                type("VARCHAR"), false, true, L));
        assertParses("tags[1]", new Expression.Subscript(col("tags"), num("1"), L));
        assertParses("source.ts_ms", col("source", "ts_ms"));
        assertParses("\"Mixed Case\".`x`", new Expression.ColumnRef(List.of(quotedId("Mixed Case"), quotedId("x")), L));
        assertParses("?", new Expression.Parameter("", L));
    }

    @Test
    void aggregateAndWindowCallShapes() {
        assertParses("COUNT(DISTINCT user_id) FILTER (WHERE rating >= 4)", new Expression.FunctionCall(
                QualifiedName.of("COUNT"), List.of(col("user_id")), true, false, List.of(), List.of(),
                Optional.of(binary(BinaryOperator.GE, col("rating"), num("4"))), Optional.empty(), L));
        assertParses("ARRAY_AGG(DISTINCT model_name ORDER BY model_name)", new Expression.FunctionCall(
                QualifiedName.of("ARRAY_AGG"), List.of(col("model_name")), true, false,
                List.of(asc(col("model_name"))), List.of(), Optional.empty(), Optional.empty(), L));
        Expression hopStart = call("HOP_START", col("event_time"), interval("2", "MINUTE"), interval("10", "MINUTE"));
        assertParses("LAG(AVG(rating)) OVER (PARTITION BY model_name ORDER BY HOP_START(event_time, "
                        + "INTERVAL '2' MINUTE, INTERVAL '10' MINUTE))",
                new Expression.FunctionCall(QualifiedName.of("LAG"), List.of(call("AVG", col("rating"))), false, false,
                        List.of(), List.of(), Optional.empty(),
                        Optional.of(new Expression.Over(List.of(col("model_name")), List.of(asc(hopStart)),
                                Optional.empty(), L)), L));
        assertParses("SUM(x) OVER (ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)",
                new Expression.FunctionCall(QualifiedName.of("SUM"), List.of(col("x")), false, false, List.of(),
                        List.of(), Optional.empty(), Optional.of(new Expression.Over(List.of(), List.of(asc(col("ts"))),
                        Optional.of(new Expression.WindowFrame("ROWS",
                                new Expression.FrameBound("PRECEDING", Optional.of(num("3"))),
                                Optional.of(new Expression.FrameBound("CURRENT_ROW", Optional.empty())))), L)), L));
        assertParses("CURRENT_TIMESTAMP", call("CURRENT_TIMESTAMP"));
        assertParses("CURRENT_TIMESTAMP()", call("CURRENT_TIMESTAMP"));
        assertParses("NOW() - INTERVAL '7' DAY", binary(BinaryOperator.MINUS, call("NOW"), interval("7", "DAY")));
    }

    @Test
    void caseExpressionsBothForms() {
        assertParses("CASE WHEN latency_ms < 1000 THEN 'Fast' ELSE 'Slow' END", new Expression.Case(Optional.empty(),
                List.of(new Expression.WhenClause(binary(BinaryOperator.LT, col("latency_ms"), num("1000")), str("Fast"))),
                Optional.of(str("Slow")), L));
        assertParses("CASE operation WHEN 'INSERT' THEN after WHEN 'DELETE' THEN before END", new Expression.Case(
                Optional.of(col("operation")),
                List.of(new Expression.WhenClause(str("INSERT"), col("after")),
                        new Expression.WhenClause(str("DELETE"), col("before"))),
                Optional.empty(), L));
    }

    @Test
    void keywordsThatAreNotReservedNameColumns() {
        for (String name : List.of("timestamp", "hour", "date", "minute", "partition", "status", "format", "key",
                "window_start", "count", "source", "record", "query", "operation", "day", "year", "session", "value")) {
            assertEquals(col(name), SqlParser.parseExpression(name), name);
        }
    }
}
