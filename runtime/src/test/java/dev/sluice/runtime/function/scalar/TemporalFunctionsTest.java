package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class TemporalFunctionsTest {
    private static final long JAN_1_2024 = 1704067200000L;
    private static final int JAN_1_2024_DAYS = 19723;

    private static long at(String text) {
        return DateTimes.parseTimestamp(text);
    }

    @Test
    void extractCalendarFields() {
        var t = ts("2024-01-15 10:30:45.123");
        assertEquals(ScalarType.BIGINT, type("EXTRACT", s("YEAR"), t));
        assertEquals(2024L, eval("EXTRACT", s("YEAR"), t));
        assertEquals(1L, eval("EXTRACT", s("QUARTER"), t));
        assertEquals(1L, eval("EXTRACT", s("MONTH"), t));
        assertEquals(3L, eval("EXTRACT", s("WEEK"), t));
        assertEquals(15L, eval("EXTRACT", s("DAY"), t));
        assertEquals(15L, eval("EXTRACT", s("DOY"), t));
        assertEquals(10L, eval("EXTRACT", s("hour"), t));
        assertEquals(30L, eval("EXTRACT", s("MINUTE"), t));
        assertEquals(45L, eval("EXTRACT", s("SECOND"), t));
        assertEquals(123L, eval("EXTRACT", s("MILLISECOND"), t));
        assertEquals(2024L, eval("YEAR", t));
        assertEquals(10L, eval("HOUR", t));
    }

    @Test
    void dayOfWeekIsOneForSundayAsInFlink() {
        assertEquals(1L, eval("EXTRACT", s("DOW"), ts("2024-01-14 12:00:00")));
        assertEquals(2L, eval("EXTRACT", s("DOW"), ts("2024-01-15 12:00:00")));
        assertEquals(7L, eval("EXTRACT", s("DOW"), ts("2024-01-13 12:00:00")));
        assertEquals(7L, eval("EXTRACT", s("ISODOW"), ts("2024-01-14 12:00:00")));
        assertEquals(1L, eval("EXTRACT", s("DOW"), date("2024-01-14")));
    }

    @Test
    void epochIsDecimalSecondsForTimestampsAndIntervals() {
        assertEquals(TemporalFunctions.EPOCH_TYPE, type("EXTRACT", s("EPOCH"), ts("2024-01-01 00:00:00")));
        assertEquals(new BigDecimal("1704067200.500"), eval("EXTRACT", s("EPOCH"), ts("2024-01-01 00:00:00.5")));
        assertEquals(new BigDecimal("1800.000"), eval("EXTRACT", s("EPOCH"), interval(1_800_000)));
        // EXTRACT(EPOCH FROM end - start) / 60: DECIMAL(38,3) / INTEGER = DECIMAL(38,6).
        var epoch = new dev.sluice.runtime.expr.Expr.Literal(new BigDecimal("1800.000"), TemporalFunctions.EPOCH_TYPE);
        assertEquals(decimal(38, 6), type("/", epoch, i(60)));
        assertEquals(new BigDecimal("30.000000"), eval("/", epoch, i(60)));
    }

    @Test
    void extractFromIntervalGivesComponents() {
        var iv = interval(86_400_000L + 3_600_000L + 60_000L + 1_000L + 1L);
        assertEquals(1L, eval("EXTRACT", s("DAY"), iv));
        assertEquals(1L, eval("EXTRACT", s("HOUR"), iv));
        assertEquals(1L, eval("EXTRACT", s("MINUTE"), iv));
        assertEquals(1L, eval("EXTRACT", s("SECOND"), iv));
        assertEquals(1L, eval("EXTRACT", s("MILLISECOND"), iv));
        assertThrows(FunctionException.class, () -> type("EXTRACT", s("YEAR"), interval(1)));
    }

    @Test
    void extractRejectsUnknownUnitsAndNonConstantUnits() {
        FunctionException e = assertThrows(FunctionException.class, () -> type("EXTRACT", s("FORTNIGHT"), ts("2024-01-01 00:00:00")));
        assertTrue(e.getMessage().startsWith("EXTRACT does not support the unit 'FORTNIGHT'; use one of MILLISECOND"), e.getMessage());
        assertThrows(FunctionException.class, () -> type("EXTRACT", ref(0, ScalarType.VARCHAR), ts("2024-01-01 00:00:00")));
    }

    @Test
    void dateTruncStartsTheUnit() {
        var t = ts("2024-05-15 10:30:45.123");
        assertEquals(ScalarType.TIMESTAMP, type("DATE_TRUNC", s("hour"), t));
        assertEquals(at("2024-05-15 10:30:45.123"), eval("DATE_TRUNC", s("MILLISECOND"), t));
        assertEquals(at("2024-05-15 10:30:45"), eval("DATE_TRUNC", s("SECOND"), t));
        assertEquals(at("2024-05-15 10:30:00"), eval("DATE_TRUNC", s("MINUTE"), t));
        assertEquals(at("2024-05-15 10:00:00"), eval("DATE_TRUNC", s("hour"), t));
        assertEquals(at("2024-05-15 00:00:00"), eval("DATE_TRUNC", s("DAY"), t));
        assertEquals(at("2024-05-13 00:00:00"), eval("DATE_TRUNC", s("WEEK"), t));
        assertEquals(at("2024-05-01 00:00:00"), eval("DATE_TRUNC", s("MONTH"), t));
        assertEquals(at("2024-04-01 00:00:00"), eval("DATE_TRUNC", s("QUARTER"), t));
        assertEquals(at("2024-01-01 00:00:00"), eval("DATE_TRUNC", s("YEAR"), t));
        assertEquals(at("2024-05-01 00:00:00"), eval("DATE_TRUNC", s("month"), date("2024-05-15")));
        assertEquals(-3_600_000L, eval("DATE_TRUNC", s("HOUR"), new dev.sluice.runtime.expr.Expr.Literal(-1L, ScalarType.TIMESTAMP)));
    }

    @Test
    void dateTruncValidatesTheUnitWhenTyped() {
        FunctionException e = assertThrows(FunctionException.class, () -> type("DATE_TRUNC", s("DOW"), ts("2024-01-01 00:00:00")));
        assertEquals("DATE_TRUNC does not support the unit 'DOW'; use one of MILLISECOND, SECOND, MINUTE, HOUR, DAY, "
                + "WEEK, MONTH, QUARTER, YEAR", e.getMessage());
    }

    @Test
    void toTimestampWithPostgresAndJavaFormats() {
        assertEquals(at("2024-03-05 00:00:00"), eval("TO_TIMESTAMP", s("2024-03-05"), s("YYYY-MM-DD")));
        assertEquals(at("2024-03-05 14:07:00"), eval("TO_TIMESTAMP", s("05/03/2024 14:07"), s("DD/MM/YYYY HH24:MI")));
        assertEquals(at("2024-03-05 14:07:09"), eval("TO_TIMESTAMP", s("2024-03-05T14:07:09"), s("YYYY-MM-DD\"T\"HH24:MI:SS")));
        assertEquals(at("2024-03-05 14:07:09"), eval("TO_TIMESTAMP", s("2024-03-05T14:07:09"), s("YYYY-MM-DDTHH24:MI:SS")));
        assertEquals(at("2024-03-05 14:07:09.250"), eval("TO_TIMESTAMP", s("2024-03-05 14:07:09.250"), s("YYYY-MM-DD HH24:MI:SS.MS")));
        assertEquals(at("2024-03-05 14:07:09"), eval("TO_TIMESTAMP", s("2024-03-05 14:07:09"), s("yyyy-MM-dd HH:mm:ss")));
        assertEquals(at("2024-03-05 14:07:09"), eval("TO_TIMESTAMP", s("2024-03-05 14:07:09")));
    }

    @Test
    void toTimestampOfUnparseableTextIsNullAsInFlink() {
        assertNull(eval("TO_TIMESTAMP", s("not a date"), s("YYYY-MM-DD")));
        assertNull(eval("TO_TIMESTAMP", s("not a date")));
    }

    @Test
    void toTimestampOfANumberReadsEpochSeconds() {
        assertEquals(JAN_1_2024, eval("TO_TIMESTAMP", l(1704067200L)));
        assertEquals(JAN_1_2024 + 500, eval("TO_TIMESTAMP", dec("1704067200.5")));
        assertEquals(JAN_1_2024, eval("TO_TIMESTAMP_LTZ", l(1704067200L), i(0)));
        assertEquals(JAN_1_2024, eval("TO_TIMESTAMP_LTZ", l(JAN_1_2024), i(3)));
    }

    @Test
    void datesFromTextAndTimestamps() {
        int march5 = JAN_1_2024_DAYS + 31 + 29 + 4;
        assertEquals(march5, eval("TO_DATE", s("2024-03-05")));
        assertEquals(march5, eval("TO_DATE", s("05.03.2024"), s("DD.MM.YYYY")));
        assertEquals(march5, eval("DATE", ts("2024-03-05 23:59:59.999")));
        assertEquals(march5, eval("DATE", s("2024-03-05")));
        assertEquals(ScalarType.DATE, type("DATE", ts("2024-03-05 00:00:00")));
    }

    @Test
    void processingTimeComesFromTheClockAndIsNotDeterministic() {
        assertEquals(NOW, eval("NOW"));
        assertEquals(NOW, eval("current_timestamp"));
        assertFalse(fn("NOW").deterministic());
        assertEquals(JAN_1_2024_DAYS + 14, eval("CURRENT_DATE"));
        assertEquals(NOW / 1000, eval("UNIX_TIMESTAMP"));
        assertEquals(1704067200L, eval("UNIX_TIMESTAMP", s("2024-01-01 00:00:00")));
    }

    @Test
    void formatting() {
        assertEquals("1970-01-01 00:00:00", eval("FROM_UNIXTIME", l(0)));
        assertEquals("2024/01/15", eval("FROM_UNIXTIME", l(NOW / 1000), s("yyyy/MM/dd")));
        assertEquals("2024-01-15 10:30", eval("DATE_FORMAT", ts("2024-01-15 10:30:45"), s("yyyy-MM-dd HH:mm")));
        assertEquals("2024-01-15 10:30", eval("TO_CHAR", ts("2024-01-15 10:30:45"), s("YYYY-MM-DD HH24:MI")));
        // Java's milliseconds (SSS) hold PostgreSQL's SS: the lower-case letters say which dialect it is
        assertEquals("2024-01-15 10:30:45.000", eval("DATE_FORMAT", ts("2024-01-15 10:30:45"), s("yyyy-MM-dd HH:mm:ss.SSS")));
        assertEquals("10:30:45.000", eval("TO_CHAR", ts("2024-01-15 10:30:45"), s("HH24:MI:SS.MS")));
    }

    @Test
    void dateFormatWithAConstantFormatReusesTheLastTextOnlyForTheSameInstant() {
        List<dev.sluice.runtime.expr.Expr> args = List.of(new dev.sluice.runtime.expr.Expr.InputRef(0, ScalarType.TIMESTAMP),
                s("yyyy-MM-dd HH:mm:ss.SSS"));
        var format = fn("DATE_FORMAT").implement(args, ScalarType.VARCHAR);
        long t = at("2024-01-15 10:30:45");
        long[] instants = {t, t, t + 1, t + 1, t, t + 86_400_000L, t + 86_400_000L, t};
        for (long instant : instants) {
            assertEquals(DateTimes.formatTimestamp(instant),
                    format.apply(new Object[] {instant, "yyyy-MM-dd HH:mm:ss.SSS"}), "at " + instant);
        }
    }

    @Test
    void timestampAddIsCalendarAware() {
        assertEquals(at("2024-02-29 10:00:00"), eval("TIMESTAMPADD", s("MONTH"), i(1), ts("2024-01-31 10:00:00")));
        assertEquals(at("2024-01-31 13:00:00"), eval("TIMESTAMPADD", s("HOUR"), i(3), ts("2024-01-31 10:00:00")));
        assertEquals(ScalarType.DATE, type("TIMESTAMPADD", s("DAY"), i(1), date("2024-01-31")));
        assertEquals(JAN_1_2024_DAYS + 31, eval("TIMESTAMPADD", s("DAY"), i(1), date("2024-01-31")));
    }

    @Test
    void timestampDiffCountsWholeUnitsFromFirstToSecond() {
        assertEquals(14, eval("TIMESTAMPDIFF", s("DAY"), ts("2024-01-01 00:00:00"), ts("2024-01-15 10:30:00")));
        assertEquals(-14, eval("TIMESTAMPDIFF", s("DAY"), ts("2024-01-15 10:30:00"), ts("2024-01-01 00:00:00")));
        assertEquals(90, eval("TIMESTAMPDIFF", s("SECOND"), ts("2024-01-01 00:00:00"), ts("2024-01-01 00:01:30.9")));
        // Flink counts a clamped month end as a whole month.
        assertEquals(1, eval("TIMESTAMPDIFF", s("MONTH"), ts("2024-01-31 00:00:00"), ts("2024-02-29 00:00:00")));
        assertEquals(0, eval("TIMESTAMPDIFF", s("MONTH"), ts("2024-01-15 12:00:00"), ts("2024-02-15 11:00:00")));
        assertEquals(1, eval("TIMESTAMPDIFF", s("YEAR"), ts("2023-03-01 00:00:00"), ts("2024-03-01 00:00:00")));
    }

    @Test
    void registryNamesIncludeAliases() {
        assertTrue(REGISTRY.names().containsAll(List.of("NOW", "CURRENT_TIMESTAMP", "SUBSTR", "SUBSTRING", "MOD", "%")));
        assertTrue(REGISTRY.lookup("date_trunc").isPresent());
        assertTrue(REGISTRY.lookup("NO_SUCH_FUNCTION").isEmpty());
    }
}
