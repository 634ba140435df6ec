package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 13: a DISTINCT call whose values moved beside the state. Over a stream a DISTINCT
 * percentile, TOPK, COUNT_DISTINCT or ATTR holds only its result (format 3, 6 and 7 held the
 * multiset or value → count map of its first occurrences); over a table a DISTINCT STDDEV/VAR_*,
 * CORRELATION, COUNT_IF or BOOL_AND/OR holds its plain accumulator (2, 4, ... held value → count).
 * The same query's older state is refused with a message naming both versions, and queries without
 * such a call keep writing and reading their older format.
 */
class DistinctBesideStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();
    private static final AggregateCall DISTINCT_PERCENTILE = new AggregateCall("PERCENTILE_DISC",
            List.of(V, new Expr.Literal(new BigDecimal("0.5"), ScalarType.DOUBLE)), true, Optional.empty(), List.of(),
            ScalarType.BIGINT);
    private static final AggregateCall DISTINCT_COUNT_DISTINCT = new AggregateCall("COUNT_DISTINCT", List.of(V), true,
            Optional.empty(), List.of(), ScalarType.BIGINT);
    private static final AggregateCall DISTINCT_STDDEV = new AggregateCall("STDDEV_POP", List.of(V), true,
            Optional.empty(), List.of(), ScalarType.DOUBLE);
    private static final AggregateCall DISTINCT_SUM = new AggregateCall("SUM", List.of(V), true, Optional.empty(),
            List.of(), ScalarType.BIGINT);

    private static Aggregation stream(int firstOccurrenceColumn, int resultsColumn, boolean firstArrivals,
                                      AggregateCall... calls) {
        return Aggregation.overStream(List.of(calls), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), firstOccurrenceColumn,
                resultsColumn, firstArrivals);
    }

    private static Aggregation table(AggregateCall... calls) {
        return Aggregation.overChangelogWithValueStore(List.of(calls), -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
    }

    private static byte[] write(Aggregation aggregation, AggregateState state) {
        return aggregation.serde().serializer().serialize("t", state);
    }

    @Test
    void aStreamsDistinctPercentileAndCountDistinctHoldOnlyTheirResultInFormat13() {
        Aggregation now = stream(-1, 1, true, DISTINCT_PERCENTILE, DISTINCT_COUNT_DISTINCT);
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, now.kept(0));
        assertEquals(Aggregation.ValuesKept.MULTISET_IN_STORE, now.kept(1));
        byte[] v13 = write(now, now.initial());
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_BESIDE, v13[0]);
        assertEquals(13, v13[0]);
        assertEquals(Arrays.asList(null, 0L), Arrays.asList(now.results(now.serde().deserializer().deserialize("t", v13), 0)));
        // sessions (no first arrivals in the store): the multiset of first occurrences stays in the value
        Aggregation session = stream(1, -1, false, DISTINCT_PERCENTILE);
        assertEquals(Aggregation.ValuesKept.IN_STATE, session.kept(0));
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_IN_STORE, write(session, session.initial())[0]);
    }

    @Test
    void theStreamQuerysFormat3StateIsRefusedWithAMessage() {
        // before: DistinctValues marked first occurrences (format 3), the multiset in the value
        Aggregation before = stream(1, -1, false, DISTINCT_PERCENTILE);
        AggregateState state = before.add(Row.of(7L, 1L), before.initial());
        byte[] v3 = write(before, state);
        assertEquals(3, v3[0]);
        Aggregation now = stream(-1, 1, true, DISTINCT_PERCENTILE);
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> now.serde().deserializer().deserialize("app-q-store-changelog", v3));
        assertTrue(upgrade.getMessage().contains("app-q-store-changelog has format version 3; this query reads version 13"),
                upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("13: the values of DISTINCT percentiles"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        // and the reverse: an older Sluice reading format 13 refuses it as well
        assertThrows(SerializationException.class,
                () -> before.serde().deserializer().deserialize("t", write(now, now.initial())));
    }

    @Test
    void aTablesDistinctStddevKeepsItsPlainAccumulatorInFormat13AndRefusesTheMapOfFormat4() {
        Aggregation now = table(DISTINCT_STDDEV, DISTINCT_SUM);
        assertEquals(Aggregation.ValuesKept.DISTINCT_IN_STORE, now.kept(0));
        assertEquals(Aggregation.ValuesKept.DISTINCT_IN_STORE, now.kept(1));
        byte[] v13 = write(now, now.initial());
        assertEquals(13, v13[0]);
        assertEquals(Arrays.asList(null, null), Arrays.asList(now.results(now.serde().deserializer().deserialize("t", v13), 0)));
        // before: SUM(DISTINCT) in the store (format 4), the STDDEV's value → count map in the value
        Aggregation sumOnly = table(DISTINCT_SUM);
        byte[] v4 = write(sumOnly, sumOnly.initial());
        assertEquals(AggregateStateSerde.VERSION_VALUES_IN_STORE, v4[0]);
        SerializationException e = assertThrows(SerializationException.class,
                () -> now.serde().deserializer().deserialize("t", v4));
        assertTrue(e.getMessage().contains("format version 4; this query reads version 13"), e.getMessage());
        // a query whose calls did not move keeps format 4 and reads its own state as before
        assertEquals(Arrays.asList((Object) null),
                Arrays.asList(sumOnly.results(sumOnly.serde().deserializer().deserialize("t", v4), 0)));
    }

    @Test
    void queriesWithoutMovedCallsKeepTheirFormats() {
        Aggregation percentile = stream(-1, 1, true, new AggregateCall("PERCENTILE_DISC",
                List.of(V, new Expr.Literal(new BigDecimal("0.5"), ScalarType.DOUBLE)), false, Optional.empty(),
                List.of(), ScalarType.BIGINT));
        assertEquals(AggregateStateSerde.VERSION_MULTISETS_IN_STORE, write(percentile, percentile.initial())[0]);
        Aggregation countDistinct = stream(1, -1, false, new AggregateCall("COUNT", List.of(V), true, Optional.empty(),
                List.of(), ScalarType.BIGINT));
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_IN_STORE, write(countDistinct, countDistinct.initial())[0]);
        // a table's DISTINCT percentile was in the store already (format 7)
        Aggregation tablePercentile = table(DISTINCT_PERCENTILE);
        assertEquals(AggregateStateSerde.VERSION_COUNTS_IN_STORE, write(tablePercentile, tablePercentile.initial())[0]);
    }
}
