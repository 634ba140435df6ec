package dev.sluice.runtime.expr;

import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The evaluator compiler: SQL's three-valued logic, special forms that must not evaluate the
 * branches they do not take, the NULL short-circuit of ordinary functions, and failures that name
 * the function. Expressions are built by hand, typed as the analyzer types them.
 */
class ExprCompilerTest {
    private static final ExprCompiler COMPILER = new ExprCompiler(DefaultFunctionCatalog.wallClock());

    /** Columns: $0 TRUE, $1 FALSE, $2 NULL (BOOLEAN), $3 1 (BIGINT), $4 0 (BIGINT), $5 NULL (BIGINT), $6 'abc'. */
    private static final Row ROW = Row.of(true, false, null, 1L, 0L, null, "abc");

    private static final Expr TRUE = new Expr.InputRef(0, ScalarType.BOOLEAN);
    private static final Expr FALSE = new Expr.InputRef(1, ScalarType.BOOLEAN);
    private static final Expr NULL_BOOL = new Expr.InputRef(2, ScalarType.BOOLEAN);
    private static final Expr ONE = new Expr.InputRef(3, ScalarType.BIGINT);
    private static final Expr ZERO = new Expr.InputRef(4, ScalarType.BIGINT);
    private static final Expr NULL_BIGINT = new Expr.InputRef(5, ScalarType.BIGINT);
    private static final Expr ABC = new Expr.InputRef(6, ScalarType.VARCHAR);

    /** 1 / 0 on BIGINT: fails whenever it is evaluated. */
    private static final Expr ONE_DIV_ZERO = call("/", ScalarType.BIGINT, ONE, ZERO);

    // ---- three-valued logic ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0} AND {1} = {2}")
    @CsvSource(nullValues = "NULL", value = {
            "TRUE, TRUE, TRUE", "TRUE, FALSE, FALSE", "TRUE, NULL, NULL",
            "FALSE, TRUE, FALSE", "FALSE, FALSE, FALSE", "FALSE, NULL, FALSE",
            "NULL, TRUE, NULL", "NULL, FALSE, FALSE", "NULL, NULL, NULL"})
    void andFollowsTheThreeValuedTruthTable(String left, String right, Boolean expected) {
        assertEquals(expected, eval(call("AND", ScalarType.BOOLEAN, bool(left), bool(right))));
    }

    @ParameterizedTest(name = "{0} OR {1} = {2}")
    @CsvSource(nullValues = "NULL", value = {
            "TRUE, TRUE, TRUE", "TRUE, FALSE, TRUE", "TRUE, NULL, TRUE",
            "FALSE, TRUE, TRUE", "FALSE, FALSE, FALSE", "FALSE, NULL, NULL",
            "NULL, TRUE, TRUE", "NULL, FALSE, NULL", "NULL, NULL, NULL"})
    void orFollowsTheThreeValuedTruthTable(String left, String right, Boolean expected) {
        assertEquals(expected, eval(call("OR", ScalarType.BOOLEAN, bool(left), bool(right))));
    }

    @ParameterizedTest(name = "NOT {0} = {1}")
    @CsvSource(nullValues = "NULL", value = {"TRUE, FALSE", "FALSE, TRUE", "NULL, NULL"})
    void notFollowsTheThreeValuedTruthTable(String value, Boolean expected) {
        assertEquals(expected, eval(call("NOT", ScalarType.BOOLEAN, bool(value))));
    }

    @Test
    void naryAndIsFalseWhenAnyArgumentIsFalseEvenAfterANull() {
        assertEquals(false, eval(call("AND", ScalarType.BOOLEAN, TRUE, NULL_BOOL, FALSE)));
        assertNull(eval(call("AND", ScalarType.BOOLEAN, TRUE, NULL_BOOL, TRUE)));
        assertEquals(true, eval(call("AND", ScalarType.BOOLEAN, TRUE, TRUE, TRUE)));
    }

