package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code SLUICE_RUNNING_TOP(value, group...)}: a row passes unless an earlier row of its group let a larger value through. */
class RunningTopsTest {
    private static final List<Expr> ARGS = List.of(new Expr.InputRef(0, ScalarType.BIGINT),
            new Expr.InputRef(1, ScalarType.TIMESTAMP), new Expr.InputRef(2, ScalarType.TIMESTAMP));

    private static ScalarFunction.Implementation bind() {
        ScalarFunction f = Calls.fn("SLUICE_RUNNING_TOP");
        assertFalse(f.nullOnNullInput());
        assertFalse(f.deterministic(), "never folded: it remembers");
        return f.implement(ARGS, f.returnType(ARGS));
    }

    @Test
    void passesTiesAndRisesDropsWhatIsBelowAnEarlierRowOfItsGroupOnly() {
        ScalarFunction.Implementation top = bind();
        assertEquals(true, top.apply(new Object[] {3L, 0L, 10L}));
        assertEquals(true, top.apply(new Object[] {3L, 0L, 10L}), "a tie can still equal the MAX");
        assertEquals(false, top.apply(new Object[] {2L, 0L, 10L}));
        assertEquals(true, top.apply(new Object[] {1L, 2L, 12L}), "another group");
        assertEquals(true, top.apply(new Object[] {1L, 0L, 12L}), "another group sharing one column");
        assertEquals(true, top.apply(new Object[] {7L, 0L, 10L}));
        assertEquals(false, top.apply(new Object[] {6L, 0L, 10L}));
        assertEquals(true, top.apply(new Object[] {null, 0L, 10L}), "NULL compares to nothing: passes");
        assertEquals(true, top.apply(new Object[] {1L, null, 10L}));
        assertEquals(false, top.apply(new Object[] {6L, 0L, 10L}), "NULLs were not remembered");
        // each call site (each build) remembers on its own
        assertEquals(true, bind().apply(new Object[] {1L, 0L, 10L}));
    }

    @Test
    void theRowsLetThroughAreExactlyThoseAtOrAboveTheirGroupsRunningMaximum() {
        Random r = new Random(7);
        ScalarFunction.Implementation top = bind();
        Map<List<Long>, Long> max = new HashMap<>();
        List<Boolean> expected = new ArrayList<>();
        List<Boolean> got = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long value = r.nextInt(50);
            long start = r.nextInt(20) * 2000L;
            List<Long> group = List.of(start, start + 10_000);
            Long before = max.get(group);
            expected.add(before == null || value >= before);
            max.merge(group, value, Math::max);
            got.add((Boolean) top.apply(new Object[] {value, start, start + 10_000}));
        }
        assertEquals(expected, got);
    }

    @Test
    void forgetsEverythingPastItsCapWhichOnlyLetsMoreThrough() {
        ScalarFunction.Implementation top = bind();
        assertEquals(true, top.apply(new Object[] {5L, -1L, -1L}));
        assertEquals(false, top.apply(new Object[] {4L, -1L, -1L}));
        for (long g = 0; g < RunningTops.MAX_GROUPS; g++) {
            top.apply(new Object[] {1L, g, g});
        }
        assertEquals(true, top.apply(new Object[] {4L, -1L, -1L}), "the memory started over");
    }

    @Test
    void takesAnIntegerValueAndAtLeastOneGroupColumn() {
        ScalarFunction f = Calls.fn("SLUICE_RUNNING_TOP");
        assertThrows(FunctionException.class, () -> f.returnType(List.of(new Expr.InputRef(0, ScalarType.BIGINT))));
        assertThrows(FunctionException.class, () -> f.returnType(List.of(new Expr.InputRef(0, ScalarType.DOUBLE),
                new Expr.InputRef(1, ScalarType.TIMESTAMP))));
        assertEquals(ScalarType.BOOLEAN, f.returnType(List.of(new Expr.InputRef(0, ScalarType.INTEGER),
                new Expr.InputRef(1, ScalarType.TIMESTAMP))));
    }
}
