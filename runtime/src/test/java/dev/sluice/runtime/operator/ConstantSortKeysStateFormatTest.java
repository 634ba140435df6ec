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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 21: an ARRAY_AGG with a constant ORDER BY key runs without it, its elements beside
 * the state, and a table's ARRAY_AGG(DISTINCT c ORDER BY k) of a constant counts its keys beside
 * it. The state an older build wrote for the same query (the list, or the set of keys, in the
 * value; tagged 9 or 19, which the new layout would otherwise share) is refused with the message
 * naming 21, and the new state is refused by the old layout.
 */
class ConstantSortKeysStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr W = new Expr.InputRef(1, ScalarType.BIGINT);
    private static final Expr K = new Expr.Literal("k", ScalarType.VARCHAR);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    private static AggregateCall arrayAgg(Expr element, boolean distinct, List<Boolean> descending, Expr... keys) {
        List<Expr> arguments = new ArrayList<>(List.of(element));
        arguments.addAll(List.of(keys));
        return new AggregateCall("ARRAY_AGG", arguments, distinct, Optional.empty(), descending,
                new ArrayType(element.type()));
    }

    /** A stream GROUP BY's aggregation as the builder makes it (lists in the store where they can be). */
    private static Aggregation stream(List<AggregateCall> calls, boolean tagged) {
        Aggregation aggregation = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), -1, -1);
        if (ListElements.appliesWithoutWindow(calls)) {
            ListElements.keepListsInStore(calls, aggregation, false);
        }
        if (tagged) {
            aggregation.tagConstantListsBeside();
        }
        return aggregation;
    }

    private static AggregateState rows(Aggregation aggregation, int n) {
        AggregateState state = aggregation.initial();
        for (int i = 0; i < n; i++) {
            state = aggregation.add(Row.of((long) i, (long) (i % 3)), state);
        }
        return state;
    }

    @Test
    void constantKeysAreDroppedOnlyBesideANonConstantElement() {
        AggregateCall constantKey = arrayAgg(V, false, List.of(true, false), K, W);
        assertTrue(ConstantSortKeys.drops(constantKey));
        assertEquals(arrayAgg(V, false, List.of(false), W), ConstantSortKeys.withoutConstantKeys(constantKey));
        assertEquals(arrayAgg(V, true, List.of()), ConstantSortKeys.withoutConstantKeys(arrayAgg(V, true, List.of(false), K)));
        AggregateCall constantElement = arrayAgg(new Expr.Literal("x", ScalarType.VARCHAR), false, List.of(false), K);
        assertFalse(ConstantSortKeys.drops(constantElement)); // a row count already (format 19)
        AggregateCall columnKeys = arrayAgg(V, false, List.of(false), W);
        assertSame(columnKeys, ConstantSortKeys.withoutConstantKeys(columnKeys));
    }

    @Test
    void anOlderListBesideAStoredOneIsRefused() {
        // before: ARRAY_AGG(v ORDER BY 'k') held its list in the value, ARRAY_AGG(w)'s elements were
        // beside: format 9. Now both are beside, which without the tag would also be format 9.
        List<AggregateCall> written = List.of(arrayAgg(V, false, List.of(false), K), arrayAgg(W, false, List.of()));
        Aggregation before = stream(written, false);
        Aggregation now = stream(written.stream().map(ConstantSortKeys::withoutConstantKeys).toList(), true);
        byte[] old = before.serde().serializer().serialize("t", rows(before, 3));
        assertEquals(AggregateStateSerde.VERSION_ELEMENTS_BESIDE, old[0]);
        SerializationException refused = assertThrows(SerializationException.class,
                () -> now.serde().deserializer().deserialize("app-q-store-changelog", old));
        assertTrue(refused.getMessage().contains("format version 9; this query reads version 21"), refused.getMessage());
        assertTrue(refused.getMessage().contains("21: ARRAY_AGG with a constant ORDER BY key"), refused.getMessage());
        byte[] fresh = now.serde().serializer().serialize("t", rows(now, 3));
        assertEquals(AggregateStateSerde.VERSION_CONSTANT_SORT_KEYS, fresh[0]);
        assertThrows(SerializationException.class, () -> before.serde().deserializer().deserialize("t", fresh));
        // the new state does not grow with the group: two element counts
        assertEquals(now.serde().serializer().serialize("t", rows(now, 200)).length,
                now.serde().serializer().serialize("t", rows(now, 16_000)).length);
    }

    @Test
    void aTablesDistinctConstantListCountsItsKeysInFormat21() {
        AggregateCall call = arrayAgg(new Expr.Literal("x", ScalarType.VARCHAR), true, List.of(false), V);
        Aggregation table = Aggregation.overChangelogWithValueStore(List.of(call), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        assertEquals(Aggregation.ValuesKept.DISTINCT_IN_STORE, table.kept(0));
        byte[] empty = table.serde().serializer().serialize("t", table.initial());
        assertEquals(AggregateStateSerde.VERSION_CONSTANT_SORT_KEYS, empty[0]);
        // the older layout: the set of keys in the value, tagged 19
        Aggregation inValue = new Aggregation(List.of(call), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), true);
        byte[] old = inValue.serde().serializer().serialize("t", inValue.initial());
        assertEquals(AggregateStateSerde.VERSION_CONSTANT_LISTS, old[0]);
        assertThrows(SerializationException.class, () -> table.serde().deserializer().deserialize("t", old));
    }
}
