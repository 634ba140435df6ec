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
 * State format 18: a stream step with a DISTINCT call keeps its ARRAY_AGG, COLLECT_SET and
 * HISTOGRAM calls (DISTINCT ones too) beside the state, and a table step its COLLECT_SET(DISTINCT)
 * and HISTOGRAM(DISTINCT): a count in the state where the same query's older state (3 or 13 over a
 * stream, 4 over a table) held the list, set or map. 18 wins over 13 (a DISTINCT percentile beside);
 * each reads its own state back, refuses the other with a message naming both versions, and a step
 * without a DISTINCT call keeps its format.
 */
class DistinctElementsStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr S = new Expr.InputRef(1, ScalarType.VARCHAR);
    private static final AggregateCall ARRAY_AGG_DISTINCT = new AggregateCall("ARRAY_AGG", List.of(V), true,
            Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT));
    private static final AggregateCall COLLECT_SET_DISTINCT = new AggregateCall("COLLECT_SET", List.of(V), true,
            Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT));
    private static final AggregateCall HISTOGRAM_DISTINCT = new AggregateCall("HISTOGRAM", List.of(S), true,
            Optional.empty(), List.of(), new MapType(ScalarType.VARCHAR, ScalarType.BIGINT));
    private static final AggregateCall HISTOGRAM = new AggregateCall("HISTOGRAM", List.of(S), false, Optional.empty(),
            List.of(), new MapType(ScalarType.VARCHAR, ScalarType.BIGINT));
    private static final AggregateCall COUNT_DISTINCT = new AggregateCall("COUNT", List.of(S), true, Optional.empty(),
            List.of(), ScalarType.BIGINT);
    private static final AggregateCall PERCENTILE_DISTINCT = new AggregateCall("PERCENTILE_DISC",
            List.of(V, new Expr.Literal(new java.math.BigDecimal("0.5"), ScalarType.DOUBLE)), true, Optional.empty(), List.of(), ScalarType.BIGINT);
    private static final AggregateCall COUNT = new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(),
            ScalarType.BIGINT);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    /** A stream step whose DISTINCT calls are marked in column 2 (as DistinctValues writes it). */
    private static Aggregation stream(List<AggregateCall> calls, boolean beside) {
        Aggregation aggregation = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), 2, -1);
        if (beside) {
            ListElements.keepListsInStore(calls, aggregation, false);
        }
        return aggregation;
    }

    private static AggregateState rows(Aggregation aggregation) {
        AggregateState state = aggregation.initial();
        // every call's first occurrence marked, then a repeat marked for none
        state = aggregation.add(Row.of(7L, "a", -1L), state);
        state = aggregation.add(Row.of(8L, "b", -1L), state);
        return aggregation.add(Row.of(7L, "a", 0L), state);
    }

    private static List<Object> roundTrip(Aggregation aggregation, byte version) {
        byte[] bytes = aggregation.serde().serializer().serialize("t", rows(aggregation));
        assertEquals(version, bytes[0]);
        return List.of(aggregation.results(aggregation.serde().deserializer().deserialize("t", bytes), 0));
    }

    private static void refusedBothWays(Aggregation newer, Aggregation older) {
        byte[] old = older.serde().serializer().serialize("t", rows(older));
        byte[] now = newer.serde().serializer().serialize("t", rows(newer));
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> newer.serde().deserializer().deserialize("app-q-store-changelog", old));
        assertTrue(upgrade.getMessage().contains("format version " + old[0] + "; this query reads version 18"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("18: a step's collections beside its DISTINCT calls"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> older.serde().deserializer().deserialize("app-q-store-changelog", now));
        assertTrue(downgrade.getMessage().contains("format version 18; this query reads version " + old[0]),
                downgrade.getMessage());
    }

    @Test
    void aStreamStepWithADistinctCallKeepsItsCollectionsBesideInFormat18() {
        List<AggregateCall> calls = List.of(ARRAY_AGG_DISTINCT, COLLECT_SET_DISTINCT, HISTOGRAM, COUNT_DISTINCT, COUNT);
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_ELEMENTS, ListElements.stateFormat(calls, false));
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_ELEMENTS, ListElements.stateFormat(calls, true));
        // the stored calls count what reached them (DISTINCT ones: first occurrences), the reader fills them
        assertEquals(List.of(2L, 2L, 3L, 2L, 3L),
                roundTrip(stream(calls, true), AggregateStateSerde.VERSION_DISTINCT_ELEMENTS));
        assertEquals(List.of(List.of(7L, 8L), List.of(7L, 8L), Map.of("a", 2L, "b", 1L), 2L, 3L),
                roundTrip(stream(calls, false), AggregateStateSerde.VERSION_DISTINCT_IN_STORE));
        refusedBothWays(stream(calls, true), stream(calls, false));
    }

    @Test
    void format18WinsOverTheDistinctBesideFormat13() {
        List<AggregateCall> calls = List.of(PERCENTILE_DISTINCT, HISTOGRAM_DISTINCT, COUNT);
        Aggregation beside = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), 2, 3, true);
        Aggregation inValue = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), 2, 3, true);
        ListElements.keepListsInStore(calls, beside, true);
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_ELEMENTS,
                beside.serde().serializer().serialize("t", beside.initial())[0]);
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_BESIDE,
                inValue.serde().serializer().serialize("t", inValue.initial())[0]);
        byte[] v13 = inValue.serde().serializer().serialize("t", inValue.initial());
        assertThrows(SerializationException.class, () -> beside.serde().deserializer().deserialize("t", v13));
    }

    @Test
    void aTablesDistinctSetsAreFormat18AndTheOtherSetsKeepTheirFormat() {
        List<AggregateCall> calls = List.of(COLLECT_SET_DISTINCT, HISTOGRAM_DISTINCT, COUNT);
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_ELEMENTS, TableElements.stateFormat(calls));
        assertEquals(AggregateStateSerde.VERSION_SETS_IN_STORE, TableElements.stateFormat(List.of(HISTOGRAM, COUNT)));
        Aggregation table = Aggregation.overChangelogWithValueStore(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        TableElements.keepElementsInStore(calls, table);
        Aggregation inValue = Aggregation.overChangelogWithValueStore(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        byte[] v18 = table.serde().serializer().serialize("t", table.initial());
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_ELEMENTS, v18[0]);
        byte[] old = inValue.serde().serializer().serialize("t", inValue.initial());
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> table.serde().deserializer().deserialize("app-q-store-changelog", old));
        assertTrue(upgrade.getMessage().contains("format version " + old[0] + "; this query reads version 18"),
                upgrade.getMessage());
        assertThrows(SerializationException.class, () -> inValue.serde().deserializer().deserialize("t", v18));
    }

    @Test
    void aStepWithoutADistinctCallKeepsItsFormat() {
        assertEquals(AggregateStateSerde.VERSION_SETS_IN_STORE, ListElements.stateFormat(List.of(HISTOGRAM, COUNT), false));
        AggregateCall arrayAgg = new AggregateCall("ARRAY_AGG", List.of(V), false, Optional.empty(), List.of(),
                new ArrayType(ScalarType.BIGINT));
        assertEquals(AggregateStateSerde.VERSION_LISTS_IN_STORE, ListElements.stateFormat(List.of(arrayAgg, COUNT), true));
        assertEquals(AggregateStateSerde.VERSION_ELEMENTS_BESIDE, ListElements.stateFormat(List.of(arrayAgg), false));
    }
}
