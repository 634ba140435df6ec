package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's JSON-text and bytes functions, with the results of ksqlDB's QTT files. */
class KsqlJsonAndBytesFunctionsTest {

    @Test
    void toJsonStringWritesEveryTypeAsKsqlDbDoesAndNullAsTheTextNull() {
        assertEquals("1", eval("TO_JSON_STRING", i(1)));
        assertEquals("\"abc\"", eval("TO_JSON_STRING", s("abc")));
        assertEquals("null", eval("TO_JSON_STRING", nul(ScalarType.INTEGER)));
        assertEquals("123.456", eval("TO_JSON_STRING", dec("123.456")));
        assertEquals("\"1972-09-27\"", evalWith("TO_JSON_STRING",
                List.of(new Expr.InputRef(0, ScalarType.DATE)), 1000));
        assertEquals("\"1971-11-28T23:46:40.000\"", evalWith("TO_JSON_STRING",
                List.of(new Expr.InputRef(0, ScalarType.TIMESTAMP)), 60220000000L));
        // ksqlDB writes a TIME to whole seconds, and a whole minute without them
        assertEquals("\"16:43:40\"", evalWith("TO_JSON_STRING",
                List.of(new Expr.InputRef(0, ScalarType.TIME)), 60220999));
        assertEquals("\"16:43\"", evalWith("TO_JSON_STRING",
                List.of(new Expr.InputRef(0, ScalarType.TIME)), 60180000));
        StructType struct = new StructType(List.of(new Column("NAME", ScalarType.VARCHAR),
                new Column("ID", ScalarType.INTEGER)));
        assertEquals("{\"ID\":1,\"NAME\":\"Alice\"}", evalWith("TO_JSON_STRING",
                List.of(new Expr.InputRef(0, struct)), new Row(new Object[]{"Alice", 1})), "fields sorted by name");
        assertEquals("[1,2,3]", evalWith("TO_JSON_STRING",
                List.of(new Expr.InputRef(0, new ArrayType(ScalarType.INTEGER))), List.of(1, 2, 3)));
    }

    @Test
    void jsonTextFunctionsFollowKsqlDbsNullAndEmptyTextRules() {
        assertEquals(true, eval("IS_JSON_STRING", s("[1, 2, 3]")));
        assertEquals(false, eval("IS_JSON_STRING", s("abc")));
        assertEquals(false, eval("IS_JSON_STRING", s("")));
        assertEquals(false, eval("IS_JSON_STRING", nul(ScalarType.VARCHAR)));
        assertEquals(2, eval("JSON_ARRAY_LENGTH", s("[\"Red\", \"Green\"]")));
        assertNull(eval("JSON_ARRAY_LENGTH", s("")));
        assertNull(eval("JSON_ARRAY_LENGTH", s("{}")));
        assertThrows(FunctionException.class, () -> eval("JSON_ARRAY_LENGTH", s("[1,")));
        assertEquals(true, eval("JSON_ARRAY_CONTAINS", s("[\"Pink\", null]"), s("Pink")));
        assertEquals(false, eval("JSON_ARRAY_CONTAINS", s("[1, 2]"), s("1")), "a string is not the number 1");
        assertEquals(true, eval("JSON_ARRAY_CONTAINS", s("[1, 2]"), l(2)));
        assertEquals(false, eval("JSON_ARRAY_CONTAINS", nul(ScalarType.VARCHAR), s("x")));
        assertEquals("{\"a\":1,\"b\":2}", eval("JSON_CONCAT", s("{\"a\": 1}"), s("{\"b\": 2}")));
        assertEquals("[1,2,{\"a\":1}]", eval("JSON_CONCAT", s("[1, 2]"), s("{\"a\": 1}")));
        assertEquals(List.of("Red", "Green"), eval("JSON_KEYS", s("{\"Red\": 3, \"Green\": 5}")));
        assertEquals(Map.of("Red", "3", "Name", "x"), eval("JSON_RECORDS", s("{\"Red\": 3, \"Name\": \"x\"}")));
        assertEquals(List.of("{\"type\":\"A\"}", "1"), eval("JSON_ITEMS", s("[{\"type\": \"A\"}, 1]")));
    }

