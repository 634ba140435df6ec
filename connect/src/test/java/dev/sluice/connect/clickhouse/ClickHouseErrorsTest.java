package dev.sluice.connect.clickhouse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClickHouse's answers as 18.16 and newer servers send them: bad data is not retried, overloads are. */
class ClickHouseErrorsTest {

    @Test
    void aParseErrorIsBadDataEvenThough1816SendsItAsHttp500() {
        ClickHouseException e = new ClickHouseException(500, null, "Code: 27, e.displayText() = DB::Exception: "
                + "Cannot parse input: expected \" before: zz\"}\n, e.what() = DB::Exception");
        assertEquals(27, e.code());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().startsWith("HTTP 500: Code: 27"), e.getMessage());
    }

    @Test
    void newerServersCodeHeaderWinsAndOverloadsAreTransient() {
        assertTrue(new ClickHouseException(500, "252", "Code: 252. DB::Exception: Too many parts").isTransient());
        assertTrue(new ClickHouseException(503, null, "").isTransient());
        assertEquals(241, new ClickHouseException(500, "241", "Code: 999").code());
        assertFalse(new ClickHouseException(404, null, "Code: 60. DB::Exception: Table x doesn't exist").isTransient());
    }

    @Test
    void versionsAndColumnTypes() {
        assertTrue(ClickHouseHttp.atLeast("22.2.1.1", 22, 2));
        assertTrue(ClickHouseHttp.atLeast("24.8.4.13", 22, 2));
        assertFalse(ClickHouseHttp.atLeast("18.16.1", 22, 2));
        assertTrue(ClickHouseSourceTask.isNumeric("Nullable(UInt64)"));
        assertTrue(ClickHouseSourceTask.isNumeric("Decimal(10, 2)"));
        assertFalse(ClickHouseSourceTask.isNumeric("DateTime"));
        assertFalse(ClickHouseSourceTask.isNumeric("LowCardinality(String)"));
    }
}