    @Test
    void naryOrIsTrueWhenAnyArgumentIsTrueEvenAfterANull() {
        assertEquals(true, eval(call("OR", ScalarType.BOOLEAN, FALSE, NULL_BOOL, TRUE)));
        assertNull(eval(call("OR", ScalarType.BOOLEAN, FALSE, NULL_BOOL, FALSE)));
        assertEquals(false, eval(call("OR", ScalarType.BOOLEAN, FALSE, FALSE, FALSE)));
    }

    @Test
    void andStopsAtTheFirstFalse() {
        Expr failing = call("=", ScalarType.BOOLEAN, ONE_DIV_ZERO, ONE);
        assertEquals(false, eval(call("AND", ScalarType.BOOLEAN, FALSE, failing)));
        assertEquals(true, eval(call("OR", ScalarType.BOOLEAN, TRUE, failing)));
    }

    @Test
    void comparisonWithNullIsNull() {
        assertNull(eval(call("=", ScalarType.BOOLEAN, NULL_BIGINT, ONE)));
        assertNull(eval(call("=", ScalarType.BOOLEAN, NULL_BIGINT, NULL_BIGINT)));
        assertEquals(true, eval(call("IS NULL", ScalarType.BOOLEAN, NULL_BIGINT)));
        assertEquals(false, eval(call("IS NOT NULL", ScalarType.BOOLEAN, NULL_BIGINT)));
    }

    // ---- special forms evaluate only what they take -------------------------------------------

    @Test
    void caseDoesNotEvaluateAnUntakenBranch() {
        Expr c = call("CASE", ScalarType.BIGINT, TRUE, ONE, ONE_DIV_ZERO);
        assertEquals(1L, eval(c));
        Expr later = call("CASE", ScalarType.BIGINT, FALSE, ONE_DIV_ZERO, TRUE, ZERO, ONE_DIV_ZERO);
        assertEquals(0L, eval(later));
    }

    @Test
    void caseTreatsANullConditionAsNotTaken() {
        assertEquals(0L, eval(call("CASE", ScalarType.BIGINT, NULL_BOOL, ONE_DIV_ZERO, ZERO)));
    }

    @Test
    void caseWithoutElseIsNullWhenNoBranchIsTaken() {
        assertNull(eval(call("CASE", ScalarType.BIGINT, FALSE, ONE, NULL_BOOL, ONE)));
    }

    @Test
    void simpleCaseComparesTheOperandWithEachWhen() {
        // CASE $3 WHEN 0 THEN 'zero' WHEN 1 THEN 'one' ELSE 'many' END, as the analyzer expands it
        Expr c = call("CASE", ScalarType.VARCHAR,
                call("=", ScalarType.BOOLEAN, ONE, lit(0, ScalarType.INTEGER)), lit("zero", ScalarType.VARCHAR),
                call("=", ScalarType.BOOLEAN, ONE, lit(1, ScalarType.INTEGER)), lit("one", ScalarType.VARCHAR),
                lit("many", ScalarType.VARCHAR));
        assertEquals("one", eval(c));
    }

    @Test
    void coalesceStopsAtTheFirstNonNullValue() {
        assertEquals(1L, eval(call("COALESCE", ScalarType.BIGINT, ONE, ONE_DIV_ZERO)));
        assertEquals(0L, eval(call("COALESCE", ScalarType.BIGINT, NULL_BIGINT, ZERO, ONE_DIV_ZERO)));
        assertNull(eval(call("COALESCE", ScalarType.BIGINT, NULL_BIGINT, NULL_BIGINT)));
    }

    @Test
    void ifEvaluatesOnlyTheChosenBranch() {
        assertEquals(1L, eval(call("IF", ScalarType.BIGINT, TRUE, ONE, ONE_DIV_ZERO)));
        assertEquals(0L, eval(call("IF", ScalarType.BIGINT, FALSE, ONE_DIV_ZERO, ZERO)));
    }

