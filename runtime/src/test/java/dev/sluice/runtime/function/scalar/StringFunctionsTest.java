package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class StringFunctionsTest {

    @Test
    void substringOfBytesCountsBytes() {
        Expr.Literal b = new Expr.Literal("some_string".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ScalarType.BYTES);
        assertEquals(ScalarType.BYTES, type("SUBSTRING", b, i(6)));
        assertArrayEquals("string".getBytes(java.nio.charset.StandardCharsets.UTF_8), (byte[]) eval("SUBSTRING", b, i(6)));
        assertArrayEquals("str".getBytes(java.nio.charset.StandardCharsets.UTF_8), (byte[]) eval("SUBSTRING", b, i(6), i(3)));
        assertArrayEquals("ing".getBytes(java.nio.charset.StandardCharsets.UTF_8), (byte[]) eval("SUBSTRING", b, i(-3)));
        assertArrayEquals(new byte[0], (byte[]) eval("SUBSTRING", b, i(20)));
    }

    @Test
    void substringIsOneBasedLikeFlink() {
        assertEquals("ell", eval("SUBSTRING", s("hello"), i(2), i(3)));
        assertEquals("ello", eval("SUBSTR", s("hello"), i(2)));
        assertEquals("hello", eval("SUBSTRING", s("hello"), i(1), i(100)));
        assertEquals("", eval("SUBSTRING", s("hello"), i(10)));
    }

    @Test
    void substringEdgeCasesFollowFlink() {
        assertEquals("hel", eval("SUBSTRING", s("hello"), i(0), i(3)));
        assertEquals("llo", eval("SUBSTRING", s("hello"), i(-3)));
        assertEquals("ll", eval("SUBSTRING", s("hello"), i(-3), i(2)));
        assertEquals("", eval("SUBSTRING", s("hello"), i(-10), i(2)));
        assertEquals("", eval("SUBSTRING", s("hello"), i(2), i(0)));
        assertNull(eval("SUBSTRING", s("hello"), i(2), i(-1)));
        assertNull(eval("SUBSTRING", nul(ScalarType.VARCHAR), i(2)));
    }

    @Test
    void lengthsAndPositionsCountCodePoints() {
        assertEquals(3, eval("CHAR_LENGTH", s("a😀b")));
        assertEquals(3, eval("LENGTH", s("a😀b")));
        assertEquals("😀", eval("SUBSTRING", s("a😀b"), i(2), i(1)));
        assertEquals(3, eval("POSITION", s("b"), s("a😀b")));
        assertEquals("b😀a", eval("REVERSE", s("a😀b")));
    }

    @Test
    void substringTypeErrorSpellsTheSignature() {
        FunctionException e = assertThrows(FunctionException.class, () -> type("SUBSTRING", l(1)));
        assertEquals("SUBSTRING expects (VARCHAR, INTEGER[, INTEGER]), got (BIGINT)", e.getMessage());
        FunctionException upper = assertThrows(FunctionException.class, () -> type("UPPER", l(1)));
        assertEquals("UPPER expects (VARCHAR), got (BIGINT)", upper.getMessage());
    }

    @Test
    void concatIsNullIfAnyArgumentIsNull() {
        assertNull(eval("CONCAT", s("a"), nul(ScalarType.VARCHAR)));
        assertEquals("a1TRUE", eval("CONCAT", s("a"), i(1), b(true)));
        assertEquals("ab", eval("||", s("a"), s("b")));
        assertNull(eval("||", s("a"), nul(ScalarType.VARCHAR)));
        assertEquals("a-b", eval("CONCAT_WS", s("-"), s("a"), nul(ScalarType.VARCHAR), s("b")));
        assertNull(eval("CONCAT_WS", nul(ScalarType.VARCHAR), s("a")));
    }

    @Test
    void caseAndTrim() {
        assertEquals("ABC", eval("UPPER", s("abc")));
        assertEquals("abc", eval("lower", s("ABC")));
        assertEquals("Hello World-Foo 2nd", eval("INITCAP", s("hello wORLD-foo 2nd")));
        assertEquals("x", eval("TRIM", s("  x  ")));
        assertEquals("x  ", eval("LTRIM", s("  x  ")));
        assertEquals("  x", eval("RTRIM", s("  x  ")));
        assertEquals("\tx", eval("TRIM", s("\tx ")));
        assertEquals("a", eval("TRIM", s("xxaxx"), s("x")));
    }

    @Test
    void padding() {
        assertEquals("007", eval("LPAD", s("7"), i(3), s("0")));
        assertEquals("hel", eval("LPAD", s("hello"), i(3)));
        assertEquals("   hi", eval("LPAD", s("hi"), i(5)));
        assertEquals("abxyx", eval("RPAD", s("ab"), i(5), s("xy")));
        assertEquals("", eval("RPAD", s("ab"), i(-1), s("xy")));
    }

    @Test
    void searching() {
        assertEquals(4, eval("POSITION", s("lo"), s("hello")));
        assertEquals(0, eval("STRPOS", s("hello"), s("z")));
        assertEquals(4, eval("STRPOS", s("hello"), s("lo")));
        assertEquals(4, eval("LOCATE", s("l"), s("hello"), i(4)));
        assertEquals(true, eval("STARTS_WITH", s("hello"), s("he")));
        assertEquals(false, eval("ENDS_WITH", s("hello"), s("he")));
        assertEquals("a-b-", eval("REPLACE", s("aXbX"), s("X"), s("-")));
    }

    @Test
    void splitPartFollowsPostgres() {
        assertEquals("b", eval("SPLIT_PART", s("a,b,c"), s(","), i(2)));
        assertEquals("", eval("SPLIT_PART", s("a,b,c"), s(","), i(4)));
        assertEquals("c", eval("SPLIT_PART", s("a,b,c"), s(","), i(-1)));
        assertEquals("", eval("SPLIT_PART", s("a,,c"), s(","), i(2)));
        assertThrows(IllegalArgumentException.class, () -> eval("SPLIT_PART", s("a,b"), s(","), i(0)));
        assertEquals("b", eval("SPLIT_INDEX", s("a,b,c"), s(","), i(1)));
        assertNull(eval("SPLIT_INDEX", s("a,b,c"), s(","), i(3)));
    }

    @Test
    void regularExpressions() {
        assertEquals("a#b#", eval("REGEXP_REPLACE", s("a1b22"), s("\\d+"), s("#")));
        assertEquals("123", eval("REGEXP_EXTRACT", s("order-123-x"), s("order-(\\d+)"), i(1)));
        assertEquals("order-123", eval("REGEXP_EXTRACT", s("order-123-x"), s("order-(\\d+)")));
        assertNull(eval("REGEXP_EXTRACT", s("nothing"), s("order-(\\d+)"), i(1)));
        assertThrows(FunctionException.class,
                () -> fn("REGEXP_EXTRACT").implement(java.util.List.of(s("x"), s("(a)"), i(2)), ScalarType.VARCHAR));
    }

    @Test
    void leftRightRepeat() {
        assertEquals("he", eval("LEFT", s("hello"), i(2)));
        assertEquals("hel", eval("LEFT", s("hello"), i(-2)));
        assertEquals("lo", eval("RIGHT", s("hello"), i(2)));
        assertEquals("llo", eval("RIGHT", s("hello"), i(-2)));
        assertEquals("abab", eval("REPEAT", s("ab"), i(2)));
        assertEquals(97, eval("ASCII", s("abc")));
        assertEquals("A", eval("CHR", i(65)));
    }
}
