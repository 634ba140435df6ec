package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

class JsonAndCollectionFunctionsTest {
    private static final String DOC = "{\"a\":{\"b\":[10,20]},\"s\":\"x\",\"n\":null}";

    @Test
    void arrowReturnsAVariant() {
        assertEquals(ScalarType.VARIANT, type("->", s(DOC), s("a")));
        assertEquals(JsonValues.parse("{\"b\":[10,20]}"), eval("->", s(DOC), s("a")));
        assertEquals(JsonValues.parse("{\"b\":[10,20]}"), eval("->", variant(DOC), s("a")));
        assertEquals(JsonValues.parse("2"), eval("->", s("[1,2,3]"), i(1)));
        assertNull(eval("->", s(DOC), s("missing")));
        assertTrue(((JsonNode) eval("->", s(DOC), s("n"))).isNull());
    }

    @Test
    void doubleArrowReturnsText() {
        assertEquals(ScalarType.VARCHAR, type("->>", s(DOC), s("s")));
        assertEquals("x", eval("->>", s(DOC), s("s")));
        assertEquals("{\"b\":[10,20]}", eval("->>", s(DOC), s("a")));
        assertNull(eval("->>", s(DOC), s("n")));
        assertNull(eval("->>", s(DOC), s("missing")));
    }

    @Test
    void variantGetFollowsAPath() {
        assertEquals(JsonValues.parse("20"), eval("VARIANT_GET", variant(DOC), s("a"), s("b"), s("1")));
        assertNull(eval("VARIANT_GET", variant(DOC), s("a"), s("x"), s("y")));
        assertEquals(JsonValues.parse("\"x\""), eval("VARIANT_GET", s(DOC), s("s")));
        assertThrows(FunctionException.class, () -> type("VARIANT_GET", variant(DOC), ref(0, ScalarType.VARCHAR)));
    }

    @Test
    void malformedJsonTextFailsTheRecord() {
        assertThrows(IllegalArgumentException.class, () -> eval("->", s("{oops"), s("a")));
        assertThrows(IllegalArgumentException.class, () -> eval("PARSE_JSON", s("{oops")));
        assertNull(eval("TRY_PARSE_JSON", s("{oops")));
    }

    @Test
    void jsonPathFunctions() {
        assertEquals("10", eval("JSON_VALUE", s(DOC), s("$.a.b[0]")));
        assertEquals("x", eval("JSON_VALUE", s(DOC), s("$['s']")));
        assertNull(eval("JSON_VALUE", s(DOC), s("$.a")));
        assertEquals("{\"b\":[10,20]}", eval("JSON_QUERY", s(DOC), s("$.a")));
        assertEquals(true, eval("JSON_EXISTS", s(DOC), s("$.a.b")));
        assertEquals(false, eval("JSON_EXISTS", s(DOC), s("$.zzz")));
        assertThrows(FunctionException.class, () -> type("JSON_VALUE", s(DOC), s("a.b")));
    }

    @Test
    void toJsonWritesAnyValue() {
        Expr array = new Expr.Literal(List.of(1, 2), new ArrayType(ScalarType.INTEGER));
        assertEquals("[1,2]", eval("TO_JSON", array));
        assertEquals("\"2024-01-01 00:00:00.000\"", eval("TO_JSON", ts("2024-01-01 00:00:00")));
    }

    @Test
    void arraySubscriptIsOneBasedAndNullOutOfRange() {
        Expr array = new Expr.Literal(List.of("a", "b"), new ArrayType(ScalarType.VARCHAR));
        assertEquals(ScalarType.VARCHAR, type("SUBSCRIPT", array, i(1)));
        assertEquals("a", eval("SUBSCRIPT", array, i(1)));
        assertEquals("b", eval("SUBSCRIPT", array, i(2)));
        assertNull(eval("SUBSCRIPT", array, i(3)));
        assertNull(eval("SUBSCRIPT", array, i(0)));
        assertNull(eval("SUBSCRIPT", array, i(-1)));
        assertEquals(2, eval("CARDINALITY", array));
    }

    @Test
    void ksqlArraySubscriptCountsANegativeIndexFromTheEnd() {
        Expr array = new Expr.Literal(List.of("a", "b"), new ArrayType(ScalarType.VARCHAR));
        assertEquals("b", evalKsql("SUBSCRIPT", array, i(-1)));
        assertEquals("a", evalKsql("SUBSCRIPT", array, i(-2)));
        assertNull(evalKsql("SUBSCRIPT", array, i(-3)));
        assertNull(evalKsql("SUBSCRIPT", array, i(0)));
        assertEquals("a", evalKsql("SUBSCRIPT", array, i(1)));
    }

    @Test
    void mapSubscriptLooksUpTheKey() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1L, "one");
        Expr map = new Expr.Literal(m, new MapType(ScalarType.BIGINT, ScalarType.VARCHAR));
        assertEquals("one", eval("SUBSCRIPT", map, i(1)));
        assertNull(eval("SUBSCRIPT", map, i(2)));
        assertThrows(FunctionException.class, () -> type("SUBSCRIPT", map, b(true)));
    }

    @Test
    void variantSubscriptUsesZeroBasedIndexes() {
        assertEquals(JsonValues.parse("10"), eval("SUBSCRIPT", variant("[10,20]"), i(0)));
        assertEquals(JsonValues.parse("\"x\""), eval("SUBSCRIPT", variant(DOC), s("s")));
    }

    @Test
    void fieldReadsAStructPosition() {
        StructType struct = new StructType(List.of(new Column("id", ScalarType.BIGINT), new Column("name", ScalarType.VARCHAR)));
        Expr value = new Expr.Literal(Row.of(7L, "x"), struct);
        assertEquals(ScalarType.VARCHAR, type("FIELD", value, i(1)));
        assertEquals("x", eval("FIELD", value, i(1)));
        assertThrows(FunctionException.class, () -> type("FIELD", value, i(2)));
        assertThrows(FunctionException.class, () -> type("FIELD", value, ref(0, ScalarType.INTEGER)));
    }
}
