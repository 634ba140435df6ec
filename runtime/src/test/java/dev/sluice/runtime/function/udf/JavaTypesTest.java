package dev.sluice.runtime.function.udf;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one Java-to-SQL mapping scalar functions and aggregates share, and where the two kinds differ:
 * BYTES only for scalars; records, {@code Collection} and type variables only for aggregates; a
 * STRUCT result from a map for scalars, from a record, a map or a row for aggregates.
 */
class JavaTypesTest {
    public record Point(long x, String label) {
    }

    @SuppressWarnings("unused")
    private static final class Signatures<A> {
        List<Long> list;
        Map<String, Double> map;
        Collection<Long> collection;
        byte[] bytes;
        Point point;
        List<A> variable;
        Set<Long> set;
    }

    private static Type field(String name) throws Exception {
        return Signatures.class.getDeclaredField(name).getGenericType();
    }

    @Test
    void eachKindMapsTheJavaTypesItAccepts() throws Exception {
        UdafTypes.Bindings bindings = new UdafTypes.Bindings();
        TypeVariable<?> a = Signatures.class.getTypeParameters()[0];
        bindings.bound.put(a, ScalarType.VARCHAR);
        for (String both : List.of("list", "map")) {
            assertEquals(UdfTypes.inferred(field(both)), UdafTypes.sqlType(field(both), bindings), both);
        }
        assertEquals(new ArrayType(ScalarType.BIGINT), UdfTypes.inferred(field("list")));
        assertEquals(new MapType(ScalarType.VARCHAR, ScalarType.DOUBLE), UdfTypes.inferred(field("map")));
        assertEquals(ScalarType.BYTES, UdfTypes.inferred(field("bytes")));
        assertNull(UdafTypes.sqlType(field("bytes"), bindings));
        assertNull(UdfTypes.inferred(field("point")), "a scalar function declares a STRUCT result");
        assertEquals(new StructType(List.of(new Column("x", ScalarType.BIGINT), new Column("label", ScalarType.VARCHAR))),
                UdafTypes.sqlType(field("point"), bindings));
        assertNull(UdfTypes.inferred(field("collection")));
        assertEquals(new ArrayType(ScalarType.BIGINT), UdafTypes.sqlType(field("collection"), bindings));
        assertNull(UdfTypes.inferred(field("variable")));
        assertEquals(new ArrayType(ScalarType.VARCHAR), UdafTypes.sqlType(field("variable"), bindings));
        assertNull(UdafTypes.sqlType(field("variable"), new UdafTypes.Bindings()), "an unbound variable");
        assertTrue(UdafTypes.expressible(field("variable")));
        assertTrue(!UdafTypes.expressible(field("set")) && !UdafTypes.expressible(field("bytes")));
    }

    @Test
    void eachKindReadsAStructResultItsOwnWay() {
        StructType point = new StructType(List.of(new Column("X", ScalarType.BIGINT), new Column("LABEL", ScalarType.VARCHAR)));
        SqlType points = new ArrayType(point);
        assertEquals(List.of(new Row(new Object[] {3L, "a"})), UdfTypes.toSql(List.of(Map.of("x", 3, "Label", "a")), points));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> UdfTypes.toSql(new Point(3, "a"), point));
        assertEquals("returned " + Point.class.getName() + " for " + point.sql()
                + "; a STRUCT is returned as a Map of its fields by name", refused.getMessage());
        assertEquals(List.of(new Row(new Object[] {3L, "a"})), UdafTypes.toSql(List.of(new Point(3, "a")), points));
        assertEquals(new Row(new Object[] {3L, "a"}), UdafTypes.toSql(Map.of("x", 3, "label", "a"), point));
        Row row = new Row(new Object[] {1L, "b"});
        assertEquals(row, UdafTypes.toSql(row, point));
        assertEquals("a java.lang.String is no STRUCT value",
                assertThrows(IllegalArgumentException.class, () -> UdafTypes.toSql("text", point)).getMessage());
    }
}
