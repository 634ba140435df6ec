package dev.sluice.runtime.function.aggregate;

import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.in;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DistinctAccumulatorFactoryTest {

    private static AggregateHarness distinct(AggregateHarness plain) {
        return plain.withFactory(new DistinctAccumulatorFactory(plain.factory, plain.arguments));
    }

    @Test
    void countDistinctSkipsNullAndDuplicates() {
        AggregateHarness h = distinct(AggregateHarness.of("COUNT", col(0, ScalarType.VARCHAR)));
        var inputs = values("a", "b", null, "a", null, "c", "b");
        assertEquals(3L, h.aggregate(inputs));
        assertEquals(0L, h.aggregate(values(null, null)));
        h.assertMergeEqualsSequential(inputs);
    }

    @Test
    void sumDistinctAddsEachValueOnce() {
        AggregateHarness h = distinct(AggregateHarness.of("SUM", col(0, ScalarType.BIGINT)));
        assertEquals(6L, h.aggregate(values(1L, 2L, 2L, 3L, 1L)));
        assertNull(h.aggregate(values((Object) null)));
    }

    @Test
    void arrayAggDistinctOrderByComesOutSortedAndDeduplicated() {
        // ARRAY_AGG(DISTINCT model ORDER BY model): the analyzer passes (model, model)
        AggregateHarness h = distinct(AggregateHarness.sorted("ARRAY_AGG", List.of(false),
                col(0, ScalarType.VARCHAR), col(0, ScalarType.VARCHAR)));
        var inputs = List.of(in(0, "gpt", "gpt"), in(1, "bert", "bert"), in(2, "gpt", "gpt"),
                in(3, "claude", "claude"), in(4, "bert", "bert"));
        assertEquals(List.of("bert", "claude", "gpt"), h.aggregate(inputs));
        h.assertAddAfterReadContinues(inputs);
        h.assertMergeEqualsSequential(inputs);
    }

    @Test
    void arrayAggDistinctWithoutOrderKeepsFirstArrivalAndOneNull() {
        AggregateHarness h = distinct(AggregateHarness.of("ARRAY_AGG", col(0, ScalarType.INTEGER)));
        assertEquals(Arrays.asList(3, null, 1), h.aggregate(values(3, null, 3, 1, null)));
    }

    @Test
    void retractionRemovesATupleOnlyWithItsLastInput() {
        AggregateHarness h = distinct(AggregateHarness.of("COUNT", col(0, ScalarType.VARCHAR)));
        var acc = h.accumulate(values("a", "a", "b"));
        acc.retract(new Object[]{"a"}, 0);
        assertEquals(2L, acc.result());
        acc.retract(new Object[]{"a"}, 0);
        assertEquals(1L, h.roundTrip(acc).result());
        h.assertRetractionUndoesAdd(values("a", "b", "a", null, "c"));
    }
}
