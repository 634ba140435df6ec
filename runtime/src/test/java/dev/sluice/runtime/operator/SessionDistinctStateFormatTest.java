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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 12: a session aggregate whose COUNT_DISTINCT, ATTR or DISTINCT calls moved out of
 * the state ({@link SessionStateFormat}) writes version 12 and reads it back; the states an older
 * Sluice wrote for the same query (format 2 with the maps and sets, format 8 with the percentiles
 * in the store and the sets in the state) are refused with a message naming both versions and the
 * way out, and a query whose layout did not change keeps its format (8, 3 or 2).
 */
class SessionDistinctStateFormatTest {
    private static final Expr X = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    private static AggregateCall call(String function, boolean distinct, dev.sluice.serdes.row.SqlType type,
                                      Expr... arguments) {
        return new AggregateCall(function, List.of(arguments), distinct, Optional.empty(), List.of(), type);
    }

    private static final AggregateCall COUNT_DISTINCT = call("COUNT_DISTINCT", false, ScalarType.BIGINT, X);
    private static final AggregateCall ATTR = call("ATTR", false, ScalarType.BIGINT, X);
    private static final AggregateCall MIN_DISTINCT = call("MIN", true, ScalarType.BIGINT, X);
    private static final AggregateCall COUNT_OF_DISTINCT = call("COUNT", true, ScalarType.BIGINT, X);
    /** Kept its set in the state before format 17 (which moved it to the distinct store). */
    private static final AggregateCall STDDEV_DISTINCT = call("STDDEV_POP", true, ScalarType.DOUBLE, X);
    /** A DISTINCT call whose set stays in the state. */
    private static final AggregateCall SET_DISTINCT = call("COLLECT_SET", true, new ArrayType(ScalarType.BIGINT), X);
    private static final AggregateCall TOPK = new AggregateCall("TOPK", List.of(X, new Expr.Literal(2L, ScalarType.BIGINT)),
            false, Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT));
    private static final AggregateCall TOPK_DISTINCT = new AggregateCall("TOPK",
            List.of(X, new Expr.Literal(2L, ScalarType.BIGINT)), true, Optional.empty(), List.of(),
            new ArrayType(ScalarType.BIGINT));
    private static final List<AggregateCall> CALLS = List.of(COUNT_DISTINCT, ATTR, MIN_DISTINCT, TOPK,
            call("COUNT", false, ScalarType.BIGINT));

    /** As the builder makes it for a session window: distinct marks in column 1, stored results in column 2. */
    private static Aggregation inStore(List<AggregateCall> calls) {
        Aggregation aggregation = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), 1, 2);
        SessionCollections.prepare(calls, aggregation);
        SessionDistinctValues.prepare(calls, aggregation);
        return aggregation;
    }

    private static AggregateStateSerde format12(Aggregation aggregation) {
        return SessionStateFormat.serde(aggregation, true, AggregateStateSerde.VERSION_SESSION_DISTINCT_IN_STORE);
    }

    @Test
    void theFormatReadsItsOwnStateBackWithHeldResultsAndPlainAccumulators() {
        Aggregation aggregation = inStore(CALLS);
        AggregateStateSerde serde = format12(aggregation);
        // COUNT_DISTINCT 1, ATTR 4, TOPK [4]: SessionCollections' results; MIN's first occurrence: bit 2
        Object[] results = {1L, 4L, null, List.of(4L), null};
        AggregateState state = aggregation.add(Row.of(4L, 1L << 2, new StoredResults(new Object[][] {results})),
                aggregation.initial());
        byte[] bytes = serde.serializer().serialize("t", state);
        assertEquals(12, bytes[0]);
        assertEquals(List.of(1L, 4L, 4L, List.of(4L), 1L),
                List.of(aggregation.results(serde.deserializer().deserialize("t", bytes), 0)));
    }

    @Test
    void olderStatesOfTheSameQueryAreRefusedWithTheWayOut() {
        Aggregation old = new Aggregation(CALLS, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        byte[] v2 = old.serde().serializer().serialize("t", old.add(Row.of(3L), old.initial()));
        AggregateStateSerde serde = format12(inStore(CALLS));
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 12"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("12: a session window's COUNT_DISTINCT, ATTR and other DISTINCT"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        // format 8: TOPK in the store, MIN(DISTINCT)'s set and COUNT_DISTINCT's map in the state
        byte[] v8 = new byte[] {AggregateStateSerde.VERSION_SESSION_COLLECTIONS_IN_STORE, 0};
        SerializationException from8 = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("app-q-store-changelog", v8));
        assertTrue(from8.getMessage().contains("format version 8; this query reads version 12"), from8.getMessage());
        byte[] v12 = serde.serializer().serialize("t", inStore(CALLS).initial());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> old.serde().deserializer().deserialize("t", v12));
        assertTrue(downgrade.getMessage().contains("format version 12; this query reads version 2"),
                downgrade.getMessage());
    }

    @Test
    void onlyQueriesWhoseStoredFormChangedTakeFormat12() {
        assertTrue(SessionStateFormat.applies(List.of(COUNT_DISTINCT)));
        assertTrue(SessionStateFormat.applies(List.of(ATTR, TOPK)));
        assertTrue(SessionStateFormat.applies(List.of(TOPK_DISTINCT)));
        assertTrue(SessionStateFormat.applies(List.of(MIN_DISTINCT)));
        // COUNT(DISTINCT) kept its set in the state beside another DISTINCT call the store could not take
        assertTrue(SessionStateFormat.applies(List.of(COUNT_OF_DISTINCT, SET_DISTINCT)));
        // ... and a STDDEV(DISTINCT) now in the store too: format 17, not 12
        assertFalse(SessionStateFormat.applies(List.of(COUNT_OF_DISTINCT, STDDEV_DISTINCT)));
        // unchanged: format 3 (COUNT(DISTINCT) in the store), 8 (TOPK in the store), 2 (a set in the state)
        assertFalse(SessionStateFormat.applies(List.of(COUNT_OF_DISTINCT)));
        assertFalse(SessionStateFormat.applies(List.of(TOPK, COUNT_OF_DISTINCT)));
        assertFalse(SessionStateFormat.applies(List.of(SET_DISTINCT)));
    }

    @Test
    void aDistinctCallTheStoreCannotMergeKeepsItsSetInTheStateBesideTheStoredOnes() {
        Aggregation aggregation = inStore(List.of(COUNT_OF_DISTINCT, SET_DISTINCT));
        // COUNT(DISTINCT) sees only first occurrences (bit 0); COLLECT_SET(DISTINCT) dedups in its own set
        AggregateState state = aggregation.initial();
        state = aggregation.add(Row.of(1L, 1L, null), state);
        state = aggregation.add(Row.of(1L, 0L, null), state);
        state = aggregation.add(Row.of(3L, 1L, null), state);
        assertEquals(List.of(2L, List.of(1L, 3L)), List.of(aggregation.results(state, 0)));
    }
}
