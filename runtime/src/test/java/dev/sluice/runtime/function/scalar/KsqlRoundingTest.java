package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's ROUND and TRUNC (types, ties, negative digits, NULLs), with the results of math.json. */
class KsqlRoundingTest {

    private static ScalarFunction ksql(String name) {
        return KsqlScalarMeanings.of(name).orElseThrow();
    }

    @Test
    void roundOfADoubleIsABigintWithTiesTowardPositiveInfinity() {
        assertEquals(ScalarType.BIGINT, ksql("ROUND").returnType(List.of(dbl(1.5))));
        assertEquals(2L, evalKsql("ROUND", dbl(1.5)));
        assertEquals(-1L, evalKsql("ROUND", dbl(-1.5)));
        assertEquals(-2L, evalKsql("ROUND", dbl(-1.7)));
        assertEquals(-2.0, eval("ROUND", dbl(-1.5)), "the built-in ROUND keeps DOUBLE and rounds a tie away from zero");
        assertNull(evalKsql("ROUND", nul(ScalarType.DOUBLE)));
    }

    @Test
    void roundOfADoubleWithDigitsStaysDouble() {
        assertEquals(ScalarType.DOUBLE, ksql("ROUND").returnType(List.of(dbl(1.5), i(1))));
        assertEquals(1.23, evalKsql("ROUND", dbl(1.234567), i(2)));
        assertEquals(-1.5, evalKsql("ROUND", dbl(-1.5), i(1)));
        assertEquals(-1.0, evalKsql("ROUND", dbl(-1.5), i(0)));
        assertEquals(12350.0, evalKsql("ROUND", dbl(12345.678), i(-1)));
        assertEquals(-12300.0, evalKsql("ROUND", dbl(-12345.678), i(-2)));
        assertEquals(0.0, evalKsql("ROUND", dbl(1.2), i(-1)));
        assertNull(evalKsql("ROUND", dbl(1.2), nul(ScalarType.INTEGER)));
    }

    @Test
    void roundOfADecimal() {
        Expr.Literal big = new Expr.Literal(new BigDecimal("12345678987654321.2345678987654321"), new DecimalType(33, 16));
        assertEquals(new DecimalType(17, 0), ksql("ROUND").returnType(List.of(big)));
        assertEquals(new BigDecimal("12345678987654321"), evalKsql("ROUND", big));
        assertEquals(new DecimalType(33, 16), ksql("ROUND").returnType(List.of(big, i(1))));
        assertEquals(new BigDecimal("12345678987654321.2000000000000000"), evalKsql("ROUND", big, i(1)));
        assertEquals(new BigDecimal("12345678987654321.2345678988000000"), evalKsql("ROUND", big, i(10)));
        assertEquals(new BigDecimal("12345678987654300.0000000000000000"), evalKsql("ROUND", big, i(-2)));
        assertEquals(new BigDecimal("-1.0"), evalKsql("ROUND", dec("-1.5"), i(0)));
        assertNull(evalKsql("ROUND", nul(new DecimalType(4, 1)), i(0)));
    }

    @Test
    void roundOfAnIntegerKeepsIt() {
        assertEquals(ScalarType.INTEGER, ksql("ROUND").returnType(List.of(i(5))));
        assertEquals(5, evalKsql("ROUND", i(5)));
        assertEquals(7L, evalKsql("ROUND", l(7)));
    }

    @Test
    void truncCutsTowardZero() {
        assertEquals(ScalarType.BIGINT, ksql("TRUNC").returnType(List.of(dbl(1.7))));
        assertEquals(ScalarType.BIGINT, ksql("TRUNC").returnType(List.of(i(1))));
        assertEquals(-1L, evalKsql("TRUNC", dbl(-1.7)));
        assertEquals(12345L, evalKsql("TRUNC", i(12345)));
        assertEquals(-12345.67, evalKsql("TRUNC", dbl(-12345.678), i(2)));
        assertEquals(-12340.0, evalKsql("TRUNC", dbl(-12345.678), i(-1)));
        assertEquals(new DecimalType(5, 0), ksql("TRUNC").returnType(List.of(new Expr.Literal(null, new DecimalType(12, 7)))));
        assertEquals(new BigDecimal("-12345.6000000"),
                evalKsql("TRUNC", new Expr.Literal(new BigDecimal("-12345.6780000"), new DecimalType(12, 7)), i(1)));
        assertEquals(new BigDecimal("1"), evalKsql("TRUNC", dec("1.7")));
        assertNull(evalKsql("TRUNC", nul(ScalarType.INTEGER)));
        assertNull(evalKsql("TRUNC", dbl(1.5), nul(ScalarType.INTEGER)));
    }
}
