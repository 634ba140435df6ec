package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's date, timestamp and JSON functions, with the results its reference documents. */
class KsqlTemporalFunctionsTest {
    private static final long NOON_2024_01_15 = 1705320000000L; // 2024-01-15T12:00:00Z

    @Test
    void asValueIsTheValueItself() {
        assertEquals(7, eval("AS_VALUE", i(7)));
        assertEquals(ScalarType.VARCHAR, type("AS_VALUE", s("x")));
        assertNull(eval("AS_VALUE", nul(ScalarType.INTEGER)));
    }

    @Test
    void fromDaysAndUnixDateConvertBetweenDatesAndEpochDays() {
        assertEquals(19737, eval("FROM_DAYS", i(19737)));
        assertEquals(ScalarType.DATE, type("FROM_DAYS", i(1)));
        assertEquals(19737, eval("UNIX_DATE", date("2024-01-15")));
        assertEquals(19737, eval("UNIX_DATE")); // the test clock is 2024-01-15
    }

    @Test
    void formatAndParseDateUseJavaPatterns() {
        assertEquals("15/01/2024", eval("FORMAT_DATE", date("2024-01-15"), s("dd/MM/yyyy")));
        assertEquals(19737, eval("PARSE_DATE", s("15/01/2024"), s("dd/MM/yyyy")));
        assertThrows(FunctionException.class, () -> eval("PARSE_DATE", s("nope"), s("dd/MM/yyyy")));
        // ksqlDB's SimpleDateFormat: month names in any case, a missing day the first (parse-date.json)
        assertEquals(18993, eval("PARSE_DATE", s("01-JAN-2022"), s("dd-MMM-yyyy")));
        assertEquals(18993, eval("PARSE_DATE", s("JAN-2022"), s("MMM-yyyy")));
        assertEquals(18993, eval("PARSE_DATE", s("2022-001"), s("yyyy-DDD")));
        // text after the pattern is ignored, as SimpleDateFormat does (null.json, "coalesce - with parse_date")
        assertEquals(12410, eval("PARSE_DATE", s("2003-12-24-01-01"), s("yyyy-MM-dd")));
        assertEquals(12418, eval("PARSE_DATE", s("2004-01-01"), s("yyyy-MM-dd")));
        assertThrows(FunctionException.class, () -> eval("PARSE_DATE", s("2004"), s("yyyy-MM-dd")));
        assertNull(eval("PARSE_DATE", nul(ScalarType.VARCHAR), s("yyyy-MM-dd")));
        assertNull(eval("FORMAT_DATE", nul(ScalarType.DATE), s("yyyy")));
    }

    @Test
    void formatAndParseTimestampInAZoneDefaultingToUtc() {
        assertEquals("2024-01-15 12:00:00", eval("FORMAT_TIMESTAMP", ts("2024-01-15 12:00:00"), s("yyyy-MM-dd HH:mm:ss")));
        var ts = ref(0, ScalarType.TIMESTAMP);
        assertEquals("2024-01-15 13:00", evalWith("FORMAT_TIMESTAMP", List.of(ts, s("yyyy-MM-dd HH:mm"), s("Europe/Paris")),
                NOON_2024_01_15, "yyyy-MM-dd HH:mm", "Europe/Paris"));
        assertEquals(NOON_2024_01_15, eval("PARSE_TIMESTAMP", s("2024-01-15 12:00:00"), s("yyyy-MM-dd HH:mm:ss")));
        assertEquals(NOON_2024_01_15, eval("PARSE_TIMESTAMP", s("2024-01-15 13:00:00"), s("yyyy-MM-dd HH:mm:ss"),
                s("Europe/Paris")));
        assertEquals(NOON_2024_01_15, eval("PARSE_TIMESTAMP", s("2024-01-15 14:00:00+0200"), s("yyyy-MM-dd HH:mm:ssZ"),
                s("America/Los_Angeles")));
        assertThrows(FunctionException.class, () -> eval("PARSE_TIMESTAMP", s("x"), s("yyyy"), s("Mars/Base")));
    }

    @Test
    void convertTzMovesTheWallClock() {
        var ts = ref(0, ScalarType.TIMESTAMP);
        assertEquals(NOON_2024_01_15 + 3_600_000L, evalWith("CONVERT_TZ", List.of(ts, s("UTC"), s("Europe/Paris")),
                NOON_2024_01_15, "UTC", "Europe/Paris"));
    }

