package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COUNT_DISTINCT and ATTR over a type without an ordered encoding keep their values in
 * {@code <step>-values-store} by {@link EqualityKeyBytes}: state format 15, which wins over every
 * other format (each older one held these calls' value → count map in the state), and refuses
 * them with a message naming both versions. Calls over ordered types keep their formats.
 */
class EqualityKeysStateFormatTest {
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();
    private static final Expr MAP = new Expr.InputRef(0, new MapType(ScalarType.VARCHAR, ScalarType.BIGINT));
    private static final Expr BYTES = new Expr.InputRef(0, ScalarType.BYTES);
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);

    private static AggregateCall call(String function, boolean distinct, Expr argument, SqlType type) {
        return new AggregateCall(function, List.of(argument), distinct, Optional.empty(), List.of(), type);
    }

    private static Aggregation overStream(boolean distinctFirstArrivals, AggregateCall... calls) {
        return Aggregation.overStream(List.of(calls), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), -1, 1,
                distinctFirstArrivals);
    }

    @Test
    void unorderedCountDistinctAndAttrAreKeptInTheStoreInFormat15() {
        AggregateCall countMaps = call("COUNT_DISTINCT", false, MAP, ScalarType.BIGINT);
        Aggregation stream = overStream(false, countMaps, call("COUNT_DISTINCT", false, V, ScalarType.BIGINT));
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, stream.kept(0));
        assertTrue(stream.multiset(0).keyedByEquality());
        assertFalse(stream.multiset(1).keyedByEquality());
        byte[] v15 = stream.serde().serializer().serialize("t", stream.initial());
        assertEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, v15[0]);
        assertEquals(List.of(0L, 0L), List.of(stream.results(stream.serde().deserializer().deserialize("t", v15), 0)));

        Aggregation distinct = overStream(true, call("ATTR", true, BYTES, ScalarType.BYTES));
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, distinct.kept(0));
        assertEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, distinct.serde().serializer()
                .serialize("t", distinct.initial())[0]);

        Aggregation table = Aggregation.overChangelogWithValueStore(List.of(call("ATTR", false, BYTES, ScalarType.BYTES),
                call("COUNT", true, MAP, ScalarType.BIGINT)), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, table.kept(0));
        assertEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, table.serde().serializer().serialize("t", table.initial())[0]);

        assertTrue(StoredMultiset.keyedByEquality(List.of(countMaps), false));
        assertFalse(StoredMultiset.keyedByEquality(List.of(call("COUNT_DISTINCT", false, V, ScalarType.BIGINT)), true));
        // the NULL type's only value is NULL: its one-entry map stays in the state
        assertFalse(StoredMultiset.keyedByEquality(List.of(call("COUNT_DISTINCT", false,
                new Expr.InputRef(0, ScalarType.NULL), ScalarType.BIGINT)), false));
    }

    @Test
    void aSessionAggregateWritesFormat15Too() {
        List<AggregateCall> calls = List.of(call("COUNT_DISTINCT", true, new Expr.InputRef(0,
                new ArrayType(ScalarType.VARCHAR)), ScalarType.BIGINT));
        Aggregation aggregation = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), 1, 2);
        SessionCollections.prepare(calls, aggregation);
        SessionDistinctValues.prepare(calls, aggregation);
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, aggregation.kept(0));
        assertEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, SessionStateFormat.serde(aggregation, true,
                AggregateStateSerde.VERSION_SESSION_DISTINCT_IN_STORE)
                .serializer().serialize("t", aggregation.initial())[0]);
    }

    /** DISTINCT calls over a MAP (nested too) in <step>-distinct-store or a table's values store: format 15. */
    @Test
    void distinctCallsOverMapsWriteFormat15AndOthersKeepTheirFormat() {
        Expr arrayOfMaps = new Expr.InputRef(0, new ArrayType(new MapType(ScalarType.VARCHAR, ScalarType.BIGINT)));
        for (Expr argument : List.of(MAP, arrayOfMaps)) {
            // a stream's COUNT(DISTINCT m) marked by DistinctValues (the first-occurrence column)
            Aggregation stream = Aggregation.overStream(List.of(call("COUNT", true, argument, ScalarType.BIGINT)), -1,
                    FUNCTIONS, new ExprCompiler(FUNCTIONS), 1, -1);
            byte[] v15 = stream.serde().serializer().serialize("t", stream.initial());
            assertEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, v15[0]);
            Aggregation table = Aggregation.overChangelogWithValueStore(List.of(call("COUNT", true, argument,
                    ScalarType.BIGINT)), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
            assertEquals(Aggregation.ValuesKept.DISTINCT_IN_STORE, table.kept(0));
            assertEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, table.serde().serializer().serialize("t", table.initial())[0]);
        }
        Aggregation ordered = Aggregation.overStream(List.of(call("COUNT", true, V, ScalarType.BIGINT)), -1,
                FUNCTIONS, new ExprCompiler(FUNCTIONS), 1, -1);
        byte[] old = ordered.serde().serializer().serialize("t", ordered.initial());
        org.junit.jupiter.api.Assertions.assertNotEquals(AggregateStateSerde.VERSION_EQUALITY_KEYS, old[0]);
        Aggregation maps = Aggregation.overStream(List.of(call("COUNT", true, MAP, ScalarType.BIGINT)), -1,
                FUNCTIONS, new ExprCompiler(FUNCTIONS), 1, -1);
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> maps.serde().deserializer().deserialize("t", old));
        assertTrue(upgrade.getMessage().contains("this query reads version 15"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("holding a MAP or VARIANT"), upgrade.getMessage());
    }

    @Test
    void olderFormatsAreRefusedWithBothVersionsNamed() {
        Aggregation ordered = overStream(false, call("COUNT_DISTINCT", false, V, ScalarType.BIGINT));
        Aggregation unordered = overStream(false, call("COUNT_DISTINCT", false, MAP, ScalarType.BIGINT));
        byte[] v7 = ordered.serde().serializer().serialize("t", ordered.initial());
        assertEquals(AggregateStateSerde.VERSION_COUNTS_IN_STORE, v7[0]);
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> unordered.serde().deserializer().deserialize("app-q-store-changelog", v7));
        assertTrue(upgrade.getMessage().contains("format version 7; this query reads version 15"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("15: also COUNT_DISTINCT's and ATTR's over BYTES"), upgrade.getMessage());
        // a plain in-state layout (format 2) too
        Aggregation inState = new Aggregation(List.of(call("COUNT_DISTINCT", false, MAP, ScalarType.BIGINT)), -1,
                FUNCTIONS, new ExprCompiler(FUNCTIONS));
        byte[] v2 = inState.serde().serializer().serialize("t", inState.initial());
        assertThrows(SerializationException.class, () -> unordered.serde().deserializer().deserialize("t", v2));
    }
}
