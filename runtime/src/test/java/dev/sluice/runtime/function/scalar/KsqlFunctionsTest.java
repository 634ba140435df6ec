package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's functions with its argument forms and NULL handling (expected values from ksqlDB's docs). */
class KsqlFunctionsTest {

    @Test
    void instrTakesTwoThreeOrFourArgumentsAndCountsBackwardsFromANegativePosition() {
        assertEquals(2, eval("INSTR", s("CORPORATE FLOOR"), s("OR")));
        assertEquals(5, eval("INSTR", s("CORPORATE FLOOR"), s("OR"), i(3)));
        assertEquals(14, eval("INSTR", s("CORPORATE FLOOR"), s("OR"), i(3), i(2)));
        assertEquals(2, eval("INSTR", s("CORPORATE FLOOR"), s("OR"), i(-3), i(2)));
        assertEquals(0, eval("INSTR", s("CORPORATE FLOOR"), s("OR"), i(-3), i(5)));
        assertEquals(0, eval("INSTR", s("CORPORATE FLOOR"), s("MISSING")));
        assertEquals(0, eval("INSTR", s("abc"), s("a"), i(10)));
    }

    @Test
    void instrOfNullIsZeroNotNull() {
        assertEquals(0, eval("INSTR", nul(ScalarType.VARCHAR), s("a")));
        assertEquals(0, eval("INSTR", s("abc"), nul(ScalarType.VARCHAR)));
        assertEquals(ScalarType.INTEGER, type("INSTR", s("a"), s("b"), i(1), i(1)));
    }

    @Test
    void splitKeepsEmptyPartsAndSplitsIntoCharactersOnAnEmptyDelimiter() {
        assertEquals(List.of("a", "b", "", "c", ""), eval("SPLIT", s("a,b,,c,"), s(",")));
        assertEquals(List.of("a", "b", "c"), eval("SPLIT", s("abc"), s("")));
        assertEquals(List.of("a.b"), eval("SPLIT", s("a.b"), s("|")));
        assertEquals(List.of(""), eval("SPLIT", s(""), s(",")));
        assertNull(eval("SPLIT", nul(ScalarType.VARCHAR), s(",")));
        assertNull(eval("SPLIT", s("a"), nul(ScalarType.VARCHAR)));
        assertEquals(new ArrayType(ScalarType.VARCHAR), type("SPLIT", s("a"), s(",")));
    }

    @Test
    void arrayLengthCountsElementsAndIsNullForANullArray() {
        var ints = ref(0, new ArrayType(ScalarType.INTEGER));
        assertEquals(3, evalWith("ARRAY_LENGTH", List.of(ints), Arrays.asList(1, null, 3)));
        assertEquals(0, evalWith("ARRAY_LENGTH", List.of(ints), List.of()));
        assertNull(evalWith("ARRAY_LENGTH", List.of(ints), (Object) null));
        assertThrows(FunctionException.class, () -> type("ARRAY_LENGTH", s("x")));
    }

    @Test
    void arrayJoinUsesACommaByDefaultAndWritesNullElementsAsNull() {
        var ints = ref(0, new ArrayType(ScalarType.INTEGER));
        var delimiter = ref(1, ScalarType.VARCHAR);
        assertEquals("1,null,3", evalWith("ARRAY_JOIN", List.of(ints), Arrays.asList(1, null, 3)));
        assertEquals("1 - 2", evalWith("ARRAY_JOIN", List.of(ints, delimiter), List.of(1, 2), " - "));
        assertEquals("12", evalWith("ARRAY_JOIN", List.of(ints, delimiter), List.of(1, 2), null));
        assertNull(evalWith("ARRAY_JOIN", List.of(ints), (Object) null));
    }

    @Test
    void arrayContainsMatchesNumbersByValueAndNullArraysContainNothing() {
        var longs = ref(0, new ArrayType(ScalarType.BIGINT));
        var value = ref(1, ScalarType.INTEGER);
        assertEquals(true, evalWith("ARRAY_CONTAINS", List.of(longs, value), List.of(1L, 2L), 2));
        assertEquals(false, evalWith("ARRAY_CONTAINS", List.of(longs, value), List.of(1L, 2L), 3));
        assertEquals(true, evalWith("ARRAY_CONTAINS", List.of(longs, value), Arrays.asList(1L, null), null));
        assertEquals(false, evalWith("ARRAY_CONTAINS", List.of(longs, value), null, 1));
    }

    @Test
    void greatestAndLeastIgnoringNullsSkipNullArgumentsWhereFlinksFormIsNull() {
        assertEquals(3, eval("GREATEST_IGNORE_NULLS", i(1), nul(ScalarType.INTEGER), i(3)));
        assertEquals(1L, eval("LEAST_IGNORE_NULLS", nul(ScalarType.BIGINT), i(1), l(3)));
        assertNull(eval("GREATEST_IGNORE_NULLS", nul(ScalarType.INTEGER), nul(ScalarType.INTEGER)));
        assertNull(eval("GREATEST", i(1), nul(ScalarType.INTEGER), i(3)));
    }
}
