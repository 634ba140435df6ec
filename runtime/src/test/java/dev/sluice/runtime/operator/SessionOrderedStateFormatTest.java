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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 16: a session aggregate whose COLLECT_SET, HISTOGRAM, ARRAY_AGG with ORDER BY or
 * DISTINCT, or FIRST/LAST(DISTINCT) keep their elements in {@link SessionOrderedElements} writes
 * version 16 (a row count per such call) and reads it back; the states an older Sluice wrote for
 * the same query (format 2 with the lists, maps and sets in the value, 8 with a plain ARRAY_AGG in
 * the store beside them, 12 with COUNT_DISTINCT in the store beside them) are refused with a
 * message naming both versions and the way out.
 */
class SessionOrderedStateFormatTest {
    private static final Expr X = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr W = new Expr.InputRef(1, ScalarType.VARCHAR);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    private static AggregateCall call(String function, boolean distinct, List<Boolean> descending,
                                      dev.sluice.serdes.row.SqlType type, Expr... arguments) {
        return new AggregateCall(function, List.of(arguments), distinct, Optional.empty(), descending, type);
    }

    private static final AggregateCall SET = call("COLLECT_SET", false, List.of(), new ArrayType(ScalarType.BIGINT), X);
    private static final AggregateCall HISTOGRAM = call("HISTOGRAM", true, List.of(),
            new MapType(ScalarType.VARCHAR, ScalarType.BIGINT), W);
    private static final AggregateCall SORTED = call("ARRAY_AGG", false, List.of(true), new ArrayType(ScalarType.BIGINT), X, W);
    private static final AggregateCall FIRST = call("FIRST", true, List.of(), ScalarType.BIGINT, X);
    private static final AggregateCall PLAIN = call("ARRAY_AGG", false, List.of(), new ArrayType(ScalarType.BIGINT), X);
    private static final AggregateCall COUNT_DISTINCT = call("COUNT_DISTINCT", false, List.of(), ScalarType.BIGINT, X);
    private static final List<AggregateCall> CALLS = List.of(SET, HISTOGRAM, SORTED, FIRST, PLAIN, COUNT_DISTINCT,
            call("COUNT", false, List.of(), ScalarType.BIGINT));

    /** As the builder makes it for a session window: stored results in column 2. */
    private static Aggregation inStore(List<AggregateCall> calls) {
        Aggregation aggregation = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), -1, 2);
        SessionCollections.prepare(calls, aggregation);
        SessionDistinctValues.prepare(calls, aggregation);
        return aggregation;
    }

    private static AggregateStateSerde serde(Aggregation aggregation, List<AggregateCall> calls) {
        return SessionStateFormat.serde(aggregation, true, SessionStateFormat.version(calls));
    }

    @Test
    void theFormatKeepsARowCountPerStoredCallAndReadsItBack() {
        Aggregation aggregation = inStore(CALLS);
        AggregateStateSerde serde = serde(aggregation, CALLS);
        Object[] results = {null, null, null, null, null, 1L, null};
        AggregateState state = aggregation.add(Row.of(4L, "a", new StoredResults(new Object[][] {results})),
                aggregation.initial());
        state = aggregation.add(Row.of(5L, "b", new StoredResults(new Object[][] {results})), state);
        byte[] bytes = serde.serializer().serialize("t", state);
        assertEquals(16, bytes[0]);
        // the stored calls' row counts (SessionOrderedElements and SessionCollections replace them when emitting)
        assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 1L, 2L),
                List.of(aggregation.results(serde.deserializer().deserialize("t", bytes), 0)));
    }

    @Test
    void olderStatesOfTheSameQueryAreRefusedWithTheWayOut() {
        Aggregation old = new Aggregation(CALLS, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        byte[] v2 = old.serde().serializer().serialize("t", old.add(Row.of(3L, "a"), old.initial()));
        AggregateStateSerde serde = serde(inStore(CALLS), CALLS);
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 16"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("16: a session window's COLLECT_SET, HISTOGRAM"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        for (byte older : new byte[] {AggregateStateSerde.VERSION_SESSION_COLLECTIONS_IN_STORE,
                AggregateStateSerde.VERSION_SESSION_DISTINCT_IN_STORE}) {
            SerializationException refused = assertThrows(SerializationException.class,
                    () -> serde.deserializer().deserialize("app-q-store-changelog", new byte[] {older, 0}));
            assertTrue(refused.getMessage().contains("format version " + older + "; this query reads version 16"),
                    refused.getMessage());
        }
        byte[] v16 = serde.serializer().serialize("t", inStore(CALLS).initial());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> old.serde().deserializer().deserialize("t", v16));
        assertTrue(downgrade.getMessage().contains("format version 16; this query reads version 2"),
                downgrade.getMessage());
    }

    @Test
    void onlyTheSortedAndDeduplicatedCollectionsTakeFormat16() {
        assertTrue(SessionStateFormat.format16(List.of(SET)));
        assertTrue(SessionStateFormat.format16(List.of(HISTOGRAM)));
        assertTrue(SessionStateFormat.format16(List.of(SORTED)));
        assertTrue(SessionStateFormat.format16(List.of(FIRST)));
        assertTrue(SessionStateFormat.format16(List.of(call("ARRAY_AGG", true, List.of(), new ArrayType(ScalarType.BIGINT), X))));
        // unchanged: plain ARRAY_AGG (8), FIRST without DISTINCT (O(1) in the value), a constant argument
        assertFalse(SessionStateFormat.format16(List.of(PLAIN, COUNT_DISTINCT)));
        assertFalse(SessionStateFormat.format16(List.of(call("FIRST", false, List.of(), ScalarType.BIGINT, X))));
        assertFalse(SessionStateFormat.format16(List.of(call("ARRAY_AGG", true, List.of(true),
                new ArrayType(ScalarType.BIGINT), X, new Expr.Literal(1L, ScalarType.BIGINT)))));
        assertNull(SessionOrderedElements.kind(PLAIN));
        Aggregation plain = inStore(List.of(PLAIN));
        assertEquals(AggregateStateSerde.VERSION_SESSION_COLLECTIONS_IN_STORE,
                serde(plain, List.of(PLAIN)).serializer().serialize("t", plain.initial())[0]);
    }
}