    @Test
    void extractJsonFieldGivesScalarsAsTextAndContainersAsJson() {
        var json = s("{\"a\": {\"b\": [1, 2]}, \"s\": \"x\", \"n\": 3, \"z\": null}");
        assertEquals("x", eval("EXTRACTJSONFIELD", json, s("$.s")));
        assertEquals("3", eval("EXTRACTJSONFIELD", json, s("$.n")));
        assertEquals("[1,2]", eval("EXTRACTJSONFIELD", json, s("$.a.b")));
        assertNull(eval("EXTRACTJSONFIELD", json, s("$.z")));
        assertNull(eval("EXTRACTJSONFIELD", json, s("$.missing")));
    }

    @Test
    void ksqlFromUnixtimeIsTheTimestampOfEpochMilliseconds() {
        ScalarFunction f = KsqlScalarMeanings.of("FROM_UNIXTIME").orElseThrow();
        assertEquals(ScalarType.TIMESTAMP, f.returnType(List.of(l(100))));
        assertEquals(1589234313000L, evalKsql("FROM_UNIXTIME", l(1589234313000L)));
        assertNull(evalKsql("FROM_UNIXTIME", nul(ScalarType.BIGINT)));
        assertEquals("1970-01-01 00:01:40", eval("FROM_UNIXTIME", i(100)), "Flink's: seconds, as text");
    }

    @Test
    void dateAddDateSubAndTimestampSubMoveByCalendarUnits() {
        assertEquals(DateTimes.parseDate("2024-02-29"), eval("DATEADD", s("MONTHS"), i(1), date("2024-01-29")));
        assertEquals(DateTimes.parseDate("2024-01-10"), eval("DATESUB", s("DAYS"), i(5), date("2024-01-15")));
        assertEquals(NOON_2024_01_15 - 3_600_000L, eval("TIMESTAMPSUB", s("HOURS"), i(1), ts("2024-01-15 12:00:00")));
        // ksqlDB's DATEADD/DATESUB take any unit and stay DATE: a unit below a day moves midnight and
        // keeps the day it lands in (dateadd.json, datesub.json)
        assertEquals(ScalarType.DATE, type("DATEADD", s("MILLISECONDS"), i(5), date("2024-01-15")));
        assertEquals(DateTimes.parseDate("2024-01-16"), eval("DATEADD", s("HOURS"), i(25), date("2024-01-15")));
        assertEquals(DateTimes.parseDate("2024-01-15"), eval("DATEADD", s("MILLISECONDS"), i(5), date("2024-01-15")));
        assertEquals(DateTimes.parseDate("2024-01-14"), eval("DATESUB", s("MILLISECONDS"), i(5), date("2024-01-15")));
        assertNull(eval("DATEADD", s("MILLISECONDS"), nul(ScalarType.INTEGER), date("2024-01-15")));
        assertNull(eval("DATESUB", s("MILLISECONDS"), i(5), nul(ScalarType.DATE)));
    }

    @Test
    void parseTimestampReadsAZoneNamedInTheText() {
        // stringtimestamp.json "format timestamp with time zone": PST in May is Los Angeles' daylight time
        assertEquals(1526101113000L, eval("PARSE_TIMESTAMP", s("2018-05-11T21:58:33 PST"), s("yyyy-MM-dd'T'HH:mm:ss zzz")));
    }

    @Test
    void legacyStringAndNumberDateFunctions() {
        assertEquals(17662, eval("STRINGTODATE", s("2018-05-11Lit"), s("yyyy-MM-dd'Lit'")));
        assertEquals(18993, eval("STRINGTODATE", s("01-Jan-2022"), s("dd-MMM-yyyy")));
        assertEquals("11/05/2019", eval("DATETOSTRING", i(18027), s("dd/MM/yyyy")));
        assertEquals(1526075913000L, eval("STRINGTOTIMESTAMP", s("2018-05-11T21:58:33Z"), s("yyyy-MM-dd'T'HH:mm:ssX")));
        assertEquals(1526075913000L, eval("STRINGTOTIMESTAMP", s("2018-05-11T21:58:33z"), s("yyyy-MM-dd'T'HH:mm:ssX")));
        assertEquals(1526075913000L, eval("STRINGTOTIMESTAMP", s("2018-05-11 14:58:33"), s("yyyy-MM-dd HH:mm:ss"),
                s("America/Los_Angeles")));
        assertEquals("2018-05-11 14:58:33 PDT", eval("TIMESTAMPTOSTRING", l(1526075913000L),
                s("yyyy-MM-dd HH:mm:ss zzz"), s("America/Los_Angeles")));
        assertEquals("2018-05-11 21:58:33", eval("TIMESTAMPTOSTRING", l(1526075913000L), s("yyyy-MM-dd HH:mm:ss")));
        assertEquals(ScalarType.BIGINT, type("STRINGTOTIMESTAMP", s("x"), s("y")));
        assertThrows(FunctionException.class, () -> eval("STRINGTODATE", s("2018-05"), s("yyyy-MM-dd")));
    }
}
