package dev.sluice.grammar;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reserved-word list is a user-visible contract: names outside it never need quotes. */
class KeywordsTest {

    @Test
    void reservedWordsAreExactlyTheClauseAndOperatorKeywords() {
        assertEquals(Set.of("ALL", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CREATE", "CROSS", "DISTINCT",
                "ELSE", "EMIT", "END", "EXCEPT", "EXISTS", "FALSE", "FOR", "FROM", "FULL", "GROUP", "HAVING",
                "ILIKE", "IN", "INNER", "INTERSECT", "INTO", "IS", "JOIN", "LEFT", "LIKE", "LIMIT", "NOT", "NULL",
                "ON", "OR", "ORDER", "OUTER", "QUALIFY", "RIGHT", "SELECT", "TABLE", "THEN", "TRUE", "TRY_CAST",
                "UNION", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN"), Keywords.reserved());
    }

    @Test
    void seedColumnNamesAreNotReserved() {
        for (String name : new String[] {"timestamp", "hour", "date", "minute", "source", "status", "partition",
                "operation", "record", "query", "window_start", "count", "key", "format", "session", "interval"}) {
            assertFalse(Keywords.isReserved(name), name);
        }
        assertTrue(Keywords.isReserved("select"));
    }
}
