package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.StructType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.in;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.lit;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ksqlDB's COLLECT_SET, COUNT_DISTINCT, HISTOGRAM, TOPK and TOPKDISTINCT (results as in ksqlDB's QTT files). */
class ValueCountsFunctionTest {

    private static AggregateHarness call(String name) {
        return AggregateHarness.of(name, col(0, ScalarType.INTEGER));
    }

    private static AggregateHarness top(String name, int k) {
        return AggregateHarness.of(name, col(0, ScalarType.INTEGER), lit(k, ScalarType.INTEGER));
    }

    @Test
    void collectSetKeepsDistinctValuesInFirstSeenOrderWithNullOnce() {
        assertEquals(Arrays.asList(3, 1, null), call("COLLECT_SET").aggregate(values(3, 1, 3, null, 1, null)));
        assertNull(call("COLLECT_SET").aggregate(values()));
        assertEquals(new ArrayType(ScalarType.INTEGER), call("COLLECT_SET").returnType);
    }

    /** BYTES values are equal by content (a byte[]'s equals is identity): copies count once and retract each other. */
    @Test
    void bytesValuesAreEqualByTheirContent() {
        var set = AggregateHarness.of("COLLECT_SET", col(0, ScalarType.BYTES));
        // (the harness's round trip compares results with equals, which a byte[] element fails)
        Object result = set.accumulate(values(new byte[] {1}, new byte[] {2}, new byte[] {1})).result();
        assertEquals(2, ((List<?>) result).size());
        assertArrayEquals(new byte[] {1}, (byte[]) ((List<?>) result).get(0));
        // after a write and read too (COUNT_DISTINCT's result is a number the round trip compares)
        var count = AggregateHarness.of("COUNT_DISTINCT", col(0, ScalarType.BYTES));
        assertEquals(1L, count.aggregate(values(new byte[] {1}, new byte[] {1})));
        var counted = count.roundTrip(count.accumulate(values(new byte[] {1})));
        counted.add(new Object[] {new byte[] {1}}, 0);
        assertEquals(1L, counted.result());
        var a = set.accumulate(values(new byte[] {1}, new byte[] {2}));
        a.retract(new Object[] {new byte[] {1}}, 0);
        assertEquals(1, ((List<?>) a.result()).size());
        var left = set.accumulate(values(new byte[] {1}));
        left.merge(set.accumulate(values(new byte[] {2}, new byte[] {1})));
        assertEquals(2, ((List<?>) left.result()).size());
    }

    @Test
    void countDistinctIgnoresNulls() {
        assertEquals(2L, call("COUNT_DISTINCT").aggregate(values(1, 2, 1, null)));
        assertEquals(0L, call("COUNT_DISTINCT").aggregate(values()));
    }

    @Test
    void histogramCountsEachString() {
        var h = AggregateHarness.of("HISTOGRAM", col(0, ScalarType.VARCHAR));
        assertEquals(Map.of("foo", 2L, "baz", 1L), h.aggregate(values("foo", "baz", null, "foo")));
        assertEquals(new MapType(ScalarType.VARCHAR, ScalarType.BIGINT), h.returnType);
        assertThrows(FunctionException.class, () -> AggregateHarness.of("HISTOGRAM", col(0, ScalarType.INTEGER)));
    }

    @Test
    void topkKeepsDuplicatesAndTopkDistinctDoesNot() {
        assertEquals(List.of(100, 100, 99), top("TOPK", 3).aggregate(values(0, 100, 99, 7, 100)));
        assertEquals(List.of(100, 99, 7), top("TOPKDISTINCT", 3).aggregate(values(0, 100, 99, 7, 100)));
        assertEquals(List.of(0), top("TOPK", 3).aggregate(values(0, null)));
        assertThrows(FunctionException.class, () -> AggregateHarness.of("TOPK", col(0, ScalarType.INTEGER),
                col(1, ScalarType.INTEGER)));
    }

    private static AggregateHarness topWithName(int k) {
        return AggregateHarness.of("TOPK", col(0, ScalarType.INTEGER), col(1, ScalarType.VARCHAR),
                lit(k, ScalarType.INTEGER));
    }

    @Test
    void topkWithOtherColumnsAnswersStructsGreatestFirstEarlierTiesFirst() {
        // ksqlDB's topk-group-by.json "topk integer struct": the second 100 (name NULL) ranks after the first
        var h = topWithName(3);
        assertEquals(new ArrayType(new StructType(List.of(new Column("sort_col", ScalarType.INTEGER),
                new Column("col0", ScalarType.VARCHAR)))), h.returnType);
        var inputs = List.of(in(0, 0, "zero"), in(1, 100, "one"), in(2, 99, "two"), in(3, null, "three"),
                in(4, 100, null));
        assertEquals(List.of(Row.of(100, "one"), Row.of(100, null), Row.of(99, "two")), h.aggregate(inputs));
        assertNull(h.aggregate(List.of(in(0, null, "x"))));
        h.assertMergeEqualsSequential(inputs);
        h.assertAddAfterReadContinues(inputs);
        assertFalse(h.factory.create().canRetract(), "over a stream only the k rows are kept");
        // nor over a table: the planner refuses a call that cannot retract there (as ksqlDB refuses TOPK)
        assertFalse(AggregateHarness.changelog("TOPK", col(0, ScalarType.INTEGER), col(1, ScalarType.VARCHAR),
                lit(3, ScalarType.INTEGER)).factory.create().canRetract());
        assertThrows(FunctionException.class, () -> AggregateHarness.of("TOPK", col(0, ScalarType.BOOLEAN),
                col(1, ScalarType.VARCHAR), lit(2, ScalarType.INTEGER)));
        assertThrows(FunctionException.class, () -> AggregateHarness.of("TOPK", col(0, ScalarType.INTEGER),
                col(1, ScalarType.VARCHAR), col(2, ScalarType.INTEGER)));
    }

    @Test
    void mergeRetractionAndStateRoundTrips() {
        var inputs = values(3, 1, null, 3, 7, 1);
        for (var h : List.of(call("COLLECT_SET"), call("COUNT_DISTINCT"), top("TOPK", 2), top("TOPKDISTINCT", 2))) {
            h.assertMergeEqualsSequential(inputs);
            h.assertAddAfterReadContinues(inputs);
            h.assertRetractionUndoesAdd(inputs);
        }
    }
}
