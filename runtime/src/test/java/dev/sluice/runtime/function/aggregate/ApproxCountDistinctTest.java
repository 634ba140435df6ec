package dev.sluice.runtime.function.aggregate;

import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApproxCountDistinctTest {

    @Test
    void countsSmallSetsExactlySkippingNulls() {
        AggregateHarness h = AggregateHarness.of("APPROX_COUNT_DISTINCT", col(0, ScalarType.VARCHAR));
        assertEquals(ScalarType.BIGINT, h.returnType);
        // the empty string is a value of its own
        assertEquals(4L, h.aggregate(values("a", "b", null, "a", "", "c", "b")));
        assertEquals(0L, h.aggregate(values(null, null)));
        h.assertMergeEqualsSequential(values("a", "b", null, "a", "", "c", "b"));
        h.assertAddAfterReadContinues(values("a", "b", null, "a", "", "c", "b"));
        AggregateHarness longs = AggregateHarness.of("APPROX_COUNT_DISTINCT", col(0, ScalarType.BIGINT));
        assertEquals(3L, longs.aggregate(values(1L, 2L, 2L, 3L, 1L)));
    }

    @Test
    void largeCountsAreWithinThreeStandardErrors() {
        AggregateHarness h = AggregateHarness.of("APPROX_COUNT_DISTINCT", col(0, ScalarType.BIGINT));
        List<AggregateHarness.Input> first = new ArrayList<>();
        List<AggregateHarness.Input> second = new ArrayList<>();
        for (long i = 0; i < 50_000; i++) {
            first.add(AggregateHarness.in(0, i));
            second.add(AggregateHarness.in(0, i + 25_000)); // overlaps half of the first
        }
        var a = h.roundTrip(h.accumulate(first));
        a.merge(h.roundTrip(h.accumulate(second)));
        long estimate = (long) h.roundTrip(a).result();
        assertTrue(Math.abs(estimate - 75_000) <= 3 * 0.013 * 75_000, "estimate " + estimate);
        assertTrue(h.serializedSize(a) < 2200, "state of " + h.serializedSize(a) + " bytes");
    }
}
