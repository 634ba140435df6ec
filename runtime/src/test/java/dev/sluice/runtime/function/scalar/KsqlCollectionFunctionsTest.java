package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.runtime.function.scalar.Calls.*;
import static org.junit.jupiter.api.Assertions.*;

/** ksqlDB's array and map functions, with the results its reference documents. */
class KsqlCollectionFunctionsTest {
    private static final ArrayType INTS = new ArrayType(ScalarType.INTEGER);
    private static final Expr A = ref(0, INTS);
    private static final Expr B = ref(1, INTS);

    private static Object on(String f, List<?> left, List<?> right) {
        return evalWith(f, List.of(A, B), left, right);
    }

    @Test
    void setFunctionsKeepFirstOccurrenceOrderAndAreNullWhenAnArrayIsNull() {
        assertEquals(List.of(1, 2, 3), evalWith("ARRAY_DISTINCT", List.of(A), List.of(1, 2, 1, 3, 2)));
        assertEquals(Arrays.asList(1, null), evalWith("ARRAY_DISTINCT", List.of(A), Arrays.asList(1, null, 1, null)));
        assertEquals(List.of(3, 1), on("ARRAY_EXCEPT", List.of(3, 2, 1, 3), List.of(2)));
        assertEquals(List.of(2, 1), on("ARRAY_INTERSECT", List.of(2, 1, 2, 5), List.of(1, 2)));
        assertEquals(List.of(1, 2, 3), on("ARRAY_UNION", List.of(1, 2, 1), List.of(3, 2)));
        assertNull(on("ARRAY_UNION", null, List.of(1)));
        assertNull(on("ARRAY_EXCEPT", List.of(1), null));
        assertEquals(INTS, type("ARRAY_INTERSECT", A, B));
        assertThrows(FunctionException.class, () -> type("ARRAY_UNION", A, ref(1, new ArrayType(ScalarType.VARCHAR))));
    }

    @Test
    void arrayConcatTreatsOneNullArrayAsEmptyAndTwoAsNull() {
        assertEquals(List.of(1, 2, 2, 3), on("ARRAY_CONCAT", List.of(1, 2), List.of(2, 3)));
        assertEquals(List.of(1), on("ARRAY_CONCAT", List.of(1), null));
        assertNull(on("ARRAY_CONCAT", null, null));
    }

    @Test
    void arrayMaxAndMinSkipNullsAndAreNullForAnEmptyArray() {
        assertEquals(3, evalWith("ARRAY_MAX", List.of(A), Arrays.asList(1, null, 3, 2)));
        assertEquals(1, evalWith("ARRAY_MIN", List.of(A), Arrays.asList(null, 3, 1)));
        assertNull(evalWith("ARRAY_MAX", List.of(A), List.of()));
        assertNull(evalWith("ARRAY_MIN", List.of(A), Arrays.asList((Object) null)));
        assertEquals("b", evalWith("ARRAY_MAX", List.of(ref(0, new ArrayType(ScalarType.VARCHAR))), List.of("a", "b")));
    }

    @Test
    void arraySortPutsNullsLastInEitherDirectionAndAnUnknownDirectionGivesNull() {
        Expr dir = ref(1, ScalarType.VARCHAR);
        assertEquals(Arrays.asList(1, 2, 3, null), evalWith("ARRAY_SORT", List.of(A), Arrays.asList(3, null, 1, 2)));
        assertEquals(Arrays.asList(3, 2, 1, null), evalWith("ARRAY_SORT", List.of(A, dir), Arrays.asList(3, null, 1, 2), "desc"));
        assertNull(evalWith("ARRAY_SORT", List.of(A, dir), List.of(1), "sideways"));
    }

    @Test
    void arrayRemoveDropsEveryEqualElementIncludingNulls() {
        Expr x = ref(1, ScalarType.INTEGER);
        assertEquals(List.of(1, 3), evalWith("ARRAY_REMOVE", List.of(A, x), List.of(1, 2, 3, 2), 2));
        assertEquals(List.of(1), evalWith("ARRAY_REMOVE", List.of(A, x), Arrays.asList(1, null), null));
        assertNull(evalWith("ARRAY_REMOVE", List.of(A, x), null, 1));
    }

    @Test
    void sliceIsOneBasedInclusiveAndNullOutOfRange() {
        Expr from = ref(1, ScalarType.INTEGER);
        Expr to = ref(2, ScalarType.INTEGER);
        assertEquals(List.of(2, 3), evalWith("SLICE", List.of(A, from, to), List.of(1, 2, 3, 4), 2, 3));
        assertEquals(List.of(1, 2), evalWith("SLICE", List.of(A, from, to), List.of(1, 2, 3), null, 2));
        assertNull(evalWith("SLICE", List.of(A, from, to), List.of(1, 2), 1, 5));
    }

    @Test
    void generateSeriesIncludesBothEndsAndRejectsAStepOfTheWrongSign() {
        assertEquals(List.of(1, 2, 3), eval("GENERATE_SERIES", i(1), i(3)));
        assertEquals(List.of(5, 3, 1), eval("GENERATE_SERIES", i(5), i(0), i(-2)));
        assertEquals(List.of(1L, 3L), eval("GENERATE_SERIES", l(1), l(4), i(2)));
        assertThrows(FunctionException.class, () -> eval("GENERATE_SERIES", i(1), i(5), i(-1)));
        assertThrows(FunctionException.class, () -> eval("GENERATE_SERIES", i(1), i(5), i(0)));
    }

    @Test
    void mapFunctionsReadKeysValuesAndEntries() {
        MapType m = new MapType(ScalarType.VARCHAR, ScalarType.INTEGER);
        Map<String, Integer> in = new LinkedHashMap<>();
        in.put("b", 2);
        in.put("a", 1);
        assertEquals(List.of("b", "a"), evalWith("MAP_KEYS", List.of(ref(0, m)), in));
        assertEquals(List.of(2, 1), evalWith("MAP_VALUES", List.of(ref(0, m)), in));
        assertEquals(List.of(new Row(new Object[]{"a", 1}), new Row(new Object[]{"b", 2})),
                evalWith("ENTRIES", List.of(ref(0, m), ref(1, ScalarType.BOOLEAN)), in, true));
        Map<String, Integer> other = Map.of("a", 9);
        assertEquals(Map.of("a", 9, "b", 2), evalWith("MAP_UNION", List.of(ref(0, m), ref(1, m)), in, other));
        assertEquals(Map.of("a", 9), evalWith("MAP_UNION", List.of(ref(0, m), ref(1, m)), null, other));
        assertNull(evalWith("MAP_UNION", List.of(ref(0, m), ref(1, m)), null, null));
    }

    @Test
    void asMapPairsKeysWithValuesByPosition() {
        Expr keys = ref(0, new ArrayType(ScalarType.VARCHAR));
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1);
        expected.put("b", null);
        assertEquals(expected, evalWith("AS_MAP", List.of(keys, B), List.of("a", "b"), List.of(1)));
        assertEquals(new MapType(ScalarType.VARCHAR, ScalarType.INTEGER), type("AS_MAP", keys, B));
    }

    @Test
    void arrayConstructorKeepsNullElements() {
        assertEquals(Arrays.asList(1, null, 3), eval("ARRAY", i(1), nul(ScalarType.INTEGER), i(3)));
        assertEquals(INTS, type("ARRAY", i(1), i(2)));
    }
}
