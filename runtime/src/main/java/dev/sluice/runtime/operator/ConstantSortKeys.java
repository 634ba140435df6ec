package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ARRAY_AGG(x ORDER BY k1 [DESC], ...)} / {@code COLLECT_LIST} whose element x is not a
 * constant but some ORDER BY key is: a constant key ties every two rows, so it orders nothing, and
 * the list's stable sort keeps arrival order among the ties. The call without its constant keys
 * lists the same elements in the same order ({@code ARRAY_AGG(x ORDER BY 'k')} is
 * {@code ARRAY_AGG(x)}, {@code ARRAY_AGG(x ORDER BY 'k', v)} is {@code ARRAY_AGG(x ORDER BY v)};
 * DISTINCT deduplicates on the non-constant arguments either way), and that call keeps its
 * elements in a store ({@link ListElements}, {@link TableElements}, {@link SessionCollections},
 * {@link SessionOrderedElements}) where a constant argument kept the whole list in the aggregate's
 * value (O(n) per record). The aggregate builder runs the step without them; its state is format 21
 * ({@link AggregateStateSerde#VERSION_CONSTANT_SORT_KEYS}), since older builds held this call's list
 * in the value. A constant element is {@link dev.sluice.runtime.function.aggregate.ConstantArrayAgg}'s
 * case and is left as it is.
 */
public final class ConstantSortKeys {
    private ConstantSortKeys() {
    }

    /** Whether {@code call} is an ARRAY_AGG / COLLECT_LIST of a non-constant element with a constant ORDER BY key. */
    public static boolean drops(AggregateCall call) {
        String name = call.function().toUpperCase(Locale.ROOT);
        if (!(name.equals("ARRAY_AGG") || name.equals("COLLECT_LIST")) || call.sortDescending().isEmpty()) {
            return false;
        }
        int first = call.arguments().size() - call.sortDescending().size();
        return first == 1 && !Expr.isConstant(call.arguments().get(0))
                && call.arguments().subList(first, call.arguments().size()).stream().anyMatch(Expr::isConstant);
    }

    /** {@code call} without its constant ORDER BY keys (and their directions), or {@code call} itself. */
    public static AggregateCall withoutConstantKeys(AggregateCall call) {
        if (!drops(call)) {
            return call;
        }
        List<Expr> arguments = new ArrayList<>(List.of(call.arguments().get(0)));
        List<Boolean> descending = new ArrayList<>();
        for (int k = 0; k < call.sortDescending().size(); k++) {
            Expr key = call.arguments().get(1 + k);
            if (!Expr.isConstant(key)) {
                arguments.add(key);
                descending.add(call.sortDescending().get(k));
            }
        }
        return new AggregateCall(call.function(), arguments, call.distinct(), call.filter(), descending, call.type(),
                call.retractFirstEqual());
    }

    /** Whether some of {@code calls} {@link #drops} a key (the step's state is then format 21). */
    public static boolean dropsAny(List<AggregateCall> calls) {
        return calls.stream().anyMatch(ConstantSortKeys::drops);
    }

    /** {@code step} with every call {@link #withoutConstantKeys}; {@code step} itself when none drops a key. */
    public static AggregateStep normalize(AggregateStep step) {
        if (!dropsAny(step.calls())) {
            return step;
        }
        return new AggregateStep(step.name(), step.input(), step.groupKeys(), step.window(),
                step.calls().stream().map(ConstantSortKeys::withoutConstantKeys).toList(), step.rowtimeColumn(),
                step.keySchema(), step.schema(), step.emit(), step.unchangedUpdates());
    }
}
