package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class CastFunctionTest {
    /** 2024-01-31T10:15:30Z in epoch millis: 1704067200000 (2024-01-01) + 30 days + 10:15:30. */
    private static final long JAN_31_101530 = 1704067200000L + 30 * 86_400_000L + (10 * 3600 + 15 * 60 + 30) * 1000L;

    @Test
    void varcharToNumbers() {
        assertEquals(42, cast(s("42"), ScalarType.INTEGER));
        assertEquals(42, cast(s(" 42 "), ScalarType.INTEGER));
        assertEquals(-7L, cast(s("-7"), ScalarType.BIGINT));
        assertEquals(1, cast(s("1.9"), ScalarType.INTEGER));
        assertEquals(1.5, cast(s("1.5"), ScalarType.DOUBLE));
        assertEquals(new BigDecimal("1.26"), cast(s("1.255"), decimal(5, 2)));
    }

    @Test
    void unparseableTextFailsAndTryCastGivesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cast(s("abc"), ScalarType.INTEGER));
        assertEquals("cannot cast 'abc' to INTEGER: not a number", e.getMessage());
        assertNull(tryCast(s("abc"), ScalarType.INTEGER));
        assertNull(tryCast(s("2024-13-01"), ScalarType.DATE));
        assertEquals(5, tryCast(s("5"), ScalarType.INTEGER));
    }

    @Test
    void doubleToIntegerTruncatesTowardZero() {
        assertEquals(3, cast(dbl(3.99), ScalarType.INTEGER));
        assertEquals(-3, cast(dbl(-3.99), ScalarType.INTEGER));
        assertEquals(3L, cast(dec("3.99"), ScalarType.BIGINT));
        assertThrows(ArithmeticException.class, () -> cast(dbl(1e10), ScalarType.INTEGER));
        assertThrows(ArithmeticException.class, () -> cast(l(1L << 40), ScalarType.INTEGER));
        assertNull(tryCast(dbl(1e10), ScalarType.INTEGER));
    }

    @Test
    void toDecimalRoundsHalfUpAndRejectsOverflow() {
        assertEquals(new BigDecimal("1.01"), cast(dbl(1.005), decimal(5, 2)));
        assertEquals(new BigDecimal("-1.01"), cast(dbl(-1.005), decimal(5, 2)));
        assertEquals(new BigDecimal("123.5"), cast(dec("123.45"), decimal(4, 1)));
        assertThrows(ArithmeticException.class, () -> cast(dec("123.45"), decimal(4, 2)));
        assertEquals(new BigDecimal("7.00"), cast(i(7), decimal(3, 2)));
    }

    @Test
    void timestampsFromText() {
        assertEquals(JAN_31_101530, cast(s("2024-01-31 10:15:30"), ScalarType.TIMESTAMP));
        assertEquals(JAN_31_101530, cast(s("2024-01-31T10:15:30Z"), ScalarType.TIMESTAMP));
        assertEquals(JAN_31_101530, cast(s("2024-01-31T12:15:30+02:00"), ScalarType.TIMESTAMP));
        assertEquals(JAN_31_101530 + 500, cast(s("2024-01-31 10:15:30.5"), ScalarType.TIMESTAMP));
        assertEquals(JAN_31_101530 + 123, cast(s("2024-01-31T10:15:30.123456Z"), ScalarType.TIMESTAMP));
        assertEquals(1704067200000L, cast(s("2024-01-01"), ScalarType.TIMESTAMP));
        assertThrows(IllegalArgumentException.class, () -> cast(s("31/01/2024"), ScalarType.TIMESTAMP));
    }

    @Test
    void timestampsToTextUseFlinksFormat() {
        Expr.Literal t = new Expr.Literal(JAN_31_101530 + 5, ScalarType.TIMESTAMP);
        assertEquals("2024-01-31 10:15:30.005", cast(t, ScalarType.VARCHAR));
        assertEquals("2024-01-31", cast(new Expr.Literal(19753, ScalarType.DATE), ScalarType.VARCHAR));
        assertEquals("+0 00:30:00.000", cast(interval(1_800_000), ScalarType.VARCHAR));
        assertEquals("-1 01:00:00.250", cast(interval(-(86_400_000L + 3_600_000L + 250)), ScalarType.VARCHAR));
    }

    @Test
    void datesAndTimestampsConvert() {
        assertEquals(19753, cast(s("2024-01-31"), ScalarType.DATE));
        assertEquals(19753, cast(new Expr.Literal(JAN_31_101530, ScalarType.TIMESTAMP), ScalarType.DATE));
        assertEquals(19753 * 86_400_000L, cast(new Expr.Literal(19753, ScalarType.DATE), ScalarType.TIMESTAMP));
        assertEquals(JAN_31_101530, cast(new Expr.Literal(JAN_31_101530, ScalarType.TIMESTAMP), ScalarType.BIGINT));
        assertEquals(-1, cast(new Expr.Literal(-1L, ScalarType.TIMESTAMP), ScalarType.DATE));
    }

    @Test
    void scalarsToText() {
        assertEquals("TRUE", cast(b(true), ScalarType.VARCHAR));
        assertEquals("1.50", cast(dec("1.50"), ScalarType.VARCHAR));
        assertEquals("0.000010", cast(dec("0.000010"), ScalarType.VARCHAR));
        assertEquals("1.5", cast(dbl(1.5), ScalarType.VARCHAR));
        assertEquals("42", cast(l(42), ScalarType.VARCHAR));
        assertEquals(false, cast(s("false"), ScalarType.BOOLEAN));
        assertEquals(true, cast(s("TRUE"), ScalarType.BOOLEAN));
        assertThrows(IllegalArgumentException.class, () -> cast(s("maybe"), ScalarType.BOOLEAN));
    }

    @Test
    void variantToScalarsLikeSnowflake() {
        assertEquals("ok", cast(variant("\"ok\""), ScalarType.VARCHAR));
        assertEquals("{\"a\":1}", cast(variant("{\"a\":1}"), ScalarType.VARCHAR));
        assertEquals(12, cast(variant("12"), ScalarType.INTEGER));
        assertEquals(12, cast(variant("\"12\""), ScalarType.INTEGER));
        assertEquals(new BigDecimal("12.35"), cast(variant("12.345"), decimal(5, 2)));
        assertEquals(true, cast(variant("true"), ScalarType.BOOLEAN));
        assertNull(cast(variant("null"), ScalarType.INTEGER));
        assertEquals(List.of(1L, 2L), cast(variant("[1, 2]"), new ArrayType(ScalarType.BIGINT)));
    }

    @Test
    void varcharToVariantParsesJson() {
        JsonNode node = (JsonNode) cast(s("{\"a\": [1, \"x\"]}"), ScalarType.VARIANT);
        assertEquals("x", node.get("a").get(1).textValue());
        assertThrows(IllegalArgumentException.class, () -> cast(s("{oops"), ScalarType.VARIANT));
        assertNull(tryCast(s("{oops"), ScalarType.VARIANT));
    }

    @Test
    void castTakesTheTargetFromTheCallNotFromReturnType() {
        FunctionException e = assertThrows(FunctionException.class, () -> fn("CAST").returnType(List.of(i(1))));
        assertTrue(e.getMessage().startsWith("CAST takes its target type from the call"), e.getMessage());
        FunctionException bad = assertThrows(FunctionException.class,
                () -> fn("CAST").implement(List.of(b(true)), ScalarType.DATE));
        assertEquals("CAST cannot convert BOOLEAN to DATE", bad.getMessage());
    }

    @Test
    void castMatrix() {
        assertTrue(TypeRules.canCast(ScalarType.VARCHAR, ScalarType.TIMESTAMP));
        assertTrue(TypeRules.canCast(ScalarType.DOUBLE, decimal(10, 2)));
        assertTrue(TypeRules.canCast(ScalarType.VARIANT, new ArrayType(ScalarType.VARCHAR)));
        assertTrue(TypeRules.canCast(new ArrayType(ScalarType.INTEGER), new ArrayType(ScalarType.VARCHAR)));
        assertTrue(TypeRules.canCast(ScalarType.NULL, ScalarType.DATE));
        assertFalse(TypeRules.canCast(ScalarType.VARCHAR, new ArrayType(ScalarType.VARCHAR)));
        assertFalse(TypeRules.canCast(ScalarType.BOOLEAN, ScalarType.DATE));
        assertFalse(TypeRules.canCast(ScalarType.DOUBLE, ScalarType.TIMESTAMP));
    }

    @Test
    void arraysCastElementWise() {
        Expr.Literal array = new Expr.Literal(List.of(1, 2), new ArrayType(ScalarType.INTEGER));
        assertEquals(List.of("1", "2"), cast(array, new ArrayType(ScalarType.VARCHAR)));
        assertEquals("[1, 2]", cast(array, ScalarType.VARCHAR));
    }

    @Test
    void ksqlCastOfAStructMatchesFieldsByNameAndWritesConnectsText() {
        var from = new dev.sluice.serdes.row.StructType(List.of(new dev.sluice.serdes.row.Column("F0", ScalarType.BIGINT),
                new dev.sluice.serdes.row.Column("f1", ScalarType.INTEGER)));
        var to = new dev.sluice.serdes.row.StructType(List.of(new dev.sluice.serdes.row.Column("F3", ScalarType.VARCHAR),
                new dev.sluice.serdes.row.Column("F0", ScalarType.VARCHAR)));
        assertFalse(TypeRules.canCast(from, to, false) && from.fields().size() != to.fields().size());
        assertTrue(TypeRules.canCast(from, to, true));
        var value = new dev.sluice.serdes.row.Row(new Object[]{1L, null});
        assertEquals(new dev.sluice.serdes.row.Row(new Object[]{null, "1"}), Casts.converter(from, to, true).apply(value));
        assertEquals("Struct{F0=1}", Casts.converter(from, ScalarType.VARCHAR, true).apply(value));
        assertEquals("Struct{F0=1,f1=3}", Casts.converter(from, ScalarType.VARCHAR, true)
                .apply(new dev.sluice.serdes.row.Row(new Object[]{1L, 3})));
        assertEquals("(1, NULL)", Casts.converter(from, ScalarType.VARCHAR, false).apply(value)); // Flink's
    }
}