    @Test
    void encodeConvertsBetweenEncodingsAndGivesNullForUnreadableText() {
        assertEquals("Example!", eval("ENCODE", s("4578616d706C6521"), s("hex"), s("utf8")));
        assertEquals("Example!", eval("ENCODE", s("0x4578616d706C6521"), s("hex"), s("ascii")));
        assertEquals("RXhhbXBsZSE=", eval("ENCODE", s("X'4578616d706C6521'"), s("hex"), s("base64")));
        assertEquals("\u0005xample!", eval("ENCODE", s("0x578616d706C6521"), s("hex"), s("utf8")));
        assertNull(eval("ENCODE", s("578616d706C6521"), s("hex"), s("utf8")), "odd digits without 0x");
        assertNull(eval("ENCODE", s("x'4578"), s("hex"), s("utf8")), "unclosed X'…'");
        assertEquals("3f3f", eval("ENCODE", s("\u0395\u03bb"), s("ascii"), s("hex")));
        assertNull(eval("ENCODE", s("abc"), s("null"), s("utf8")));
    }

    @Test
    void bytesConvertToTextAndNumbers() {
        Object bytes = eval("TO_BYTES", s("1aB2"), s("hex"));
        assertEquals("1AB2", evalWith("FROM_BYTES", List.of(new Expr.InputRef(0, ScalarType.BYTES), s("hex")), bytes, "hex"));
        assertEquals("GrI=", evalWith("FROM_BYTES", List.of(new Expr.InputRef(0, ScalarType.BYTES), s("base64")), bytes, "base64"));
        byte[] big = java.util.Base64.getDecoder().decode("AAAH5Q==");
        assertEquals(2021, evalWith("INT_FROM_BYTES", List.of(new Expr.InputRef(0, ScalarType.BYTES)), (Object) big));
        byte[] little = java.util.Base64.getDecoder().decode("APIFKgEAAAA=");
        assertEquals(5000000000L, evalWith("BIGINT_FROM_BYTES",
                List.of(new Expr.InputRef(0, ScalarType.BYTES), s("LITTLE_ENDIAN")), little, "LITTLE_ENDIAN"));
        assertThrows(FunctionException.class, () -> evalWith("INT_FROM_BYTES",
                List.of(new Expr.InputRef(0, ScalarType.BYTES)), (Object) new byte[3]));
    }

    @Test
    void concatOfBytesJoinsTheBytes() {
        Expr bytes0 = new Expr.InputRef(0, ScalarType.BYTES);
        Expr bytes1 = new Expr.InputRef(1, ScalarType.BYTES);
        Expr bytes2 = new Expr.InputRef(2, ScalarType.BYTES);
        byte[] yes = "yes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] no = "no".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ScalarType.BYTES, type("CONCAT_IGNORE_NULLS", bytes0, nul(), bytes1));
        assertArrayEquals("yesno".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                (byte[]) evalWith("CONCAT_IGNORE_NULLS", List.of(bytes0, nul(), bytes1), yes, null, no));
        assertArrayEquals(no, (byte[]) evalWith("CONCAT_IGNORE_NULLS", List.of(bytes0, bytes1), new byte[0], no));
        // CONCAT_WS over bytes: NULLs skipped, empty bytes kept (a separator each side), NULL separator NULL
        byte[] a = {'a'};
        assertEquals(ScalarType.BYTES, type("CONCAT_WS", bytes0, bytes1, nul(), bytes2));
        assertArrayEquals("yesano".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                (byte[]) evalWith("CONCAT_WS", List.of(bytes0, bytes1, nul(), bytes2), a, yes, null, no));
        assertArrayEquals("yesaano".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                (byte[]) evalWith("CONCAT_WS", List.of(bytes0, bytes1, bytes2, new Expr.InputRef(3, ScalarType.BYTES)),
                        a, yes, new byte[0], no));
        assertArrayEquals(new byte[0], (byte[]) evalWith("CONCAT_WS", List.of(bytes0, bytes1), a, null));
        assertNull(evalWith("CONCAT_WS", List.of(bytes0, bytes1), null, no));
        assertEquals(ScalarType.VARCHAR, type("CONCAT_WS", s("-"), bytes0), "a VARCHAR separator keeps text");
    }

    @Test
    void extractJsonFieldKeepsANumbersDigits() {
        assertEquals("1.23450", eval("EXTRACTJSONFIELD", s("{\"array\": [1.23450]}"), s("$.array[0]")));
        assertEquals("[1.23450,2]", eval("EXTRACTJSONFIELD", s("{\"array\": [1.23450, 2]}"), s("$.array")));
        assertEquals("1", eval("EXTRACTJSONFIELD", s("{\"array\": [1]}"), s("$.array[0]")));
    }
}
