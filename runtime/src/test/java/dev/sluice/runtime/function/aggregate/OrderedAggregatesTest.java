package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.in;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.lit;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ARRAY_AGG, FIRST/LAST by event time, EARLIEST/LATEST_BY_OFFSET. */
class OrderedAggregatesTest {

    @Test
    void arrayAggKeepsArrivalOrderAndNullElements() {
        AggregateHarness h = AggregateHarness.of("ARRAY_AGG", col(0, ScalarType.VARCHAR));
        assertEquals(new ArrayType(ScalarType.VARCHAR), h.returnType);
        assertEquals(Arrays.asList("b", null, "a", "b"), h.aggregate(values("b", null, "a", "b")));
        assertNull(h.aggregate(List.of()));
        assertEquals(Arrays.asList(null, null), h.aggregate(values(null, null)));
        h.assertMergeEqualsSequential(values("b", null, "a", "b"));
        h.assertRetractionUndoesAdd(values("b", null, "a", "b"));
        assertEquals("ARRAY_AGG", AggregateHarness.of("collect_list", col(0, ScalarType.VARCHAR)).function.name());
    }

    @Test
    void arrayAggOrderByKeySortsStablyByKey() {
        // ARRAY_AGG(model ORDER BY event_time): key ties keep arrival order
        AggregateHarness h = AggregateHarness.sorted("ARRAY_AGG", List.of(false),
                col(0, ScalarType.VARCHAR), col(1, ScalarType.TIMESTAMP));
        var inputs = List.of(in(0, "c", 30L), in(0, "a", 10L), in(0, "b2", 20L), in(0, "b1", 20L), in(0, "n", null));
        assertEquals(List.of("a", "b2", "b1", "c", "n"), h.aggregate(inputs));
        h.assertMergeEqualsSequential(inputs);
        h.assertRetractionUndoesAdd(inputs);
        h.assertAddAfterReadContinues(inputs);
    }

    @Test
    void arrayAggOrderByDescendingThenAscending() {
        AggregateHarness h = AggregateHarness.sorted("ARRAY_AGG", List.of(true, false),
                col(0, ScalarType.INTEGER), col(1, ScalarType.VARCHAR), col(2, ScalarType.INTEGER));
        var inputs = List.of(in(0, 1, "x", 2), in(0, 2, "y", 1), in(0, 3, "x", 1), in(0, 4, null, 0));
        // DESC puts NULL first (PostgreSQL), then y, then x with the second key ascending
        assertEquals(List.of(4, 2, 3, 1), h.aggregate(inputs));
    }

    @Test
    void arrayAggRejectsNonComparableSortKey() {
        var e = assertThrows(FunctionException.class, () -> AggregateHarness.sorted("ARRAY_AGG", List.of(false),
                col(0, ScalarType.VARCHAR), col(1, ScalarType.VARIANT)));
        assertEquals("ARRAY_AGG expects ORDER BY keys of a comparable type (number, VARCHAR, BOOLEAN, DATE, TIMESTAMP, INTERVAL), got VARIANT",
                e.getMessage());
    }

    @Test
    void firstAndLastFollowEventTimeNotArrival() {
        AggregateHarness first = AggregateHarness.of("FIRST", col(0, ScalarType.VARCHAR));
        AggregateHarness last = AggregateHarness.of("LAST", col(0, ScalarType.VARCHAR));
        var outOfOrder = List.of(in(200, "b"), in(100, "a"), in(300, "c"), in(50, (Object) null), in(250, "d"));
        assertEquals("a", first.aggregate(outOfOrder));
        assertEquals("c", last.aggregate(outOfOrder));
        assertEquals(ScalarType.VARCHAR, first.returnType);
        first.assertMergeEqualsSequential(outOfOrder);
        last.assertMergeEqualsSequential(outOfOrder);
        first.assertAddAfterReadContinues(outOfOrder);
        last.assertAddAfterReadContinues(outOfOrder);
        assertNull(first.aggregate(List.of(in(1, (Object) null))));
        assertFalse(first.factory.create().canRetract());
    }

    @Test
    void timestampTiesGoToFirstArrivalForFirstAndLastArrivalForLast() {
        var ties = List.of(in(100, "x"), in(100, "y"), in(100, "z"));
        AggregateHarness first = AggregateHarness.of("FIRST", col(0, ScalarType.VARCHAR));
        AggregateHarness last = AggregateHarness.of("LAST", col(0, ScalarType.VARCHAR));
        assertEquals("x", first.aggregate(ties));
        assertEquals("z", last.aggregate(ties));
        first.assertMergeEqualsSequential(ties);
        last.assertMergeEqualsSequential(ties);
    }