    @Test
    void ifWithANullConditionTakesTheElseBranch() {
        assertEquals(0L, eval(call("IF", ScalarType.BIGINT, NULL_BOOL, ONE, ZERO)));
    }

    // ---- ordinary functions: NULL in, NULL out ------------------------------------------------

    @Test
    void aNullArgumentMakesANullOnNullInputFunctionNull() {
        assertNull(eval(call("UPPER", ScalarType.VARCHAR, new Expr.Literal(null, ScalarType.VARCHAR))));
        assertNull(eval(call("+", ScalarType.BIGINT, ONE, NULL_BIGINT)));
        assertNull(eval(call("+", ScalarType.BIGINT, NULL_BIGINT, ONE)));
        assertNull(eval(call("SUBSTRING", ScalarType.VARCHAR, ABC, lit(1, ScalarType.INTEGER),
                new Expr.Literal(null, ScalarType.INTEGER))));
    }

    @Test
    void aNullArgumentShortCircuitsTheArgumentsAfterIt() {
        assertNull(eval(call("+", ScalarType.BIGINT, NULL_BIGINT, ONE_DIV_ZERO)));
        assertNull(eval(call("SUBSTRING", ScalarType.VARCHAR, new Expr.Literal(null, ScalarType.VARCHAR),
                ONE_DIV_ZERO, ONE)));
    }

    @Test
    void integerArithmeticKeepsSqlTypes() {
        Expr seven = lit(7, ScalarType.INTEGER);
        Expr two = lit(2, ScalarType.INTEGER);
        assertEquals(3, eval(call("/", ScalarType.INTEGER, seven, two)));
        assertEquals(-3, eval(call("/", ScalarType.INTEGER, lit(-7, ScalarType.INTEGER), two)));
        assertEquals(8L, eval(call("+", ScalarType.BIGINT, seven, ONE)));
        assertEquals("ABC", eval(call("UPPER", ScalarType.VARCHAR, ABC)));
    }

    // ---- failures name the function -----------------------------------------------------------

    @Test
    void divisionByZeroFailsNamingTheOperator() {
        ExpressionEvaluationException e = assertThrows(ExpressionEvaluationException.class, () -> eval(ONE_DIV_ZERO));
        assertEquals("/ failed: division by zero: 1 / 0", e.getMessage());
        assertInstanceOf(ArithmeticException.class, e.getCause());
    }

    @Test
    void aFailureDeepInsideAnExpressionKeepsTheInnermostFunctionName() {
        Expr nested = call("UPPER", ScalarType.VARCHAR, call("CAST", ScalarType.VARCHAR, ONE_DIV_ZERO));
        ExpressionEvaluationException e = assertThrows(ExpressionEvaluationException.class, () -> eval(nested));
        assertEquals("/ failed: division by zero: 1 / 0", e.getMessage());
    }

    @Test
    void aBadCastFailsNamingCast() {
        ExpressionEvaluationException e = assertThrows(ExpressionEvaluationException.class,
                () -> eval(call("CAST", ScalarType.INTEGER, ABC)));
        assertEquals("CAST failed: cannot cast 'abc' to INTEGER: not a number", e.getMessage());
    }

    // ---- ksqlDB's dialect: a failing call is NULL, counted and logged -----------------------------

    @Test
    void inKsqlDbsDialectAFailingCallIsNullAndCountedAndTheEnclosingExpressionGoesOn() {
        var catalog = new dev.sluice.runtime.function.udf.ScriptFunctionCatalog(DefaultFunctionCatalog.wallClock());
        catalog.ksqlDialect(true);
        ExprCompiler ksql = new ExprCompiler(catalog);
        long before = dev.sluice.runtime.errors.ProcessingErrors.total();
        assertNull(ksql.compile(ONE_DIV_ZERO).evaluate(ROW));
        // IFNULL(1 / 0, 7): the failing call is NULL, so COALESCE takes the default, as ksqlDB's IFNULL does
        Expr defaulted = call("COALESCE", ScalarType.BIGINT, ONE_DIV_ZERO, lit(7L, ScalarType.BIGINT));
        assertEquals(7L, ksql.compile(defaulted).evaluate(ROW));
        assertNull(ksql.compile(call("CAST", ScalarType.INTEGER, ABC)).evaluate(ROW));
        assertEquals(before + 3, dev.sluice.runtime.errors.ProcessingErrors.total(), "each failure is counted");
        assertEquals(2L, ksql.compile(call("+", ScalarType.BIGINT, ONE, ONE)).evaluate(ROW), "no failure, no change");
        assertEquals(before + 3, dev.sluice.runtime.errors.ProcessingErrors.total());
        // the Flink dialect's compiler still fails the record
        assertThrows(ExpressionEvaluationException.class, () -> eval(defaulted));
    }

