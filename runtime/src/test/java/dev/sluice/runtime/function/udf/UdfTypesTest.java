package dev.sluice.runtime.function.udf;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Java types of user functions against SQL types: fit, cost, conversion both ways, overload choice. */
class UdfTypesTest {
    private static final StructType POINT = new StructType(List.of(new Column("X", ScalarType.INTEGER),
            new Column("TAGS", new ArrayType(ScalarType.VARCHAR))));

    @SuppressWarnings("unused")
    public static class Overloads {
        public String eval(int a, String b) { return "int"; }
        public String eval(long a, String b) { return "long"; }
        public String eval(long... values) { return "varargs:" + values.length; }
        public String eval(byte[] bytes) { return "bytes:" + bytes.length; }
        public String eval(Map<String, Object> struct) { return "struct"; }
        public String eval(List<Long> values) { return "list"; }
    }

    private static Method chosen(SqlType... arguments) {
        List<Method> evals = Arrays.stream(Overloads.class.getMethods()).filter(m -> m.getName().equals("eval")).toList();
        return EvalOverloads.choose(evals, List.of(arguments)).orElse(null);
    }

    private static String call(Object[] values, SqlType... types) throws Exception {
        Method m = chosen(types);
        return (String) m.invoke(new Overloads(), EvalOverloads.arguments(m, values, List.of(types)));
    }

    @Test
    void theCheapestOverloadIsChosen() throws Exception {
        assertEquals("int", call(new Object[] {1, "x"}, ScalarType.INTEGER, ScalarType.VARCHAR));
        assertEquals("long", call(new Object[] {1L, "x"}, ScalarType.BIGINT, ScalarType.VARCHAR));
        assertEquals("long", call(new Object[] {1L, null}, ScalarType.BIGINT, ScalarType.NULL));
        assertEquals("varargs:3", call(new Object[] {1L, 2, 3L}, ScalarType.BIGINT, ScalarType.INTEGER, ScalarType.BIGINT));
        assertEquals("bytes:2", call(new Object[] {new byte[] {1, 2}}, ScalarType.BYTES));
        assertEquals("struct", call(new Object[] {new Row(new Object[] {1, List.of()})}, POINT));
        assertEquals("list", call(new Object[] {List.of(1, 2)}, new ArrayType(ScalarType.INTEGER)));
        assertNull(chosen(ScalarType.DOUBLE, ScalarType.VARCHAR));
        assertNull(chosen(new ArrayType(ScalarType.VARCHAR)));
    }

    @Test
    void aNullForAPrimitiveParameterMeansNoCall() {
        Method m = chosen(ScalarType.INTEGER, ScalarType.VARCHAR);
        assertNull(EvalOverloads.arguments(m, new Object[] {null, "x"}, List.of(ScalarType.INTEGER, ScalarType.VARCHAR)));
    }

    @Test
    void valuesConvertBothWays() {
        Object java = JavaTypes.toJava(new Row(new Object[] {3, List.of("a")}), Map.class, POINT);
        assertEquals(Map.of("X", 3, "TAGS", List.of("a")), java);
        Row back = (Row) UdfTypes.toSql(Map.of("x", 4L, "TAGS", List.of("b")), POINT);
        assertEquals(4, back.get(0)); // matched ignoring case, narrowed to INTEGER
        assertEquals(List.of("b"), back.get(1));
        assertEquals(new BigDecimal("1.50"), UdfTypes.toSql(new BigDecimal("1.5"), new DecimalType(10, 2)));
        assertArrayEquals(new byte[] {7}, (byte[]) UdfTypes.toSql(new byte[] {7}, ScalarType.BYTES));
        assertEquals(Map.of("k", 2.0), UdfTypes.toSql(Map.of("k", 2), new MapType(ScalarType.VARCHAR, ScalarType.DOUBLE)));
    }

    @Test
    void javaReturnTypesTellTheirSqlTypeOrNeedDeclaring() throws Exception {
        assertEquals(new ArrayType(ScalarType.BIGINT),
                UdfTypes.inferred(Overloads.class.getMethod("eval", List.class).getGenericParameterTypes()[0]));
        assertEquals(ScalarType.BYTES, UdfTypes.inferred(byte[].class));
        assertNull(UdfTypes.inferred(BigDecimal.class));
        assertNull(UdfTypes.inferred(Overloads.class.getMethod("eval", Map.class).getGenericParameterTypes()[0]));
    }
}
