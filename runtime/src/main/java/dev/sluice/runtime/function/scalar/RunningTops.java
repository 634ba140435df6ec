package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code SLUICE_RUNNING_TOP(value, group, ...)}: TRUE unless {@code value} is below a value this call
 * site has already let through for the same group. The optimizer's {@code top} rule puts it in front
 * of a join side whose rows can only match when their value reaches the MAX of their group over the
 * same rows (Nexmark q5: {@code counts.num >= best.top}, where {@code best} is the MAX of the same
 * counts per window). A row below an earlier row of its group is below that MAX, whatever else the
 * group holds, so it can never match and need not cross the repartition topic or be kept in the
 * join's state. The other rows pass, in their order, so the join emits exactly what it did.
 *
 * <p>The memory is a filter's, not state: forgetting (a new build, a restart, the cap below) only
 * lets more rows through. The call site is shared by every task of the build, so the map is
 * concurrent; a row that raised the top in one task is still sent by that task (after a failure its
 * task replays it), so rows it hides in another task could not have matched either. A NULL value or
 * group column passes and is not remembered (NULL compares to nothing).
 */
final class RunningTops {
    static final String NAME = "SLUICE_RUNNING_TOP";
    /** Groups remembered at most; past it the memory starts over (windows of a stream come and go). */
    static final int MAX_GROUPS = 4096;

    private RunningTops() {
    }

    static List<ScalarFunction> all() {
        return List.of(Fn.of(NAME, args -> {
            if (args.size() < 2 || !(args.get(0).type() == ScalarType.BIGINT || args.get(0).type() == ScalarType.INTEGER)) {
                throw new FunctionException(NAME + " expects (BIGINT or INTEGER value, group column, ...)");
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Map<List<Object>, Long> tops = new ConcurrentHashMap<>();
            return a -> reaches(tops, a);
        }).seeingNulls().nonDeterministic());
    }

    private static Boolean reaches(Map<List<Object>, Long> tops, Object[] a) {
        if (a[0] == null) {
            return Boolean.TRUE;
        }
        for (int i = 1; i < a.length; i++) {
            if (a[i] == null) {
                return Boolean.TRUE;
            }
        }
        long value = ((Number) a[0]).longValue();
        List<Object> group = Arrays.asList(Arrays.copyOfRange(a, 1, a.length));
        Long top = tops.get(group);
        if (top != null && value < top) {
            return Boolean.FALSE;
        }
        if (top == null && tops.size() >= MAX_GROUPS) {
            tops.clear();
        }
        tops.merge(group, value, Math::max);
        return Boolean.TRUE;
    }

}
