package dev.sluice.runtime.expr;

import dev.sluice.runtime.plan.WindowSpec.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Window assignment of a window table function's rows, in the order the Flink oracle prints them. */
class WindowAssignmentTest {
    @Test
    void aTumblingWindowIsAlignedToTheEpochAlsoBeforeIt() {
        assertEquals(List.of(0L), WindowAssignment.bounds(Kind.TUMBLE, 4_999, 5_000, 5_000, "start"));
        assertEquals(List.of(5_000L), WindowAssignment.bounds(Kind.TUMBLE, 5_000, 5_000, 5_000, "start"));
        assertEquals(List.of(-5_000L), WindowAssignment.bounds(Kind.TUMBLE, -1, 5_000, 5_000, "start"));
        assertEquals(List.of(4_999L), WindowAssignment.bounds(Kind.TUMBLE, 10, 5_000, 5_000, "time"));
    }

    @Test
    void hoppingWindowsComeFromTheLatestStartBackwards() {
        // Flink's SlidingWindowAssigner (oracle: a row at 1 s in HOP(5 s, 10 s) is [0, 10) then [-5, 5)).
        assertEquals(List.of(0L, -5_000L), WindowAssignment.bounds(Kind.HOP, 1_000, 10_000, 5_000, "start"));
        assertEquals(List.of(10_000L, 5_000L), WindowAssignment.bounds(Kind.HOP, 1_000, 10_000, 5_000, "end"));
        assertEquals(List.of(5_000L, 0L), WindowAssignment.bounds(Kind.HOP, 5_000, 10_000, 5_000, "start"));
    }

    @Test
    void cumulatingWindowsAreThoseOfThePeriodEndingAfterTheRowShortestFirst() {
        // CUMULATE(step 5 s, max 15 s): a row at 7 s is in [0, 10) and [0, 15), not in [0, 5).
        assertEquals(List.of(10_000L, 15_000L), WindowAssignment.bounds(Kind.CUMULATE, 7_000, 15_000, 5_000, "end"));
        assertEquals(List.of(0L, 0L), WindowAssignment.bounds(Kind.CUMULATE, 7_000, 15_000, 5_000, "start"));
        assertEquals(List.of(20_000L, 25_000L, 30_000L),
                WindowAssignment.bounds(Kind.CUMULATE, 15_000, 15_000, 5_000, "end"));
    }
}
