package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class ArithmeticOperatorsTest {

    @Test
    void integerDivisionTruncatesTowardZero() {
        assertEquals(ScalarType.INTEGER, type("/", i(7), i(2)));
        assertEquals(3, eval("/", i(7), i(2)));
        assertEquals(-3, eval("/", i(-7), i(2)));
        assertEquals(3L, eval("/", l(7), i(2)));
    }

    @Test
    void modKeepsTheDividendSign() {
        assertEquals(-1, eval("MOD", i(-7), i(2)));
        assertEquals(-1, eval("%", i(-7), i(2)));
        assertEquals(1, eval("%", i(7), i(-2)));
    }

    @Test
    void integerModuloHasTheDivisorsTypeAsInCalcite() {
        assertEquals(ScalarType.INTEGER, type("%", l(10_000_000_000L), i(3)));
        assertEquals(1, eval("%", l(10_000_000_000L), i(3)));
    }

    @Test
    void countTimesHundredOverCountIsDecimal38Scale15RoundedHalfUp() {
        // COUNT(..) * 100.0 / COUNT(*): BIGINT * DECIMAL(4,1) = DECIMAL(24,1); / BIGINT = DECIMAL(38,15).
        assertEquals(decimal(24, 1), type("*", l(2), dec("100.0")));
        assertEquals(decimal(38, 15), type("/", nul(decimal(24, 1)), l(3)));
        BigDecimal twoHundred = (BigDecimal) eval("*", l(2), dec("100.0"));
        assertEquals(new BigDecimal("200.0"), twoHundred);
        Object ratio = eval("/", new dev.sluice.runtime.expr.Expr.Literal(twoHundred, decimal(24, 1)), l(3));
        assertEquals(new BigDecimal("66.666666666666667"), ratio);
    }

    @Test
    void bigintOverDecimalLiteralIsDecimal26Scale6() {
        // latency_ms / 1000.0: DECIMAL(19,0) / DECIMAL(5,1): scale max(6, 0+5+1)=6, precision 19+1+6 = 26.
        assertEquals(decimal(26, 6), type("/", l(1234), dec("1000.0")));
        assertEquals(new BigDecimal("1.234000"), eval("/", l(1234), dec("1000.0")));
        assertEquals(decimal(17, 6), type("/", i(1), dec("1000.0")));
        assertEquals(new BigDecimal("0.333333"), eval("/", i(1), dec("3.0")));
        assertEquals(new BigDecimal("0.666667"), eval("/", i(2), dec("3.0")));
    }

    @Test
    void decimalAdditionAndMultiplicationFollowFlinkPrecisionRules() {
        assertEquals(decimal(8, 3), type("+", dec("123.45"), dec("1234.567")));
        assertEquals(new BigDecimal("1358.017"), eval("+", dec("123.45"), dec("1234.567")));
        assertEquals(decimal(13, 5), type("*", dec("123.45"), dec("1234.567")));
        assertEquals(decimal(13, 2), type("+", i(1), dec("1.50"))); // max(10, 1) + 2 + 1
        // (38, 8) + (32, 8) needs 39 digits: precision 38 keeps the 31 integer digits, scale 7.
        assertEquals(decimal(38, 7), TypeRules.additionDecimal(decimal(38, 8), decimal(32, 8)));
    }

    @Test
    void anyDoubleOperandGivesDouble() {
        assertEquals(ScalarType.DOUBLE, type("+", i(1), dbl(0.5)));
        assertEquals(ScalarType.DOUBLE, type("*", dec("1.5"), dbl(2)));
        assertEquals(3.0, eval("*", dec("1.5"), dbl(2)));
        assertEquals(1.5, eval("+", i(1), dbl(0.5)));
    }

    @Test
    void doubleDivisionByZeroFollowsIeee() {
        assertEquals(Double.POSITIVE_INFINITY, eval("/", dbl(1), i(0)));
        assertTrue(Double.isNaN((Double) eval("/", dbl(0), i(0))));
    }

    @Test
    void exactDivisionByZeroThrows() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> eval("/", i(7), i(0)));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> eval("%", l(7), l(0)));
        assertThrows(ArithmeticException.class, () -> eval("/", dec("1.0"), dec("0.0")));
    }

    @Test
    void integerOverflowThrowsInsteadOfWrapping() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> eval("+", i(Integer.MAX_VALUE), i(1)));
        assertTrue(e.getMessage().contains("INTEGER overflow"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> eval("*", l(Long.MAX_VALUE), l(2)));
        assertThrows(ArithmeticException.class, () -> eval("NEGATE", i(Integer.MIN_VALUE)));
        assertEquals(2147483648L, eval("+", l(Integer.MAX_VALUE), i(1)));
    }

    @Test
    void decimalOverflowThrows() {
        // DECIMAL(38,0) * DECIMAL(38,0) is typed DECIMAL(38,0); 10^37 * 10 = 10^38 needs 39 digits.
        var big = new dev.sluice.runtime.expr.Expr.Literal(BigDecimal.TEN.pow(37), decimal(38, 0));
        assertThrows(ArithmeticException.class, () -> eval("*", big, dec("100")));
    }

    @Test
    void nullOperandGivesNull() {
        assertNull(eval("+", i(1), nul()));
        assertEquals(ScalarType.INTEGER, type("+", i(1), nul()));
        assertNull(eval("+", nul(ScalarType.BIGINT), l(1)));
    }

    @Test
    void negateKeepsTheType() {
        assertEquals(-5, eval("NEGATE", i(5)));
        assertEquals(new BigDecimal("-1.50"), eval("NEGATE", dec("1.50")));
        assertEquals(-1000L, eval("NEGATE", interval(1000)));
    }

    @Test
    void timestampPlusAndMinusInterval() {
        assertEquals(ScalarType.TIMESTAMP, type("+", ts("2024-01-01 00:00:00"), interval(30_000)));
        assertEquals(DateTimes.parseTimestamp("2024-01-01 00:00:30"), eval("+", ts("2024-01-01 00:00:00"), interval(30_000)));
        assertEquals(DateTimes.parseTimestamp("2023-12-31 23:59:30"), eval("-", ts("2024-01-01 00:00:00"), interval(30_000)));
        assertEquals(DateTimes.parseTimestamp("2024-01-01 00:00:30"), eval("+", interval(30_000), ts("2024-01-01 00:00:00")));
    }

    @Test
    void timestampMinusTimestampIsAnInterval() {
        assertEquals(ScalarType.INTERVAL, type("-", ts("2024-01-01 00:30:00"), ts("2024-01-01 00:00:00")));
        assertEquals(1_800_000L, eval("-", ts("2024-01-01 00:30:00"), ts("2024-01-01 00:00:00")));
    }

    @Test
    void dateArithmetic() {
        assertEquals(ScalarType.DATE, type("+", date("2024-02-28"), i(2)));
        assertEquals(DateTimes.parseDate("2024-03-01"), eval("+", date("2024-02-28"), i(2)));
        assertEquals(DateTimes.parseDate("2024-02-26"), eval("-", date("2024-02-28"), i(2)));
        assertEquals(ScalarType.INTEGER, type("-", date("2024-03-01"), date("2024-02-28")));
        assertEquals(2, eval("-", date("2024-03-01"), date("2024-02-28")));
        assertEquals(ScalarType.TIMESTAMP, type("+", date("2024-01-01"), interval(3_600_000)));
        assertEquals(DateTimes.parseTimestamp("2024-01-01 01:00:00"), eval("+", date("2024-01-01"), interval(3_600_000)));
    }

    @Test
    void intervalArithmetic() {
        assertEquals(ScalarType.INTERVAL, type("+", interval(1000), interval(500)));
        assertEquals(1500L, eval("+", interval(1000), interval(500)));
        assertEquals(3000L, eval("*", interval(1000), i(3)));
        assertEquals(3000L, eval("*", i(3), interval(1000)));
        assertEquals(1500L, eval("*", interval(1000), dec("1.5")));
        assertEquals(334L, eval("/", interval(1001), i(3)));
    }

    @Test
    void typeErrorsNameTheOperatorAndTypes() {
        FunctionException e = assertThrows(FunctionException.class, () -> type("+", s("a"), i(1)));
        assertTrue(e.getMessage().startsWith("+ expects numeric operands"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got (VARCHAR, INTEGER)"), e.getMessage());
        assertThrows(FunctionException.class, () -> type("*", ts("2024-01-01 00:00:00"), i(2)));
    }
}
