package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An aggregate whose {@code ARRAY_AGG(x ORDER BY k)} keeps its elements in a store (a stream's
 * {@link ListElements}, a table's {@link TableElements}) writes state format 11, a count where
 * format 2 held the list and format 5 or 9 (the same query's plain ARRAY_AGG in the store) still
 * held this call's list: each reads its own state back; 11 refuses the older formats with a message
 * naming both and the way out, and an older query refuses 11. A step without ORDER BY or DISTINCT
 * keeps writing (and reading) 5 or 9.
 */
class SortedElementsStateFormatTest {
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("ARRAY_AGG", List.of(new Expr.InputRef(0, ScalarType.BIGINT),
                    new Expr.InputRef(1, ScalarType.VARCHAR)), false, Optional.empty(), List.of(true),
                    new ArrayType(ScalarType.BIGINT)),
            new AggregateCall("ARRAY_AGG", List.of(new Expr.InputRef(0, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), new ArrayType(ScalarType.BIGINT)),
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT));

    private static Aggregation plain() {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return new Aggregation(CALLS, -1, functions, new ExprCompiler(functions));
    }

    private static AggregateState twoRows(Aggregation aggregation) {
        return aggregation.add(Row.of(7L, "a"), aggregation.add(Row.of(8L, "b"), aggregation.initial()));
    }

    @Test
    void aStreamStepWithOrderByWritesFormat11AndRefusesTheOlderFormats() {
        Aggregation sorted = plain();
        ListElements.keepListsInStore(CALLS, sorted, true);
        Aggregation unsortedInStore = plain();
        // the same query as before this change: only the plain ARRAY_AGG in the store (format 5)
        ListElements.keepElementsInStore(CALLS, unsortedInStore, true);
        Aggregation inValue = plain();
        byte[] v11 = sorted.serde().serializer().serialize("t", twoRows(sorted));
        byte[] v5 = unsortedInStore.serde().serializer().serialize("t", twoRows(unsortedInStore));
        byte[] v2 = inValue.serde().serializer().serialize("t", twoRows(inValue));
        assertEquals(AggregateStateSerde.VERSION_SORTED_ELEMENTS, v11[0]);
        assertEquals(AggregateStateSerde.VERSION_LISTS_IN_STORE, v5[0]);
        assertEquals(AggregateStateSerde.VERSION, v2[0]);
        // both stored calls' results are counts, which the reader replaces with the elements
        assertEquals(List.of(2L, 2L, 2L), List.of(sorted.results(sorted.serde().deserializer().deserialize("t", v11), 0)));
        // the older formats still read their own state: the sorted list in the value
        assertEquals(List.of(List.of(8L, 7L), 2L, 2L),
                List.of(unsortedInStore.results(unsortedInStore.serde().deserializer().deserialize("t", v5), 0)));
        assertEquals(List.of(List.of(8L, 7L), List.of(8L, 7L), 2L),
                List.of(inValue.results(inValue.serde().deserializer().deserialize("t", v2), 0)));
        for (byte[] older : List.of(v5, v2)) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> sorted.serde().deserializer().deserialize("app-q-store-changelog", older));
            assertTrue(e.getMessage().contains("format version " + older[0] + "; this query reads version 11"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("11: also ARRAY_AGG's with ORDER BY or DISTINCT"), e.getMessage());
            assertTrue(e.getMessage().contains("--reset-incompatible-state"), e.getMessage());
        }
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> unsortedInStore.serde().deserializer().deserialize("app-q-store-changelog", v11));
        assertTrue(downgrade.getMessage().contains("format version 11; this query reads version 5"),
                downgrade.getMessage());
    }

    @Test
    void aStepWithoutOrderByOrDistinctKeepsItsFormat() {
        List<AggregateCall> plainCalls = CALLS.subList(1, 3);
        assertEquals(AggregateStateSerde.VERSION_LISTS_IN_STORE, ListElements.stateFormat(plainCalls, true));
        assertEquals(AggregateStateSerde.VERSION_ELEMENTS_BESIDE, ListElements.stateFormat(plainCalls, false));
        assertEquals(AggregateStateSerde.VERSION_SORTED_ELEMENTS, ListElements.stateFormat(CALLS, false));
        assertEquals(AggregateStateSerde.VERSION_ELEMENTS_BESIDE, TableElements.stateFormat(plainCalls));
        assertEquals(AggregateStateSerde.VERSION_SORTED_ELEMENTS, TableElements.stateFormat(CALLS));
        AggregateCall distinct = new AggregateCall("ARRAY_AGG", List.of(new Expr.InputRef(0, ScalarType.BIGINT)), true,
                Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT));
        assertEquals(AggregateStateSerde.VERSION_SORTED_ELEMENTS, TableElements.stateFormat(List.of(distinct)));
    }
}
