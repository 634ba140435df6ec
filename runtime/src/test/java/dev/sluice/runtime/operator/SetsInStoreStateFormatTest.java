package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COLLECT_SET and HISTOGRAM with their values beside the state ({@link ValueSets}) write state
 * format 10 (a row count where older formats held the value → count map), which wins over the
 * ARRAY_AGG formats 5 and 9 of the same step; each format reads its own state back, a query
 * without these calls keeps writing and reading its old format, and the same query's older state
 * is refused with a message naming both versions and the way out, never misread.
 */
class SetsInStoreStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr S = new Expr.InputRef(1, ScalarType.VARCHAR);
    private static final AggregateCall COLLECT_SET = new AggregateCall("COLLECT_SET", List.of(V), false,
            Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT));
    private static final AggregateCall HISTOGRAM = new AggregateCall("HISTOGRAM", List.of(S), false, Optional.empty(),
            List.of(), new MapType(ScalarType.VARCHAR, ScalarType.BIGINT));
    private static final AggregateCall ARRAY_AGG = new AggregateCall("ARRAY_AGG", List.of(V), false, Optional.empty(),
            List.of(), new ArrayType(ScalarType.BIGINT));
    private static final AggregateCall COUNT = new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(),
            ScalarType.BIGINT);

    private static Aggregation aggregation(List<AggregateCall> calls, Boolean windowed) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(calls, -1, functions, new ExprCompiler(functions));
        if (windowed != null) {
            ListElements.keepElementsInStore(calls, aggregation, windowed);
        }
        return aggregation;
    }

    private static AggregateState rows(Aggregation aggregation) {
        AggregateState state = aggregation.initial();
        for (Row row : List.of(Row.of(7L, "a"), Row.of(8L, "a"), Row.of(7L, null))) {
            state = aggregation.add(row, state);
        }
        return state;
    }

    private static List<Object> roundTrip(Aggregation aggregation, byte version) {
        byte[] bytes = aggregation.serde().serializer().serialize("t", rows(aggregation));
        assertEquals(version, bytes[0]);
        return List.of(aggregation.results(aggregation.serde().deserializer().deserialize("t", bytes), 0));
    }

    @Test
    void setsBesideTheStateAreFormat10WhateverTheWindowAndReadTheirOwnStateBack() {
        List<AggregateCall> calls = List.of(COLLECT_SET, HISTOGRAM, ARRAY_AGG, COUNT);
        // the stored calls' results are row counts, which the reader replaces with the values
        assertEquals(List.of(3L, 3L, 3L, 3L), roundTrip(aggregation(calls, true), AggregateStateSerde.VERSION_SETS_IN_STORE));
        assertEquals(List.of(3L, 3L, 3L, 3L), roundTrip(aggregation(calls, false), AggregateStateSerde.VERSION_SETS_IN_STORE));
        // the sets in the value (sessions, DISTINCT steps): first-seen order, NULL a value of the set only
        assertEquals(List.of(List.of(7L, 8L), Map.of("a", 2L), List.of(7L, 8L, 7L), 3L),
                roundTrip(aggregation(calls, null), AggregateStateSerde.VERSION));
    }

    @Test
    void aQueryWithoutSetsKeepsItsOlderFormat() {
        List<AggregateCall> calls = List.of(ARRAY_AGG, COUNT);
        assertEquals(List.of(3L, 3L), roundTrip(aggregation(calls, true), AggregateStateSerde.VERSION_LISTS_IN_STORE));
        assertEquals(List.of(3L, 3L), roundTrip(aggregation(calls, false), AggregateStateSerde.VERSION_ELEMENTS_BESIDE));
    }

    @Test
    void theSameQuerysOlderStateIsRefusedClearlyAndTheReverse() {
        List<AggregateCall> calls = List.of(COLLECT_SET, HISTOGRAM, COUNT);
        Aggregation inValue = aggregation(calls, null);
        Aggregation beside = aggregation(calls, false);
        byte[] v2 = inValue.serde().serializer().serialize("t", rows(inValue));
        byte[] v10 = beside.serde().serializer().serialize("t", rows(beside));
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> beside.serde().deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 10"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("10: also COLLECT_SET's and HISTOGRAM's values in their own store"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> inValue.serde().deserializer().deserialize("app-q-store-changelog", v10));
        assertTrue(downgrade.getMessage().contains("format version 10; this query reads version 2"),
                downgrade.getMessage());
    }

    /**
     * COLLECT_SET / HISTOGRAM beside an ARRAY_AGG with ORDER BY (i17set's format 10 kept that list in
     * the value, i17list's format 11 the sets): both in the store are format 14, over a stream (with
     * or without window) and a table, which reads its own state back and refuses 2, 10 and 11 of the
     * same query, which refuse 14.
     */
    @Test
    void setsBesideSortedListsAreFormat14AndRefuseTheFormatsThatHeldEitherInTheValue() {
        AggregateCall sorted = new AggregateCall("ARRAY_AGG", List.of(V, S), false, Optional.empty(), List.of(true),
                new ArrayType(ScalarType.BIGINT));
        List<AggregateCall> calls = List.of(COLLECT_SET, sorted, HISTOGRAM, COUNT);
        assertEquals(AggregateStateSerde.VERSION_SETS_AND_SORTED, ListElements.stateFormat(calls, true));
        assertEquals(AggregateStateSerde.VERSION_SETS_AND_SORTED, ListElements.stateFormat(calls, false));
        assertEquals(AggregateStateSerde.VERSION_SETS_AND_SORTED, TableElements.stateFormat(calls));
        assertEquals(AggregateStateSerde.VERSION_SETS_IN_STORE, TableElements.stateFormat(List.of(COLLECT_SET, COUNT)));
        AggregateCall distinct = new AggregateCall("ARRAY_AGG", List.of(V), true, Optional.empty(), List.of(),
                new ArrayType(ScalarType.BIGINT));
        assertEquals(AggregateStateSerde.VERSION_SETS_AND_SORTED,
                TableElements.stateFormat(List.of(HISTOGRAM, distinct, COUNT)));
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation both = new Aggregation(calls, -1, functions, new ExprCompiler(functions));
        ListElements.keepListsInStore(calls, both, false);
        Aggregation table = new Aggregation(calls, -1, functions, new ExprCompiler(functions));
        TableElements.keepElementsInStore(calls, table);
        // i17set's form: the sets in the store, the ORDER BY list in the value
        Aggregation setsOnly = aggregation(calls, false);
        // i17list's form: the ORDER BY list in the store, the sets in the value
        Aggregation sortedOnly = new Aggregation(calls, -1, functions, new ExprCompiler(functions));
        sortedOnly.keepElementsInStore(1, ElementCount.FACTORY, AggregateStateSerde.VERSION_SORTED_ELEMENTS);
        Aggregation inValue = aggregation(calls, null);
        assertEquals(List.of(3L, 3L, 3L, 3L), roundTrip(both, AggregateStateSerde.VERSION_SETS_AND_SORTED));
        assertEquals(List.of(3L, 3L, 3L, 3L), roundTrip(table, AggregateStateSerde.VERSION_SETS_AND_SORTED));
        // DESC puts the NULL key first, then "a" (7 then 8: ties in arrival order)
        assertEquals(List.of(3L, List.of(7L, 7L, 8L), 3L, 3L), roundTrip(setsOnly, AggregateStateSerde.VERSION_SETS_IN_STORE));
        assertEquals(List.of(List.of(7L, 8L), 3L, Map.of("a", 2L), 3L),
                roundTrip(sortedOnly, AggregateStateSerde.VERSION_SORTED_ELEMENTS));
        byte[] v14 = both.serde().serializer().serialize("t", rows(both));
        for (Aggregation older : List.of(setsOnly, sortedOnly, inValue)) {
            byte[] bytes = older.serde().serializer().serialize("t", rows(older));
            SerializationException upgrade = assertThrows(SerializationException.class,
                    () -> both.serde().deserializer().deserialize("app-q-store-changelog", bytes));
            assertTrue(upgrade.getMessage().contains("format version " + bytes[0] + "; this query reads version 14"),
                    upgrade.getMessage());
            assertTrue(upgrade.getMessage().contains("14: 10 and 11 at once"), upgrade.getMessage());
            SerializationException downgrade = assertThrows(SerializationException.class,
                    () -> older.serde().deserializer().deserialize("app-q-store-changelog", v14));
            assertTrue(downgrade.getMessage().contains("format version 14; this query reads version " + bytes[0]),
                    downgrade.getMessage());
        }
    }
}