    @Test
    void inKsqlDbsDialectCastNarrowsAsJavaAndCompletesPartialDates() {
        var catalog = new dev.sluice.runtime.function.udf.ScriptFunctionCatalog(DefaultFunctionCatalog.wallClock());
        catalog.ksqlDialect(true);
        ExprCompiler ksql = new ExprCompiler(catalog);
        Row row = Row.of(2147483648L, 1e10, new java.math.BigDecimal("4294967297.9"), "1970-01", "1971", " 1970-01-10 ");
        Expr big = new Expr.InputRef(0, ScalarType.BIGINT);
        Expr dbl = new Expr.InputRef(1, ScalarType.DOUBLE);
        Expr dec = new Expr.InputRef(2, new dev.sluice.serdes.row.DecimalType(11, 1));
        assertEquals(-2147483648, ksql.compile(call("TRY_CAST", ScalarType.INTEGER, big)).evaluate(row), "wraps");
        assertEquals(Integer.MAX_VALUE, ksql.compile(call("TRY_CAST", ScalarType.INTEGER, dbl)).evaluate(row),
                "a DOUBLE saturates");
        assertEquals(1, ksql.compile(call("TRY_CAST", ScalarType.INTEGER, dec)).evaluate(row), "a DECIMAL's integer part wraps");
        assertEquals(0, ksql.compile(call("TRY_CAST", ScalarType.DATE, new Expr.InputRef(3, ScalarType.VARCHAR))).evaluate(row));
        assertEquals(365, ksql.compile(call("TRY_CAST", ScalarType.DATE, new Expr.InputRef(4, ScalarType.VARCHAR))).evaluate(row));
        assertEquals(9, ksql.compile(call("TRY_CAST", ScalarType.DATE, new Expr.InputRef(5, ScalarType.VARCHAR))).evaluate(row));
        // Flink's (and Sluice's) CAST: out of range is an error, TRY_CAST NULL; a partial date does not parse
        assertNull(COMPILER.compile(call("TRY_CAST", ScalarType.INTEGER, big)).evaluate(row));
        assertNull(COMPILER.compile(call("TRY_CAST", ScalarType.DATE, new Expr.InputRef(3, ScalarType.VARCHAR))).evaluate(row));
    }

    @Test
    void anEvaluatorIsCompiledOnceAndReusedAcrossRows() {
        Evaluator gt = COMPILER.compile(call(">", ScalarType.BOOLEAN, new Expr.InputRef(0, ScalarType.BIGINT),
                lit(5000, ScalarType.INTEGER)));
        assertEquals(List.of(true, false), List.of(gt.evaluate(Row.of(5200L)), gt.evaluate(Row.of(800L))));
        assertNull(gt.evaluate(Row.of((Object) null)));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Object eval(Expr e) {
        return COMPILER.compile(e).evaluate(ROW);
    }

    private static Expr bool(String name) {
        return name == null ? NULL_BOOL : name.equals("TRUE") ? TRUE : FALSE;
    }

    private static Expr.Call call(String function, SqlType type, Expr... args) {
        return new Expr.Call(function, List.of(args), type);
    }

    private static Expr.Literal lit(Object value, SqlType type) {
        return new Expr.Literal(value, type);
    }
}
