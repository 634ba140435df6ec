package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's INITCAP, REGEXP_EXTRACT, LPAD and RPAD, CHR(text) and SPLIT(bytes), with the results of its QTT files. */
class KsqlStringMeaningsTest {

    @Test
    void ksqlInitcapStartsWordsAfterWhiteSpaceOnly() {
        assertEquals("Some_string", evalKsql("INITCAP", s("some_string")));
        assertEquals("The   Quick Br0wn Fox", evalKsql("INITCAP", s("the   Quick br0wn fOx")));
        assertEquals("Some_String", eval("INITCAP", s("some_string"))); // Flink's, unchanged
    }

    @Test
    void ksqlRegexpExtractTakesThePatternFirst() {
        assertEquals("test_", evalKsql("REGEXP_EXTRACT", s("test."), s("some_test_string")));
        assertNull(evalKsql("REGEXP_EXTRACT", s("test."), s("anothertest")));
        assertEquals("zhang", evalKsql("REGEXP_EXTRACT", s("(.*) (.*)"), s("steven zhang"), i(2)));
        assertNull(evalKsql("REGEXP_EXTRACT", s("(.*) (.*)"), s("agavra"), i(2)));
        assertNull(evalKsql("REGEXP_EXTRACT", s("(.*)"), s("x"), i(3)));
        assertEquals("test_", eval("REGEXP_EXTRACT", s("some_test_string"), s("test."))); // Flink's order
    }

    @Test
    void ksqlPadsTextAndBytesAndIsNullForANegativeLengthOrAnEmptyPadding() {
        assertEquals("BarBfoo", evalKsql("LPAD", s("foo"), i(7), s("Bar")));
        assertEquals("fooBa", evalKsql("RPAD", s("foo"), i(5), s("Bar")));
        assertEquals("fo", evalKsql("LPAD", s("foo"), i(2), s("Bar")));
        assertNull(evalKsql("LPAD", s("foo"), i(-1), s("Bar")));
        assertNull(evalKsql("RPAD", s("foo"), i(7), s("")));
        assertEquals("foo", eval("LPAD", s("foo"), i(7), s(""))); // Sluice's Flink form, unchanged
        Expr.Literal yes = new Expr.Literal("yes".getBytes(StandardCharsets.UTF_8), ScalarType.BYTES);
        Expr.Literal no = new Expr.Literal("no".getBytes(StandardCharsets.UTF_8), ScalarType.BYTES);
        assertEquals(ScalarType.BYTES, KsqlScalarMeanings.of("LPAD").orElseThrow().returnType(List.of(yes, i(8), no)));
        assertEquals("nonoyes", new String((byte[]) evalKsql("LPAD", yes, i(7), no), StandardCharsets.UTF_8));
        assertEquals("yesnono", new String((byte[]) evalKsql("RPAD", yes, i(7), no), StandardCharsets.UTF_8));
        assertEquals("ye", new String((byte[]) evalKsql("RPAD", yes, i(2), no), StandardCharsets.UTF_8));
        assertNull(evalKsql("LPAD", yes, i(3), new Expr.Literal(new byte[0], ScalarType.BYTES)));
        assertNull(evalKsql("RPAD", yes, i(-1), no));
    }

    @Test
    void chrOfUtf16EscapeText() {
        assertEquals("K", eval("CHR", s("\\u004b")));
        assertEquals("\u597d", eval("CHR", s("\\u597d")));
        assertEquals("\ud820\udeb8", eval("CHR", s("\\ud820\\udeb8")));
        assertNull(eval("CHR", s("75")));
        assertNull(eval("CHR", s("004b")));
        assertNull(eval("CHR", s("")));
        assertEquals("K", eval("CHR", i(75)));
        assertEquals(ScalarType.VARCHAR, type("CHR", s("\\u004b")));
    }

    @Test
    void splitOfBytesAndOfEmptyText() {
        Expr.Literal bytes = new Expr.Literal("..a..".getBytes(StandardCharsets.UTF_8), ScalarType.BYTES);
        Expr.Literal dot = new Expr.Literal(".".getBytes(StandardCharsets.UTF_8), ScalarType.BYTES);
        Expr.Literal none = new Expr.Literal(new byte[0], ScalarType.BYTES);
        assertEquals(new ArrayType(ScalarType.BYTES), type("SPLIT", bytes, dot));
        assertEquals(List.of("", "", "a", "", ""), texts(eval("SPLIT", bytes, dot)));
        assertEquals(List.of(".", ".", "a", ".", "."), texts(eval("SPLIT", bytes, none)));
        assertEquals(List.of(""), texts(eval("SPLIT", none, dot)));
        assertEquals(List.of(""), texts(eval("SPLIT", none, none)));
        assertEquals(List.of(""), eval("SPLIT", s(""), s("")));
        assertEquals(List.of("a", "b"), eval("SPLIT", s("ab"), s("")));
    }

    private static List<String> texts(Object byteParts) {
        return ((List<?>) byteParts).stream().map(b -> new String((byte[]) b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void ksqlLogUnixTimestampAndField() {
        assertEquals(Double.NaN, evalKsql("LOG", i(0), i(13)));
        assertEquals(Double.NaN, evalKsql("LOG", i(1), i(13)));
        assertEquals(Double.NaN, evalKsql("LOG", i(15), i(-13)));
        assertEquals(Double.NEGATIVE_INFINITY, evalKsql("LOG", i(15), i(0)));
        assertEquals(0.9471572411831843, evalKsql("LOG", i(15), i(13)));
        assertEquals(1589234313000L, evalKsql("UNIX_TIMESTAMP", new Expr.Literal(1589234313000L, ScalarType.TIMESTAMP)));
        assertEquals(1, evalKsql("FIELD", s("hello"), s("hello"), s("world")));
        assertEquals(2, evalKsql("FIELD", s("hello"), s("world"), s("hello")));
        assertEquals(0, evalKsql("FIELD", nul(ScalarType.VARCHAR), s("world"), nul(ScalarType.VARCHAR)));
        assertEquals(0, evalKsql("FIELD", s("x"), nul(ScalarType.VARCHAR)));
    }

    @Test
    void trimRemovesEveryBlankAndControlCharacterAsJavaDoes() {
        assertEquals("with white space", evalKsql("TRIM", s(" \t with white space \t\n")));
        assertEquals("\t x \t", eval("TRIM", s(" \t x \t ")), "Flink's TRIM removes spaces only");
        assertEquals("x", evalKsql("TRIM", s("--x-"), s("-")));
    }
}
