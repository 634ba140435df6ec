package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When COUNT_DISTINCT and ATTR (and over a table APPROX_COUNT_DISTINCT and APPROX_PERCENTILE) keep
 * their values in {@code <step>-values-store}, the aggregate's state holds only their result: format
 * 7. Format 6 (percentiles only in the store) held these calls' value → count maps, so each refuses
 * the other's state with a message naming both versions, and a query with only percentiles keeps
 * reading (and writing) format 6.
 */
class CountsInStoreStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final AggregateCall PERCENTILE = new AggregateCall("PERCENTILE_DISC",
            List.of(V, new Expr.Literal(new BigDecimal("0.5"), ScalarType.DOUBLE)), false, Optional.empty(), List.of(),
            ScalarType.BIGINT);
    private static final AggregateCall COUNT_DISTINCT = new AggregateCall("COUNT_DISTINCT", List.of(V), false,
            Optional.empty(), List.of(), ScalarType.BIGINT);
    private static final AggregateCall ATTR = new AggregateCall("ATTR", List.of(V), false, Optional.empty(), List.of(),
            ScalarType.BIGINT);

    private static Aggregation overStream(AggregateCall... calls) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return Aggregation.overStream(List.of(calls), -1, functions, new ExprCompiler(functions), -1, 1);
    }

    private static Aggregation overTable(AggregateCall... calls) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return Aggregation.overChangelogWithValueStore(List.of(calls), -1, functions, new ExprCompiler(functions));
    }

    @Test
    void countDistinctAndAttrKeepOnlyTheirResultInFormat7AndStartAtTheirEmptyResult() {
        Aggregation counts = overStream(PERCENTILE, COUNT_DISTINCT, ATTR);
        byte[] v7 = counts.serde().serializer().serialize("t", counts.initial());
        assertEquals(AggregateStateSerde.VERSION_COUNTS_IN_STORE, v7[0]);
        // COUNT_DISTINCT over no rows is 0, not NULL (a group whose rows all failed a FILTER shows 0)
        List<Object> empty = java.util.Arrays.asList(
                counts.results(counts.serde().deserializer().deserialize("t", v7), 0));
        assertEquals(java.util.Arrays.asList(null, 0L, null), empty);
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, counts.kept(1));
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, counts.kept(2));
        Aggregation percentiles = overStream(PERCENTILE);
        assertEquals(AggregateStateSerde.VERSION_MULTISETS_IN_STORE,
                percentiles.serde().serializer().serialize("t", percentiles.initial())[0]);
    }

    @Test
    void approximateCallsKeepTheirSketchOverAStreamAndTheirValuesInTheStoreOverATable() {
        AggregateCall approx = new AggregateCall("APPROX_COUNT_DISTINCT", List.of(V), false, Optional.empty(), List.of(),
                ScalarType.BIGINT);
        AggregateCall quantile = new AggregateCall("APPROX_PERCENTILE",
                List.of(V, new Expr.Literal(new BigDecimal("0.9"), ScalarType.DOUBLE)), false, Optional.empty(),
                List.of(), ScalarType.DOUBLE);
        Aggregation stream = overStream(approx, quantile, PERCENTILE);
        assertEquals(Aggregation.ValuesKept.IN_STATE, stream.kept(0));
        assertEquals(Aggregation.ValuesKept.IN_STATE, stream.kept(1));
        assertEquals(AggregateStateSerde.VERSION_MULTISETS_IN_STORE,
                stream.serde().serializer().serialize("t", stream.initial())[0]);
        Aggregation table = overTable(approx, quantile);
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, table.kept(0));
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, table.kept(1));
        assertEquals(AggregateStateSerde.VERSION_COUNTS_IN_STORE,
                table.serde().serializer().serialize("t", table.initial())[0]);
    }

    @Test
    void format6StateIsRefusedByAQueryKeepingCountsInTheStoreAndTheReverse() {
        Aggregation v6query = overStream(PERCENTILE);
        Aggregation v7query = overStream(PERCENTILE, COUNT_DISTINCT);
        byte[] v6 = v6query.serde().serializer().serialize("t", v6query.initial());
        byte[] v7 = v7query.serde().serializer().serialize("t", v7query.initial());
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> v7query.serde().deserializer().deserialize("app-q-store-changelog", v6));
        assertTrue(upgrade.getMessage().contains("app-q-store-changelog has format version 6; this query reads version 7"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("7: also COUNT_DISTINCT's, ATTR's"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> v6query.serde().deserializer().deserialize("app-q-store-changelog", v7));
        assertTrue(downgrade.getMessage().contains("format version 7; this query reads version 6"),
                downgrade.getMessage());
        assertEquals(java.util.Arrays.asList(null, 0L),
                java.util.Arrays.asList(v7query.results(v7query.serde().deserializer().deserialize("t", v7), 0)));
    }
}
