package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.lit;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PERCENTILE_CONT, PERCENTILE_DISC (exact) and APPROX_PERCENTILE. */
class PercentileTest {

    private static AggregateHarness call(String name, String fraction) {
        return AggregateHarness.of(name, col(0, ScalarType.BIGINT), lit(new BigDecimal(fraction), ScalarType.DOUBLE));
    }

    @Test
    void percentileContInterpolatesLinearly() {
        // sorted 1,2,3,4: position 0.5 * 3 = 1.5 -> 2 + 0.5 * (3 - 2); 0.95 * 3 = 2.85 -> 3 + 0.85 * (4 - 3)
        assertEquals(2.5, call("PERCENTILE_CONT", "0.5").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(3.85, call("PERCENTILE_CONT", "0.95").aggregate(values(3L, 1L, null, 4L, 2L)));
        assertEquals(1.0, call("PERCENTILE_CONT", "0").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(4.0, call("PERCENTILE_CONT", "1").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(7.0, call("PERCENTILE_CONT", "0.3").aggregate(values(7L)));
        assertNull(call("PERCENTILE_CONT", "0.5").aggregate(values(null, null)));
        assertEquals(ScalarType.DOUBLE, call("PERCENTILE_CONT", "0.5").returnType);
    }

    @Test
    void percentileContCountsRepeatedValues() {
        // sorted 1,1,1,10: position 0.5 * 3 = 1.5 -> between 1 and 1; 0.9 * 3 = 2.7 -> 1 + 0.7 * 9 = 7.3
        assertEquals(1.0, call("PERCENTILE_CONT", "0.5").aggregate(values(1L, 10L, 1L, 1L)));
        assertEquals(7.3, (double) call("PERCENTILE_CONT", "0.9").aggregate(values(1L, 10L, 1L, 1L)), 1e-12);
    }

    @Test
    void percentileDiscReturnsAnInputValueOfTheInputType() {
        // n = 4: 1-based position max(1, ceil(p * 4))
        assertEquals(2L, call("PERCENTILE_DISC", "0.5").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(3L, call("PERCENTILE_DISC", "0.51").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(4L, call("PERCENTILE_DISC", "0.95").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(1L, call("PERCENTILE_DISC", "0").aggregate(values(3L, 1L, 4L, 2L)));
        assertEquals(ScalarType.BIGINT, call("PERCENTILE_DISC", "0.5").returnType);
        assertEquals("b", AggregateHarness.of("PERCENTILE_DISC", col(0, ScalarType.VARCHAR),
                lit(0.5, ScalarType.DOUBLE)).aggregate(values("c", "a", "b", "d")));
    }

    @Test
    void exactPercentilesMergeAndRetract() {
        var inputs = values(5L, 1L, null, 5L, 9L, 2L, 7L);
        for (String f : List.of("PERCENTILE_CONT", "PERCENTILE_DISC")) {
            for (String p : List.of("0", "0.25", "0.5", "0.95", "1")) {
                call(f, p).assertMergeEqualsSequential(inputs);
                call(f, p).assertRetractionUndoesAdd(inputs);
            }
        }
    }

    @Test
    void fractionMustBeAConstantBetweenZeroAndOne() {
        var outOfRange = assertThrows(FunctionException.class, () -> call("PERCENTILE_CONT", "1.5"));
        assertEquals("PERCENTILE_CONT expects a fraction between 0 and 1, got 1.5", outOfRange.getMessage());
        var negative = assertThrows(FunctionException.class, () -> call("APPROX_PERCENTILE", "-0.1"));
        assertEquals("APPROX_PERCENTILE expects a fraction between 0 and 1, got -0.1", negative.getMessage());
        var column = assertThrows(FunctionException.class, () -> AggregateHarness.of("APPROX_PERCENTILE",
                col(0, ScalarType.BIGINT), col(1, ScalarType.DOUBLE)));
        assertEquals("APPROX_PERCENTILE expects a constant numeric fraction between 0 and 1, got a non-constant DOUBLE",
                column.getMessage());
        var text = assertThrows(FunctionException.class, () -> AggregateHarness.of("APPROX_PERCENTILE",
                col(0, ScalarType.VARCHAR), lit(0.5, ScalarType.DOUBLE)));
        assertEquals("APPROX_PERCENTILE expects a numeric argument, got VARCHAR", text.getMessage());
    }

    @Test
    void approxPercentileIsExactOnSmallInputs() {
        // fewer inputs than k: every value is kept, the answer is PERCENTILE_DISC's
        var inputs = values(3L, 1L, null, 4L, 2L);
        assertEquals(2.0, call("APPROX_PERCENTILE", "0.5").aggregate(inputs));
        assertEquals(4.0, call("APPROX_PERCENTILE", "0.95").aggregate(inputs));
        assertEquals(1.0, call("APPROX_PERCENTILE", "0").aggregate(inputs));
        assertEquals(4.0, call("APPROX_PERCENTILE", "1").aggregate(inputs));
        assertNull(call("APPROX_PERCENTILE", "0.5").aggregate(values((Object) null)));
        assertEquals(ScalarType.DOUBLE, call("APPROX_PERCENTILE", "0.5").returnType);
        call("APPROX_PERCENTILE", "0.5").assertMergeEqualsSequential(inputs);
        call("APPROX_PERCENTILE", "0.5").assertAddAfterReadContinues(inputs);
        call("PERCENTILE_CONT", "0.5").assertAddAfterReadContinues(inputs);
        assertFalse(call("APPROX_PERCENTILE", "0.5").factory.create().canRetract());
    }

    @Test
    void approxPercentileStaysWithinTheDocumentedRankErrorAndBoundedState() {
        int n = 100_000;
        List<AggregateHarness.Input> inputs = new ArrayList<>(n);
        java.util.Random random = new java.util.Random(7);
        List<Long> shuffled = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            shuffled.add(i);
        }
        java.util.Collections.shuffle(shuffled, random);
        for (Long v : shuffled) {
            inputs.add(AggregateHarness.in(0, v));
        }
        AggregateHarness p99 = call("APPROX_PERCENTILE", "0.99");
        var acc = p99.accumulate(inputs);
        double result = (double) p99.roundTrip(acc).result();
        // values are their own ranks: the answer's rank must be within 1.33% of n of 99,000
        assertTrue(Math.abs(result - 99_000) <= 0.0133 * n, "p99 = " + result);
        assertTrue(p99.serializedSize(acc) < 5000, "state of " + p99.serializedSize(acc) + " bytes");
    }
}
