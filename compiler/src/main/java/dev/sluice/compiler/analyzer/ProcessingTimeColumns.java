package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;

import java.util.Locale;

/**
 * Flink's processing-time attribute: a column defined as {@code PROCTIME()} (in a SELECT, a view, or
 * a source's computed column) and passed on unchanged through projections and filters. A window
 * over such a column is a processing-time window. Only {@code PROCTIME()} makes one, as in Flink;
 * NOW() and CURRENT_TIMESTAMP are plain values.
 */
final class ProcessingTimeColumns {
    static final String FUNCTION = "PROCTIME";

    private ProcessingTimeColumns() {
    }

    /** Whether column {@code index} of {@code step}'s rows is a processing-time attribute. */
    static boolean isAttribute(Step step, int index) {
        if (step instanceof ProjectStep p) {
            if (index < 0 || index >= p.expressions().size()) {
                return false;
            }
            Expr e = p.expressions().get(index);
            return isProcTimeCall(e) || e instanceof Expr.InputRef ref && isAttribute(p.input(), ref.index());
        }
        if (step instanceof FilterStep f) {
            return isAttribute(f.input(), index);
        }
        if (step instanceof SourceStep s) {
            int firstComputed = s.schema().size() - s.computedColumns().size();
            return index >= firstComputed && index < s.schema().size()
                    && isProcTimeCall(s.computedColumns().get(index - firstComputed));
        }
        return false;
    }

    private static boolean isProcTimeCall(Expr e) {
        return e instanceof Expr.Call c && c.function().toUpperCase(Locale.ROOT).equals(FUNCTION)
                && c.arguments().isEmpty();
    }
}
