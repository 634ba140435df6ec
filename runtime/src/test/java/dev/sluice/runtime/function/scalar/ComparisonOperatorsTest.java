package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.StructType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class ComparisonOperatorsTest {

    @Test
    void numbersCompareByValueAcrossTypes() {
        assertEquals(true, eval("=", i(1), dec("1.00")));
        assertEquals(true, eval("=", l(2), dbl(2.0)));
        assertEquals(true, eval("<", i(1), dec("1.01")));
        assertEquals(false, eval(">=", dbl(0.5), i(1)));
        assertEquals(true, eval("<>", i(1), l(2)));
        assertEquals(true, eval("=", dbl(-0.0), dbl(0.0)));
    }

    @Test
    void comparisonWithNullIsNull() {
        assertNull(eval("=", i(1), nul()));
        assertNull(eval("<", nul(ScalarType.VARCHAR), s("a")));
    }

    @Test
    void stringsTimestampsDatesAndBooleansCompare() {
        assertEquals(true, eval("<", s("abc"), s("abd")));
        assertEquals(true, eval(">", ts("2024-01-01 00:00:01"), ts("2024-01-01 00:00:00")));
        assertEquals(true, eval("=", date("2024-01-01"), ts("2024-01-01 00:00:00")));
        assertEquals(true, eval("<", date("2024-01-01"), ts("2024-01-01 00:00:01")));
        assertEquals(true, eval("<", b(false), b(true)));
    }

    @Test
    void varcharIsCastToTheOtherOperandsType() {
        assertEquals(true, eval(">", ts("2024-01-01 10:00:00"), s("2024-01-01 09:59:59")));
        assertEquals(true, eval("=", i(42), s("42")));
        assertEquals(false, eval("=", i(42), s("42.5")));
        assertThrows(IllegalArgumentException.class, () -> eval("=", i(42), s("forty-two")));
    }

    @Test
    void variantIsCastToTheScalarOperandsType() {
        assertEquals(true, eval("=", variant("\"ok\""), s("ok")));
        assertEquals(true, eval(">", variant("12.5"), i(12)));
        assertNull(eval("=", variant("null"), s("ok")));
        assertEquals(true, eval("=", variant("{\"a\":[1,2]}"), variant("{\"a\":[1,2]}")));
    }

    @Test
    void incomparableTypesAreRejectedWithBothTypesNamed() {
        FunctionException e = assertThrows(FunctionException.class,
                () -> type("=", b(true), ts("2024-01-01 00:00:00")));
        assertEquals("= cannot compare BOOLEAN with TIMESTAMP(3)", e.getMessage());
        Expr array = ref(0, new ArrayType(ScalarType.INTEGER));
        assertEquals(ScalarType.BOOLEAN, type("=", array, array));
        assertThrows(FunctionException.class, () -> type("<", array, array));
    }

    @Test
    void structsEqualWhateverTheirFieldsSayAboutNull_butNotAcrossNamesOrOrdering() {
        StructType registered = new StructType(List.of(new Column("K", ScalarType.VARCHAR, false)));
        StructType built = new StructType(List.of(new Column("K", ScalarType.VARCHAR)));
        List<Expr> args = List.of(ref(0, registered), ref(1, built));
        assertEquals(true, evalWith("=", args, Row.of("falcon"), Row.of("falcon")));
        assertEquals(false, evalWith("=", args, Row.of("falcon"), Row.of("turtle")));
        Expr array = ref(0, new ArrayType(registered));
        assertEquals(ScalarType.BOOLEAN, type("=", array, ref(1, new ArrayType(built))));
        assertThrows(FunctionException.class, () -> type("=", ref(0, registered),
                ref(1, new StructType(List.of(new Column("J", ScalarType.VARCHAR))))));
        assertThrows(FunctionException.class, () -> type("<", ref(0, registered), ref(1, built)));
    }

    @Test
    void inIsThreeValued() {
        assertEquals(true, eval("IN", i(1), i(1), nul(ScalarType.INTEGER)));
        assertNull(eval("IN", i(2), i(1), nul(ScalarType.INTEGER)));
        assertEquals(false, eval("IN", i(2), i(1), i(3)));
        assertNull(eval("IN", nul(ScalarType.INTEGER), i(1)));
        assertEquals(true, eval("IN", s("b"), s("a"), s("b")));
        assertEquals(true, eval("IN", l(3), i(1), i(3)));
        assertEquals(true, eval("IN", i(3), dec("3.0")));
    }

    @Test
    void inWithColumnElementsIsThreeValued() {
        List<Expr> args = List.of(ref(0, ScalarType.INTEGER), ref(1, ScalarType.INTEGER), ref(2, ScalarType.BIGINT));
        assertEquals(true, evalWith("IN", args, 5, null, 5L));
        assertNull(evalWith("IN", args, 5, null, 6L));
        assertEquals(false, evalWith("IN", args, 5, 4, 6L));
        assertNull(evalWith("IN", args, null, 4, 6L));
    }

    @Test
    void betweenIsGreaterOrEqualAndLessOrEqualWithAndsNullRules() {
        assertEquals(true, eval("BETWEEN", i(5), i(1), i(10)));
        assertEquals(true, eval("BETWEEN", i(1), i(1), i(10)));
        assertEquals(true, eval("BETWEEN", i(10), i(1), i(10)));
        assertEquals(false, eval("BETWEEN", i(11), i(1), i(10)));
        assertNull(eval("BETWEEN", i(5), i(1), nul(ScalarType.INTEGER)));
        assertEquals(false, eval("BETWEEN", i(0), i(1), nul(ScalarType.INTEGER)));
        assertEquals(false, eval("BETWEEN", i(20), nul(ScalarType.INTEGER), i(10)));
        assertNull(eval("BETWEEN", nul(ScalarType.INTEGER), i(1), i(10)));
    }

    @Test
    void isDistinctFromTreatsNullsAsEqual() {
        assertEquals(false, eval("IS DISTINCT FROM", nul(ScalarType.INTEGER), nul(ScalarType.INTEGER)));
        assertEquals(true, eval("IS DISTINCT FROM", i(1), nul(ScalarType.INTEGER)));
        assertEquals(false, eval("IS NOT DISTINCT FROM", i(1), nul(ScalarType.INTEGER)));
        assertEquals(false, eval("IS DISTINCT FROM", i(1), dec("1.0")));
    }

    @Test
    void greatestAndLeastUseTheCommonTypeAndAreNullOnAnyNull() {
        assertEquals(decimal(11, 1), type("GREATEST", i(1), dec("2.5")));
        assertEquals(new BigDecimal("2.5"), eval("GREATEST", i(1), dec("2.5")));
        assertEquals(new BigDecimal("1.0"), eval("LEAST", i(1), dec("2.5")));
        assertEquals("b", eval("GREATEST", s("a"), s("b")));
        assertNull(eval("GREATEST", i(1), nul(ScalarType.INTEGER)));
        assertThrows(FunctionException.class, () -> type("GREATEST", i(1), s("a")));
    }

    @Test
    void nullIfReturnsNullOnlyWhenEqual() {
        assertNull(eval("NULLIF", i(1), i(1)));
        assertEquals(1, eval("NULLIF", i(1), i(2)));
        assertEquals(1, eval("NULLIF", i(1), nul(ScalarType.INTEGER)));
        assertNull(eval("NULLIF", nul(ScalarType.INTEGER), i(1)));
        assertEquals(ScalarType.INTEGER, type("NULLIF", i(1), l(2)));
    }

    @Test
    void ifNullPicksTheFirstNonNull() {
        assertEquals(2L, eval("IFNULL", nul(ScalarType.INTEGER), l(2)));
        assertEquals(1L, eval("NVL", i(1), l(2)));
    }
}
