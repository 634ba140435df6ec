package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.udf.JavaAggregateUdf;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State format 20: over a table, {@code agg(DISTINCT x)} of ksqlDB's STDDEV_SAMPLE, SUM_LIST or a Java
 * aggregate with {@code retract} holds its plain accumulator in the state, its values counted in
 * {@code <step>-values-store}, where every older format held the value → count map. The same
 * query's older state is refused with a message naming both versions (both ways); queries without
 * such a call keep their formats; 20 wins over 13, 15 and 19; the plan-only decision
 * ({@link TableDistinctCalls#stateFormat(List)}, what {@code sluice diff} compares) agrees with the
 * build's for every built-in function.
 */
class TableDistinctRetractingStateFormatTest {
    private static final Expr V = new Expr.InputRef(0, ScalarType.BIGINT);
    private static final Expr ARR = new Expr.InputRef(1, new ArrayType(ScalarType.BIGINT));
    private static final DefaultFunctionCatalog BUILT_IN = DefaultFunctionCatalog.wallClock();

    /** A Java aggregate that retracts: a plain sum. */
    public static final class RetractingSum {
        public static final class Acc {
            public long sum;
        }

        public Acc createAccumulator() {
            return new Acc();
        }

        public void accumulate(Acc acc, long value) {
            acc.sum += value;
        }

        public void retract(Acc acc, long value) {
            acc.sum -= value;
        }

        public long getValue(Acc acc) {
            return acc.sum;
        }
    }

    private static AggregateCall distinct(String function, Expr argument, dev.sluice.serdes.row.SqlType type) {
        return new AggregateCall(function, List.of(argument), true, Optional.empty(), List.of(), type);
    }

    private static final AggregateCall STDDEV_SAMPLE = distinct("STDDEV_SAMPLE", V, ScalarType.DOUBLE);
    private static final AggregateCall SUM_LIST = distinct("SUM_LIST", ARR, ScalarType.BIGINT);
    private static final AggregateCall UDAF = distinct("RSUM", V, ScalarType.BIGINT);

    private static FunctionCatalog withUdaf() {
        ScriptFunctionCatalog catalog = new ScriptFunctionCatalog(BUILT_IN);
        assertTrue(catalog.declare(JavaAggregateUdf.load("rsum", RetractingSum.class)));
        return catalog;
    }

    private static Aggregation table(AggregateCall... calls) {
        FunctionCatalog functions = withUdaf();
        return Aggregation.overChangelogWithValueStore(List.of(calls), -1, functions, new ExprCompiler(functions));
    }

    /** The layout before format 20: every DISTINCT call's value → count map in the state. */
    private static Aggregation tableBefore(AggregateCall... calls) {
        FunctionCatalog functions = withUdaf();
        return new Aggregation(List.of(calls), -1, functions, new ExprCompiler(functions), true);
    }

    private static byte[] write(Aggregation aggregation, AggregateState state) {
        return aggregation.serde().serializer().serialize("t", state);
    }

    /** Counts values in a map, as {@link ValueCounts} does in its store. */
    private static final class MapValues implements Aggregation.StoredValues {
        private final java.util.Map<List<Object>, Long> counts = new java.util.HashMap<>();

        @Override
        public long count(int call, Object[] values, int delta) {
            List<Object> key = new java.util.ArrayList<>(Arrays.asList(values));
            key.add(0, call);
            Long held = counts.get(key);
            if (held == null && delta < 0) {
                return -1;
            }
            long after = (held == null ? 0 : held) + delta;
            if (after <= 0) {
                counts.remove(key);
                return 0;
            }
            counts.put(key, after);
            return after;
        }

        @Override
        public Object extreme(int call, boolean max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object multiset(int call, Object value, int delta) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void stddevSampleSumListAndAJavaAggregateHoldTheirPlainAccumulatorInFormat20() {
        Aggregation now = table(STDDEV_SAMPLE, SUM_LIST, UDAF);
        for (int call = 0; call < 3; call++) {
            assertEquals(Aggregation.ValuesKept.DISTINCT_IN_STORE, now.kept(call), "call " + call);
        }
        MapValues values = new MapValues();
        AggregateState state = now.initial();
        for (Row row : List.of(Row.of(3L, List.of(1L, 2L)), Row.of(3L, List.of(1L, 2L)), Row.of(5L, List.of(4L)))) {
            state = now.add(row, state, values);
        }
        // the second row repeats the first: each call sees 3 and 5 (or [1, 2] and [4]) once
        assertEquals(Arrays.asList(Math.sqrt(2.0), 7L, 8L), Arrays.asList(now.results(state, 0)));
        state = now.retract(Row.of(3L, List.of(1L, 2L)), state, values, false);
        assertEquals(Arrays.asList(Math.sqrt(2.0), 7L, 8L), Arrays.asList(now.results(state, 0)), "3 is still there");
        state = now.retract(Row.of(3L, List.of(1L, 2L)), state, values, false);
        assertEquals(Arrays.asList(0.0, 4L, 5L), Arrays.asList(now.results(state, 0)), "3's last row left");
        byte[] v20 = write(now, state);
        assertEquals(AggregateStateSerde.VERSION_TABLE_DISTINCT_RETRACTING, v20[0]);
        assertEquals(20, v20[0]);
        assertEquals(Arrays.asList(now.results(state, 0)),
                Arrays.asList(now.results(now.serde().deserializer().deserialize("t", v20), 0)));
        assertEquals(3, values.counts.size(), "5, [4], 5: one value per call");
    }

    @Test
    void theSameQuerysOlderStateIsRefusedBothWays() {
        for (AggregateCall call : List.of(STDDEV_SAMPLE, SUM_LIST, UDAF)) {
            Aggregation before = tableBefore(call);
            assertEquals(Aggregation.ValuesKept.IN_STATE, before.kept(0));
            Row row = call == SUM_LIST ? Row.of(null, List.of(1L)) : Row.of(7L, null);
            byte[] v2 = write(before, before.add(row, before.initial()));
            assertEquals(AggregateStateSerde.VERSION, v2[0]);
            Aggregation now = table(call);
            SerializationException upgrade = assertThrows(SerializationException.class,
                    () -> now.serde().deserializer().deserialize("app-q-store-changelog", v2));
            assertTrue(upgrade.getMessage().contains("app-q-store-changelog has format version 2; this query reads "
                    + "version 20"), upgrade.getMessage());
            assertTrue(upgrade.getMessage().contains("20: a table's DISTINCT STDDEV_SAMPLE, SUM_LIST and Java "
                    + "aggregates' values in their own store"), upgrade.getMessage());
            assertTrue(upgrade.getMessage().contains("--reset-incompatible-state"), upgrade.getMessage());
            // and an older Sluice reading format 20 refuses it as well
            SerializationException downgrade = assertThrows(SerializationException.class,
                    () -> before.serde().deserializer().deserialize("t", write(now, now.initial())));
            assertTrue(downgrade.getMessage().contains("format version 20; this query reads version 2"),
                    downgrade.getMessage());
        }
    }

    @Test
    void format20WinsOverTheOtherFormatsOfTheSameStep() {
        AggregateCall stddevPop = distinct("STDDEV_POP", V, ScalarType.DOUBLE);
        AggregateCall sum = distinct("SUM", V, ScalarType.BIGINT);
        // a step that had format 13 (STDDEV_POP beside) with STDDEV_SAMPLE's map in the value
        byte[] v13 = write(table(stddevPop, sum), table(stddevPop, sum).initial());
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_BESIDE, v13[0]);
        Aggregation mixed = table(stddevPop, sum, STDDEV_SAMPLE);
        assertEquals(20, write(mixed, mixed.initial())[0]);
        SerializationException e = assertThrows(SerializationException.class,
                () -> mixed.serde().deserializer().deserialize("t", v13));
        assertTrue(e.getMessage().contains("format version 13; this query reads version 20"), e.getMessage());
        // beside an ARRAY_AGG of a constant (format 19) too
        AggregateCall constantList = new AggregateCall("ARRAY_AGG", List.of(new Expr.Literal("x", ScalarType.VARCHAR)),
                false, Optional.empty(), List.of(), new ArrayType(ScalarType.VARCHAR));
        Aggregation withConstant = table(constantList, UDAF);
        assertEquals(20, write(withConstant, withConstant.initial())[0]);
        assertEquals(19, write(table(constantList), table(constantList).initial())[0]);
        // beside a DISTINCT call over a MAP, keyed by equality (15)
        AggregateCall countOfMaps = distinct("COUNT", new Expr.InputRef(4, new dev.sluice.serdes.row.MapType(
                ScalarType.VARCHAR, ScalarType.BIGINT)), ScalarType.BIGINT);
        assertEquals(15, write(table(countOfMaps), table(countOfMaps).initial())[0]);
        assertEquals(20, write(table(countOfMaps, STDDEV_SAMPLE), table(countOfMaps, STDDEV_SAMPLE).initial())[0]);
        // single calls and pairs
        assertEquals(List.of(4, 13, 20, 20), List.of((int) write(table(sum), table(sum).initial())[0],
                (int) write(table(stddevPop), table(stddevPop).initial())[0],
                (int) write(table(sum, SUM_LIST), table(sum, SUM_LIST).initial())[0],
                (int) write(table(UDAF, sum), table(UDAF, sum).initial())[0]));
    }

    @Test
    void queriesWithoutSuchACallKeepTheirFormats() {
        AggregateCall plainSample = new AggregateCall("STDDEV_SAMPLE", List.of(V), false, Optional.empty(), List.of(),
                ScalarType.DOUBLE);
        Aggregation plain = table(plainSample);
        assertEquals(Aggregation.ValuesKept.IN_STATE, plain.kept(0));
        assertEquals(AggregateStateSerde.VERSION, write(plain, plain.initial())[0]);
        // a stream's DISTINCT STDDEV_SAMPLE is marked by <step>-distinct-store (format 3), as before
        Aggregation stream = Aggregation.overStream(List.of(STDDEV_SAMPLE), -1, BUILT_IN, new ExprCompiler(BUILT_IN), 1,
                -1, false);
        assertEquals(AggregateStateSerde.VERSION_DISTINCT_IN_STORE, write(stream, stream.initial())[0]);
    }

    /** Every built-in function the plan-only rule knows by name decides as the build does, DISTINCT or not. */
    @Test
    void thePlanOnlyDecisionAgreesWithTheBuildForEveryBuiltInFunction() {
        Expr d = new Expr.InputRef(2, ScalarType.DOUBLE);
        Expr flag = new Expr.InputRef(3, ScalarType.BOOLEAN);
        List<AggregateCall> calls = List.of(
                distinct("COUNT", V, ScalarType.BIGINT), distinct("SUM", V, ScalarType.BIGINT),
                distinct("AVG", V, ScalarType.DOUBLE), distinct("MIN", V, ScalarType.BIGINT),
                distinct("MAX", V, ScalarType.BIGINT), distinct("STDDEV_SAMP", d, ScalarType.DOUBLE),
                distinct("STDDEV", d, ScalarType.DOUBLE), distinct("VAR_POP", d, ScalarType.DOUBLE),
                distinct("VARIANCE", d, ScalarType.DOUBLE), distinct("COUNT_IF", flag, ScalarType.BIGINT),
                distinct("BOOL_AND", flag, ScalarType.BOOLEAN), distinct("EVERY", flag, ScalarType.BOOLEAN),
                distinct("BOOL_OR", flag, ScalarType.BOOLEAN),
                new AggregateCall("CORRELATION", List.of(V, d), true, Optional.empty(), List.of(), ScalarType.DOUBLE),
                STDDEV_SAMPLE, SUM_LIST, distinct("ARRAY_AGG", V, new ArrayType(ScalarType.BIGINT)),
                distinct("COLLECT_LIST", V, new ArrayType(ScalarType.BIGINT)),
                distinct("COLLECT_SET", V, new ArrayType(ScalarType.BIGINT)),
                distinct("FIRST", V, ScalarType.BIGINT), distinct("LAST", V, ScalarType.BIGINT),
                distinct("COUNT_DISTINCT", V, ScalarType.BIGINT), distinct("ATTR", V, ScalarType.BIGINT),
                distinct("APPROX_COUNT_DISTINCT", V, ScalarType.BIGINT));
        for (AggregateCall call : calls) {
            Aggregation built = table(call);
            boolean inStore = built.kept(0) == Aggregation.ValuesKept.DISTINCT_IN_STORE;
            assertEquals(inStore, TableDistinctCalls.keepsValuesBeside(call), call.function());
            byte format = TableDistinctCalls.stateFormat(List.of(call));
            assertEquals(inStore, format != 0, call.function());
            if (inStore) {
                assertTrue(format == 4 || format == 13 || format == 20, call.function() + " " + format);
                assertEquals(format == 13, Aggregation.distinctBeside(List.of(call), true, Optional.empty()),
                        call.function());
            }
        }
        assertEquals(20, TableDistinctCalls.stateFormat(List.of(STDDEV_SAMPLE)));
        assertEquals(20, TableDistinctCalls.stateFormat(List.of(SUM_LIST)));
        assertEquals(20, TableDistinctCalls.stateFormat(List.of(UDAF)), "a declared function that compiled");
        assertEquals(13, TableDistinctCalls.stateFormat(List.of(calls.get(5))));
        assertEquals(4, TableDistinctCalls.stateFormat(List.of(calls.get(0))));
    }
}
