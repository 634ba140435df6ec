package dev.sluice.runtime.function.scalar;

import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class MathFunctionsTest {

    @Test
    void roundDecimalIsHalfUpWithScaleD() {
        assertEquals(decimal(2, 0), type("ROUND", dec("2.5")));
        assertEquals(new BigDecimal("3"), eval("ROUND", dec("2.5")));
        assertEquals(new BigDecimal("-3"), eval("ROUND", dec("-2.5")));
        assertEquals(decimal(4, 2), type("ROUND", dec("1.2345"), i(2)));
        assertEquals(new BigDecimal("1.23"), eval("ROUND", dec("1.2345"), i(2)));
        assertEquals(new BigDecimal("1.24"), eval("ROUND", dec("1.2350"), i(2)));
        assertEquals(new BigDecimal("10.0"), eval("ROUND", dec("9.99"), i(1)));
        assertEquals(new BigDecimal("120"), eval("ROUND", dec("123.4"), i(-1)));
    }

    @Test
    void roundDoubleIsHalfUpOnTheShortestDecimalForm() {
        assertEquals(ScalarType.DOUBLE, type("ROUND", dbl(2.675), i(2)));
        assertEquals(2.68, eval("ROUND", dbl(2.675), i(2)));
        assertEquals(-3.0, eval("ROUND", dbl(-2.5)));
        assertEquals(3.0, eval("ROUND", dbl(2.5)));
        assertEquals(0.33, eval("ROUND", dbl(1.0 / 3), i(2)));
    }

    @Test
    void roundIntegersKeepTheirType() {
        assertEquals(1200L, eval("ROUND", l(1234), i(-2)));
        assertEquals(1300L, eval("ROUND", l(1250), i(-2)));
        assertEquals(7, eval("ROUND", i(7), i(2)));
        assertEquals(ScalarType.BIGINT, type("ROUND", l(1234), i(-2)));
    }

    @Test
    void truncateCutsTowardZero() {
        assertEquals(new BigDecimal("1.23"), eval("TRUNCATE", dec("1.2399"), i(2)));
        assertEquals(-1.2, eval("TRUNCATE", dbl(-1.29), i(1)));
    }

    @Test
    void floorCeilAbsSign() {
        assertEquals(new BigDecimal("-2"), eval("FLOOR", dec("-1.5")));
        assertEquals(new BigDecimal("2"), eval("CEIL", dec("1.2")));
        assertEquals(decimal(2, 0), type("CEILING", dec("9.5")));
        assertEquals(new BigDecimal("10"), eval("CEILING", dec("9.5")));
        assertEquals(2.0, eval("CEIL", dbl(1.2)));
        assertEquals(5, eval("ABS", i(-5)));
        assertEquals(new BigDecimal("1.50"), eval("ABS", dec("-1.50")));
        assertThrows(ArithmeticException.class, () -> eval("ABS", i(Integer.MIN_VALUE)));
        assertEquals(-1, eval("SIGN", i(-5)));
        assertEquals(new BigDecimal("1.00"), eval("SIGN", dec("0.25")));
    }

    @Test
    void moduloOfDecimals() {
        assertEquals(new BigDecimal("1.5"), eval("MOD", dec("7.5"), i(2)));
        assertEquals(1.5, eval("MOD", dbl(7.5), i(2)));
    }

    @Test
    void powersAndLogarithmsAreDouble() {
        assertEquals(1024.0, eval("POWER", i(2), i(10)));
        assertEquals(1024.0, eval("POW", i(2), i(10)));
        assertEquals(4.0, eval("SQRT", i(16)));
        assertEquals(3.0, (Double) eval("LOG", i(2), i(8)), 1e-12);
        assertEquals(2.0, eval("LOG10", i(100)));
        assertEquals(1.0, eval("LN", dbl(Math.E)));
        assertEquals(1.0, eval("EXP", i(0)));
        assertTrue(Double.isNaN((Double) eval("SQRT", i(-1))));
    }

    @Test
    void widthBucketFollowsPostgres() {
        assertEquals(3, eval("WIDTH_BUCKET", dec("5.35"), dec("0.024"), dec("10.06"), i(5)));
        assertEquals(0, eval("WIDTH_BUCKET", i(-1), i(0), i(10), i(5)));
        assertEquals(1, eval("WIDTH_BUCKET", i(0), i(0), i(10), i(5)));
        assertEquals(5, eval("WIDTH_BUCKET", dbl(9.99), i(0), i(10), i(5)));
        assertEquals(6, eval("WIDTH_BUCKET", i(10), i(0), i(10), i(5)));
        assertEquals(1, eval("WIDTH_BUCKET", i(10), i(10), i(0), i(5)));
        assertThrows(IllegalArgumentException.class, () -> eval("WIDTH_BUCKET", i(1), i(0), i(10), i(0)));
    }

    @Test
    void randIsInTheUnitIntervalAndNotDeterministic() {
        double r = (Double) eval("RAND");
        assertTrue(r >= 0 && r < 1);
        assertFalse(fn("RAND").deterministic());
    }

    @Test
    void floorAndCeilOfTimestampsToAUnit() {
        long t = DateTimes.parseTimestamp("2024-05-15 10:30:00");
        assertEquals(DateTimes.parseTimestamp("2024-05-15 10:00:00"), eval("FLOOR", ts("2024-05-15 10:30:00"), s("HOUR")));
        assertEquals(DateTimes.parseTimestamp("2024-05-15 11:00:00"), eval("CEIL", ts("2024-05-15 10:30:00"), s("HOUR")));
        assertEquals(DateTimes.parseTimestamp("2024-05-15 10:00:00"), eval("CEIL", ts("2024-05-15 10:00:00"), s("HOUR")));
        assertEquals(DateTimes.parseTimestamp("2024-06-01 00:00:00"), eval("CEIL", ts("2024-05-15 10:30:00"), s("MONTH")));
        // 2024-05-15 is a Wednesday; Flink's weeks start on Sunday 2024-05-12.
        assertEquals(DateTimes.parseTimestamp("2024-05-12 00:00:00"), eval("FLOOR", ts("2024-05-15 10:30:00"), s("WEEK")));
        assertEquals(DateTimes.parseTimestamp("2024-05-12 00:00:00"), eval("FLOOR", ts("2024-05-12 00:00:00"), s("WEEK")));
        assertEquals(ScalarType.TIMESTAMP, type("FLOOR", ts("2024-05-15 10:30:00"), s("DAY")));
        assertTrue(t > 0);
    }
}