    @Test
    void firstWithOrderByUsesTheKeyInsteadOfEventTime() {
        // FIRST(country ORDER BY event_time) where event_time is a column, not the record time
        AggregateHarness h = AggregateHarness.sorted("FIRST", List.of(false),
                col(0, ScalarType.VARCHAR), col(1, ScalarType.TIMESTAMP));
        var inputs = List.of(in(1, "DE", 500L), in(2, "FR", 100L), in(3, "IT", 300L));
        assertEquals("FR", h.aggregate(inputs));
        h.assertMergeEqualsSequential(inputs);
        AggregateHarness lastDesc = AggregateHarness.sorted("LAST", List.of(true),
                col(0, ScalarType.VARCHAR), col(1, ScalarType.TIMESTAMP));
        assertEquals("FR", lastDesc.aggregate(inputs));
    }

    @Test
    void byOffsetFunctionsUseArrivalOrderAndSkipNulls() {
        AggregateHarness earliest = AggregateHarness.of("EARLIEST_BY_OFFSET", col(0, ScalarType.BIGINT));
        AggregateHarness latest = AggregateHarness.of("LATEST_BY_OFFSET", col(0, ScalarType.BIGINT));
        // event times deliberately disagree with arrival order
        var inputs = List.of(in(300, (Object) null), in(200, 1L), in(100, 2L), in(50, 3L), in(10, (Object) null));
        assertEquals(1L, earliest.aggregate(inputs));
        assertEquals(3L, latest.aggregate(inputs));
        earliest.assertMergeEqualsSequential(inputs);
        latest.assertMergeEqualsSequential(inputs);
        earliest.assertAddAfterReadContinues(inputs);
        latest.assertAddAfterReadContinues(inputs);
        assertNull(latest.aggregate(values(null, null)));
    }

    @Test
    void byOffsetKeepsNullsWhenIgnoreNullsIsFalse() {
        AggregateHarness latest = AggregateHarness.of("LATEST_BY_OFFSET", col(0, ScalarType.BIGINT),
                lit(false, ScalarType.BOOLEAN));
        var inputs = values(1L, 2L, null);
        assertNull(latest.aggregate(inputs));
        latest.assertMergeEqualsSequential(inputs);
        AggregateHarness earliest = AggregateHarness.of("EARLIEST_BY_OFFSET", col(0, ScalarType.BIGINT),
                lit(false, ScalarType.BOOLEAN));
        assertNull(earliest.aggregate(values(null, 1L)));
        var e = assertThrows(FunctionException.class, () -> AggregateHarness.of("LATEST_BY_OFFSET",
                col(0, ScalarType.BIGINT), col(1, ScalarType.BOOLEAN)));
        assertEquals("LATEST_BY_OFFSET expects a constant BOOLEAN ignoreNulls as its second argument, got a non-constant BOOLEAN",
                e.getMessage());
    }

    @Test
    void byOffsetNFormsKeepTheFirstOrLastNValuesOldestFirst() {
        // ksqlDB's earliest-offset-udaf.json / latest-offset-udaf.json "... - multiple" and "n by offset" cases
        AggregateHarness earliest = AggregateHarness.of("EARLIEST_BY_OFFSET", col(0, ScalarType.INTEGER),
                lit(2, ScalarType.INTEGER));
        AggregateHarness latest = AggregateHarness.of("LATEST_BY_OFFSET", col(0, ScalarType.INTEGER),
                lit(2, ScalarType.INTEGER));
        assertEquals(new ArrayType(ScalarType.INTEGER), earliest.returnType);
        var inputs = values(null, 12, null, 21, 31);
        assertEquals(List.of(12, 21), earliest.aggregate(inputs));
        assertEquals(List.of(21, 31), latest.aggregate(inputs));
        assertEquals(List.of(), earliest.aggregate(values(null, null)));
        for (AggregateHarness h : List.of(earliest, latest)) {
            h.assertMergeEqualsSequential(inputs);
            h.assertAddAfterReadContinues(inputs);
        }
        AggregateHarness keepNulls = AggregateHarness.of("LATEST_BY_OFFSET", col(0, ScalarType.INTEGER),
                lit(2, ScalarType.INTEGER), lit(false, ScalarType.BOOLEAN));
        assertEquals(java.util.Arrays.asList(31, null), keepNulls.aggregate(values(21, 31, null)));
        keepNulls.assertMergeEqualsSequential(values(21, 31, null, 4));
        AggregateHarness earliestNulls = AggregateHarness.of("EARLIEST_BY_OFFSET", col(0, ScalarType.INTEGER),
                lit(2, ScalarType.INTEGER), lit(false, ScalarType.BOOLEAN));
        assertEquals(java.util.Arrays.asList(null, 13), earliestNulls.aggregate(values(null, 13, 14)));
        assertThrows(FunctionException.class, () -> AggregateHarness.of("EARLIEST_BY_OFFSET",
                col(0, ScalarType.INTEGER), lit(0, ScalarType.INTEGER)));
        assertThrows(FunctionException.class, () -> AggregateHarness.of("EARLIEST_BY_OFFSET",
                col(0, ScalarType.INTEGER), lit(true, ScalarType.BOOLEAN), lit(true, ScalarType.BOOLEAN)));
    }
}
