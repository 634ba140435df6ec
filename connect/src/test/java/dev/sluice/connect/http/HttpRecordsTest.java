package dev.sluice.connect.http;

import dev.sluice.connect.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an HTTP answer's records are: array elements or lines, unchanged, and what counts as transient. */
class HttpRecordsTest {

    @Test
    void aJsonArrayGivesEachElementAsItsRawText() {
        assertEquals(List.of("{\"a\":1,\"s\":\"x, ]\"}", "{\"b\":[1,{\"c\":2}]}", "\"text\""),
                HttpSourceTask.records(" [ {\"a\":1,\"s\":\"x, ]\"} ,{\"b\":[1,{\"c\":2}]},\"text\"]\n", "auto"));
        assertEquals(List.of(), HttpSourceTask.records("[]", "auto"));
        assertThrows(IllegalArgumentException.class, () -> Json.arrayElements("[{\"a\":1}"));
    }

    @Test
    void jsonLinesGiveEachNonBlankLine() {
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), HttpSourceTask.records("{\"a\":1}\n\n  {\"a\":2}\r\n", "auto"));
        assertEquals(List.of("[1]", "[2]"), HttpSourceTask.records("[1]\n[2]\n", "jsonl"), "jsonl forces lines");
    }

    @Test
    void incrementalValuesCompareAsNumbersWhenTheyAreNumbers() {
        assertTrue(HttpSourceTask.compare("10", "9") > 0);
        assertTrue(HttpSourceTask.compare("2024-01-15T10:00:00Z", "2024-01-15T09:00:00Z") > 0);
    }

    @Test
    void serverErrorsTimeoutsAndThrottlingAreRetriedClientErrorsAreNot() {
        assertTrue(HttpSourceTask.isTransient(new HttpStatusException("u", 503, "")));
        assertTrue(HttpSourceTask.isTransient(new HttpStatusException("u", 429, "")));
        assertTrue(HttpSourceTask.isTransient(new java.net.ConnectException("refused")));
        assertTrue(!HttpSourceTask.isTransient(new HttpStatusException("u", 404, "")));
        assertTrue(!HttpSourceTask.isTransient(new HttpStatusException("u", 401, "")));
    }
}
