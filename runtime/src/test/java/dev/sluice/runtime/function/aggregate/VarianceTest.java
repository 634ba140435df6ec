package dev.sluice.runtime.function.aggregate;

import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.runtime.function.aggregate.AggregateHarness.col;
import static dev.sluice.runtime.function.aggregate.AggregateHarness.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class VarianceTest {

    private static Object run(String name, Object... values) {
        return AggregateHarness.of(name, col(0, ScalarType.BIGINT)).aggregate(values(values));
    }

    @Test
    void stddevOfOneToFourIsSampleStandardDeviation() {
        // mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, sqrt(5 / 3)
        assertEquals(1.2909944487358056, run("STDDEV", 1L, 2L, 3L, 4L));
        assertEquals(1.2909944487358056, run("stddev_samp", 1L, null, 2L, 3L, 4L));
        assertEquals(Math.sqrt(5.0 / 4), run("STDDEV_POP", 1L, 2L, 3L, 4L));
        assertEquals(5.0 / 3, (double) run("VARIANCE", 1L, 2L, 3L, 4L), 1e-15);
        assertEquals(5.0 / 3, (double) run("VAR_SAMP", 1L, 2L, 3L, 4L), 1e-15);
        assertEquals(1.25, run("VAR_POP", 1L, 2L, 3L, 4L));
        assertEquals(ScalarType.DOUBLE, AggregateHarness.of("STDDEV", col(0, ScalarType.BIGINT)).returnType);
    }

    @Test
    void sampleVariantsAreNullForOneInputPopulationVariantsZero() {
        assertNull(run("STDDEV", 7L));
        assertNull(run("VAR_SAMP", 7L, null));
        assertEquals(0.0, run("STDDEV_POP", 7L));
        assertEquals(0.0, run("VAR_POP", 7L));
        assertNull(run("STDDEV_POP"));
        assertNull(run("STDDEV", null, null));
    }

    @Test
    void staysAccurateForLargeValuesWithSmallSpread() {
        // epoch-millisecond-sized values: the naive sum-of-squares formula loses every digit here
        double base = 1.7e12;
        assertEquals(1.2909944487358056, (double) AggregateHarness.of("STDDEV", col(0, ScalarType.DOUBLE))
                .aggregate(values(base + 1, base + 2, base + 3, base + 4)), 1e-6);
    }

    @Test
    void mergeEqualsSequentialAndRetractionUndoesAdd() {
        var inputs = values(2.0, 4.0, null, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0);
        for (String f : List.of("STDDEV", "STDDEV_POP", "VAR_SAMP", "VAR_POP")) {
            AggregateHarness h = AggregateHarness.of(f, col(0, ScalarType.DOUBLE));
            h.assertMergeEqualsSequential(inputs);
            h.assertRetractionUndoesAdd(inputs);
            h.assertAddAfterReadContinues(inputs);
        }
        // the classic example: population stddev of 2,4,4,4,5,5,7,9 is exactly 2
        assertEquals(2.0, AggregateHarness.of("STDDEV_POP", col(0, ScalarType.DOUBLE)).aggregate(inputs));
    }
}
