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
 * The aggregate's state when ARRAY_AGG keeps its elements in {@link ListElements}' store is format
 * 5 (a count where format 2 has the whole list): each format reads its own state back, and state
 * of the other is refused with a message that names both versions and the way out, instead of a
 * count misread from a list's bytes (or the reverse).
 */
class ListsInStoreStateFormatTest {
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("ARRAY_AGG", List.of(new Expr.InputRef(0, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), new ArrayType(ScalarType.BIGINT)),
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT));

    private static Aggregation aggregation(boolean listsInStore) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(CALLS, -1, functions, new ExprCompiler(functions));
        if (listsInStore) {
            ListElements.keepElementsInStore(CALLS, aggregation, true);
        }
        return aggregation;
    }

    private static AggregateState twoRows(Aggregation aggregation) {
        return aggregation.add(Row.of(7L), aggregation.add(Row.of(8L), aggregation.initial()));
    }

    @Test
    void eachFormatReadsItsOwnStateBack() {
        Aggregation inValue = aggregation(false);
        Aggregation inStore = aggregation(true);
        byte[] v2 = inValue.serde().serializer().serialize("t", twoRows(inValue));
        byte[] v5 = inStore.serde().serializer().serialize("t", twoRows(inStore));
        assertEquals(AggregateStateSerde.VERSION, v2[0]);
        assertEquals(AggregateStateSerde.VERSION_LISTS_IN_STORE, v5[0]);
        assertEquals(List.of(List.of(8L, 7L), 2L),
                List.of(inValue.results(inValue.serde().deserializer().deserialize("t", v2), 0)));
        // the stored call's result is its element count, which the reader replaces with the elements
        assertEquals(List.of(2L, 2L), List.of(inStore.results(inStore.serde().deserializer().deserialize("t", v5), 0)));
    }

    /**
     * Format 9 (a GROUP BY without window, or over a table, whose ARRAY_AGG elements are beside the
     * state) wins over every other format, and refuses the format 2 state of the same query.
     */
    @Test
    void elementsBesideTheStateOfAGroupByWithoutWindowAreFormat9AndRefuseTheListsInTheValue() {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation inValue = aggregation(false);
        Aggregation beside = new Aggregation(CALLS, -1, functions, new ExprCompiler(functions));
        ListElements.keepElementsInStore(CALLS, beside, false);
        byte[] v9 = beside.serde().serializer().serialize("t", twoRows(beside));
        assertEquals(AggregateStateSerde.VERSION_ELEMENTS_BESIDE, v9[0]);
        assertEquals(List.of(2L, 2L), List.of(beside.results(beside.serde().deserializer().deserialize("t", v9), 0)));
        byte[] v2 = inValue.serde().serializer().serialize("t", twoRows(inValue));
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> beside.serde().deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 9"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("9: a GROUP BY's ARRAY_AGG elements"), upgrade.getMessage());
    }

    @Test
    void stateWithTheListInTheValueIsRefusedByAQueryKeepingItInTheStoreAndTheReverse() {
        Aggregation inValue = aggregation(false);
        Aggregation inStore = aggregation(true);
        byte[] v2 = inValue.serde().serializer().serialize("t", twoRows(inValue));
        byte[] v5 = inStore.serde().serializer().serialize("t", twoRows(inStore));
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> inStore.serde().deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("app-q-store-changelog has format version 2; this query reads version 5"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("5: ARRAY_AGG elements in their own store"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> inValue.serde().deserializer().deserialize("app-q-store-changelog", v5));
        assertTrue(downgrade.getMessage().contains("format version 5; this query reads version 2"),
                downgrade.getMessage());
    }
}
