package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** The TIME type (milliseconds of the day) and ksqlDB's functions over it, with the results of its tests. */
class KsqlTimeFunctionsTest {

    private static Expr.Literal time(int millisOfDay) {
        return new Expr.Literal(millisOfDay, ScalarType.TIME);
    }

    @Test
    void timeAddAndTimeSubWrapAroundMidnight() {
        assertEquals(20, eval("TIMEADD", s("MILLISECONDS"), i(10), time(10)));
        assertEquals(5, eval("TIMEADD", s("MILLISECONDS"), i(10), time(86_399_995)));
        assertEquals(86_399_997, eval("TIMEADD", s("MILLISECONDS"), i(-5), time(2)));
        assertEquals(86_399_995, eval("TIMESUB", s("MILLISECONDS"), i(10), time(5)));
        assertEquals(3_600_010, eval("TIMEADD", s("HOURS"), i(25), time(10)));
        assertEquals(ScalarType.TIME, type("TIMEADD", s("SECONDS"), i(1), time(0)));
    }

    @Test
    void timeAddIsNullOnANullArgument() {
        assertNull(eval("TIMEADD", s("MILLISECONDS"), nul(ScalarType.INTEGER), time(5)));
        assertNull(eval("TIMESUB", s("MILLISECONDS"), i(5), nul(ScalarType.TIME)));
    }

    @Test
    void timeAddRefusesOtherArgumentsInKsqlDbsWords() {
        FunctionException e = assertThrows(FunctionException.class,
                () -> type("TIMEADD", ref(0, ScalarType.TIME), i(5), time(1)));
        assertTrue(e.getMessage().endsWith("Function 'timeadd' does not accept parameters (TIME, INTEGER, TIME)."),
                e.getMessage());
        assertThrows(FunctionException.class, () -> type("TIMESUB", s("MONTHS"), i(1), time(1)));
    }

    @Test
    void formatTimeAndParseTimeUseJavaPatterns() {
        assertEquals("00_01_05_000", eval("FORMAT_TIME", time(65_000), s("HH_mm_ss_SSS")));
        assertEquals("002034AAAAA", eval("FORMAT_TIME", time(1_234_567), s("HHmmss'AAAAA'")));
        assertNull(eval("FORMAT_TIME", nul(ScalarType.TIME), s("HH:mm")));
        assertEquals(65_000, eval("PARSE_TIME", s("00:01:05Lit"), s("HH:mm:ss'Lit'")));
        assertEquals(46_800_000, eval("PARSE_TIME", s("01:00:00 Pm"), s("hh:mm:ss a")));
        FunctionException dated = assertThrows(FunctionException.class,
                () -> eval("PARSE_TIME", s("2024-01-01 10:00"), s("yyyy-MM-dd HH:mm")));
        assertTrue(dated.getMessage().contains("Time format contains date field"), dated.getMessage());
    }

    @Test
    void castsBetweenTimeTextAndTimestamp() {
        assertEquals(10, cast(s("00:00:00.010"), ScalarType.TIME));
        assertEquals(60_000, cast(s("00:01"), ScalarType.TIME));
        assertEquals("00:00:05", cast(time(5_000), ScalarType.VARCHAR));
        assertEquals("00:01:00", cast(time(60_000), ScalarType.VARCHAR)); // Flink's text; ksqlDB's is 00:01
        assertEquals("00:01", eval(KsqlTimeFunctions.KSQL_TIME_TEXT, time(60_000)));
        assertEquals(86_398_000, cast(new Expr.Literal(-2_000L, ScalarType.TIMESTAMP), ScalarType.TIME));
        assertEquals(100, cast(new Expr.Literal(86_400_100L, ScalarType.TIMESTAMP), ScalarType.TIME));
        assertThrows(IllegalArgumentException.class, () -> cast(s("foo"), ScalarType.TIME));
    }

    @Test
    void timesCompareWithTimesAndWithTimeText() {
        assertEquals(true, eval("<", time(10), time(12)));
        assertEquals(false, eval("=", time(10), time(12)));
        assertEquals(true, eval(">", time(11), s("00:00:00.010")));
        assertEquals(true, eval("IS DISTINCT FROM", nul(ScalarType.TIME), time(10)));
    }

    @Test
    void greatestAndLeastReadATextLiteralBesideTimesAsATime() {
        var a = ref(0, ScalarType.TIME);
        var b = ref(1, ScalarType.TIME);
        assertEquals(33_360_000, evalWith("GREATEST_IGNORE_NULLS", List.of(a, b, s("09:16:00")), 10, null, "09:16:00"));
        assertEquals(10, evalWith("LEAST_IGNORE_NULLS", List.of(a, b, s("09:16:00")), 10, null, "09:16:00"));
        assertEquals(ScalarType.TIME, type("GREATEST_IGNORE_NULLS", a, s("09:16:00")));
        // Flink's GREATEST keeps its rule: one type family
        assertThrows(FunctionException.class, () -> type("GREATEST", a, s("09:16:00")));
    }
}
