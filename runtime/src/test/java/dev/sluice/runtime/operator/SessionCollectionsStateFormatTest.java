package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.runtime.plan.AggregateCall;
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
 * A session aggregate whose TOPK and ARRAY_AGG keep their values in {@link SessionCollections}' store
 * writes state format 8 (a held result and an element count where format 2 has the values and the
 * list): each reads its own state back, and a session store written by an older Sluice (format 2,
 * the collections in the state) is refused with a message naming both versions and the way out.
 */
class SessionCollectionsStateFormatTest {
    private static final Expr X = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("TOPK", List.of(X, new Expr.Literal(2L, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), new ArrayType(ScalarType.BIGINT)),
            new AggregateCall("ARRAY_AGG", List.of(X), false, Optional.empty(), List.of(), new ArrayType(ScalarType.BIGINT)),
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT));
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    private static AggregateStateSerde inState() {
        return new Aggregation(CALLS, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS)).serde();
    }

    /** As the builder makes it for a session window: results in column 1, the lists' counts in the state. */
    private static Aggregation inStore() {
        Aggregation aggregation = Aggregation.overStream(CALLS, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), -1, 1);
        SessionCollections.prepare(CALLS, aggregation);
        return aggregation;
    }

    @Test
    void theSessionFormatReadsItsOwnStateBackWithTheHeldResultAndTheCount() {
        Aggregation aggregation = inStore();
        AggregateStateSerde serde = aggregation.serde(AggregateStateSerde.VERSION_SESSION_COLLECTIONS_IN_STORE);
        Object[] results = new Object[] {List.of(9L, 8L), null, null};
        AggregateState state = aggregation.add(Row.of(9L, new StoredResults(new Object[][] {results})),
                aggregation.initial());
        byte[] v7 = serde.serializer().serialize("t", state);
        assertEquals(8, v7[0]);
        assertEquals(List.of(List.of(9L, 8L), 1L, 1L),
                List.of(aggregation.results(serde.deserializer().deserialize("t", v7), 0)));
    }

    @Test
    void stateWithTheCollectionsInTheValueIsRefusedAndTheReverse() {
        Aggregation old = new Aggregation(CALLS, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        byte[] v2 = inState().serializer().serialize("t", old.add(Row.of(3L), old.initial()));
        AggregateStateSerde v7serde = inStore().serde(AggregateStateSerde.VERSION_SESSION_COLLECTIONS_IN_STORE);
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> v7serde.deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 8"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("8: a session window's percentiles', TOPK's and ARRAY_AGG's values"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        Aggregation aggregation = inStore();
        byte[] v7 = v7serde.serializer().serialize("t", aggregation.initial());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> inState().deserializer().deserialize("app-q-store-changelog", v7));
        assertTrue(downgrade.getMessage().contains("format version 8; this query reads version 2"), downgrade.getMessage());
    }
}
