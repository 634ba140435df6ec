package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 17: a session aggregate whose STDDEV/VAR_*, CORRELATION or STDDEV_SAMPLE (DISTINCT)
 * keep their values in the distinct store, whose APPROX_PERCENTILE(DISTINCT) is counted in the
 * values store, or whose APPROX_COUNT_DISTINCT(DISTINCT) is the plain sketch ({@link SessionStateFormat})
 * writes version 17 and reads it back; the states older Sluice wrote for the same query (format 2
 * with the sets, 12 with the sets beside MIN(DISTINCT)'s accumulator) are refused with a message
 * naming both versions and the way out; queries without such a call keep their format.
 */
class SessionRoundingStateFormatTest {
    private static final Expr X = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

    private static AggregateCall call(String function, boolean distinct, SqlType type, Expr... arguments) {
        return new AggregateCall(function, List.of(arguments), distinct, Optional.empty(), List.of(), type);
    }

    private static final AggregateCall STDDEV_DISTINCT = call("STDDEV_POP", true, ScalarType.DOUBLE, X);
    private static final AggregateCall VARIANCE_DISTINCT = call("VARIANCE", true, ScalarType.DOUBLE, X);
    private static final AggregateCall CORRELATION_DISTINCT = call("CORRELATION", true, ScalarType.DOUBLE, X, X);
    private static final AggregateCall KSQL_STDDEV_DISTINCT = call("STDDEV_SAMPLE", true, ScalarType.DOUBLE, X);
    private static final AggregateCall APPROX_COUNT_DISTINCT = call("APPROX_COUNT_DISTINCT", true, ScalarType.BIGINT, X);
    private static final AggregateCall APPROX_PERCENTILE_DISTINCT = call("APPROX_PERCENTILE", true, ScalarType.DOUBLE, X,
            new Expr.Literal(0.5, ScalarType.DOUBLE));
    private static final AggregateCall MIN_DISTINCT = call("MIN", true, ScalarType.BIGINT, X);
    private static final AggregateCall COUNT_OF_DISTINCT = call("COUNT", true, ScalarType.BIGINT, X);
    private static final List<AggregateCall> CALLS = List.of(STDDEV_DISTINCT, APPROX_COUNT_DISTINCT,
            APPROX_PERCENTILE_DISTINCT, MIN_DISTINCT);

    /** As the builder makes it for a session window: distinct marks in column 1, stored results in column 2. */
    private static Aggregation inStore(List<AggregateCall> calls) {
        Aggregation aggregation = Aggregation.overStream(calls, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS), 1, 2);
        SessionCollections.prepare(calls, aggregation);
        SessionDistinctValues.prepare(calls, aggregation);
        return aggregation;
    }

    private static AggregateStateSerde format17(Aggregation aggregation) {
        return SessionStateFormat.serde(aggregation, true, SessionStateFormat.version(CALLS));
    }

    /** A row of value x: its first-occurrence bits, APPROX_PERCENTILE's result from the values store. */
    private static Row row(long x, long firstBits, Object percentile) {
        return Row.of(x, firstBits, new StoredResults(new Object[][] {{null, null, percentile, null}}));
    }

    @Test
    void theFormatReadsItsOwnStateBackWithPlainAccumulatorsAndTheHeldPercentile() {
        Aggregation aggregation = inStore(CALLS);
        AggregateStateSerde serde = format17(aggregation);
        AggregateState state = aggregation.initial();
        // STDDEV_POP and MIN see first occurrences only (bits 0 and 3); the sketch sees every row
        state = aggregation.add(row(2, 0b1001, 2.0), state);
        state = aggregation.add(row(2, 0, StoredMultiset.UNCHANGED), state);
        state = aggregation.add(row(4, 0b1001, 2.0), state);
        byte[] bytes = serde.serializer().serialize("t", state);
        assertEquals(17, bytes[0]);
        assertEquals(List.of(1.0, 2L, 2.0, 2L), List.of(aggregation.results(serde.deserializer().deserialize("t", bytes), 0)));
    }

    @Test
    void olderStatesOfTheSameQueryAreRefusedWithTheWayOut() {
        Aggregation old = new Aggregation(CALLS, -1, FUNCTIONS, new ExprCompiler(FUNCTIONS));
        byte[] v2 = old.serde().serializer().serialize("t", old.add(Row.of(3L), old.initial()));
        AggregateStateSerde serde = format17(inStore(CALLS));
        SerializationException upgrade = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("app-q-store-changelog", v2));
        assertTrue(upgrade.getMessage().contains("format version 2; this query reads version 17"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("17: also a session window's STDDEV/VAR_*, CORRELATION, STDDEV_SAMPLE"
                + " and APPROX_* with DISTINCT"), upgrade.getMessage());
        assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
        // format 12: MIN(DISTINCT)'s plain accumulator beside STDDEV_POP(DISTINCT)'s set in the state
        byte[] v12 = new byte[] {AggregateStateSerde.VERSION_SESSION_DISTINCT_IN_STORE, 1};
        SerializationException from12 = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("app-q-store-changelog", v12));
        assertTrue(from12.getMessage().contains("format version 12; this query reads version 17"), from12.getMessage());
        byte[] v17 = serde.serializer().serialize("t", inStore(CALLS).initial());
        SerializationException downgrade = assertThrows(SerializationException.class,
                () -> old.serde().deserializer().deserialize("t", v17));
        assertTrue(downgrade.getMessage().contains("format version 17; this query reads version 2"),
                downgrade.getMessage());
    }

    @Test
    void onlyQueriesWithAMovedCallTakeFormat17() {
        for (AggregateCall moved : List.of(STDDEV_DISTINCT, VARIANCE_DISTINCT, CORRELATION_DISTINCT, KSQL_STDDEV_DISTINCT,
                APPROX_COUNT_DISTINCT, APPROX_PERCENTILE_DISTINCT)) {
            assertEquals(17, SessionStateFormat.version(List.of(moved)), moved.function());
            assertEquals(17, SessionStateFormat.version(List.of(MIN_DISTINCT, moved)), moved.function());
            assertFalse(SessionStateFormat.applies(List.of(MIN_DISTINCT, moved)), "12 yields to 17: " + moved.function());
        }
        assertEquals(12, SessionStateFormat.version(List.of(MIN_DISTINCT)));
        assertEquals(0, SessionStateFormat.version(List.of(COUNT_OF_DISTINCT)));
        assertEquals(0, SessionStateFormat.version(List.of(call("STDDEV_POP", false, ScalarType.DOUBLE, X))));
        // 64 calls: no bit for each in the distinct store, so STDDEV_POP(DISTINCT) keeps its set in the state
        List<AggregateCall> many = new ArrayList<>(Collections.nCopies(63, call("COUNT", false, ScalarType.BIGINT)));
        many.add(STDDEV_DISTINCT);
        assertEquals(0, SessionStateFormat.version(many));
    }

    /**
     * APPROX_COUNT_DISTINCT(DISTINCT x) in a session is the plain sketch: a repeated value leaves it
     * as it was, so without a merge it equals the old form (the session's set, each value fed once to
     * a fresh sketch), at any size. Two sessions sharing half their values, merged: the sketches'
     * union equals it while the sketch holds its values exactly (small sessions); beyond, the union's
     * estimate (as APPROX_COUNT_DISTINCT without DISTINCT gives after a merge) and the fresh sketch's
     * differ, both within the sketch's error of the true count.
     */
    @Test
    void approxCountDistinctOfDistinctValuesIsThePlainSketch() {
        List<AggregateCall> calls = List.of(APPROX_COUNT_DISTINCT);
        Aggregation plain = inStore(calls);
        Aggregation fresh = new Aggregation(List.of(call("APPROX_COUNT_DISTINCT", false, ScalarType.BIGINT, X)), -1,
                FUNCTIONS, new ExprCompiler(FUNCTIONS));
        for (int size : new int[] {5, 100, 1_000}) {
            AggregateState left = plain.initial();
            AggregateState right = plain.initial();
            AggregateState leftOnce = fresh.initial();
            AggregateState unionOnce = fresh.initial();
            for (long v = 0; v < size; v++) {
                left = plain.add(Row.of(v, 0L, null), left);
                left = plain.add(Row.of(v, 0L, null), left); // a repeat within the session
                right = plain.add(Row.of(v + size / 2, 0L, null), right);
                leftOnce = fresh.add(Row.of(v), leftOnce);
            }
            for (long v = 0; v < size + size / 2; v++) {
                unionOnce = fresh.add(Row.of(v), unionOnce);
            }
            assertEquals(fresh.results(leftOnce, 0)[0], plain.results(left, 0)[0], "one session of " + size);
            long merged = (Long) plain.results(plain.merge(left, right), 0)[0];
            long once = (Long) fresh.results(unionOnce, 0)[0];
            if (size <= 100) {
                assertEquals(size + size / 2, merged, "merged sessions of " + size);
                assertEquals(once, merged, "merged sessions of " + size);
            } else {
                // 1488 and 1494 of 1500 (lg k = 12: 1.3% relative standard error)
                assertTrue(Math.abs(merged - (size + size / 2)) < 0.026 * (size + size / 2), merged + " of " + size);
                assertTrue(Math.abs(once - (size + size / 2)) < 0.026 * (size + size / 2), once + " of " + size);
            }
        }
    }
}
