package dev.sluice.compiler;

import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;

import java.util.ArrayList;
import java.util.List;

/** Structural helpers over plan trees. */
public final class Steps {
    private Steps() {
    }

    public static List<Step> inputs(Step step) {
        if (step instanceof FilterStep f) {
            return List.of(f.input());
        }
        if (step instanceof ProjectStep p) {
            return List.of(p.input());
        }
        if (step instanceof RekeyStep r) {
            return List.of(r.input());
        }
        if (step instanceof AggregateStep a) {
            return List.of(a.input());
        }
        if (step instanceof UnionStep u) {
            return u.inputs();
        }
        if (step instanceof LagLeadStep l) {
            return List.of(l.input());
        }
        if (step instanceof RankStep r) {
            return List.of(r.input());
        }
        if (step instanceof DeduplicateStep d) {
            return List.of(d.input());
        }
        if (step instanceof SuppressStep s) {
            return List.of(s.input());
        }
        if (step instanceof StreamTableJoinStep j) {
            return List.of(j.left(), j.right());
        }
        if (step instanceof StreamStreamJoinStep j) {
            return List.of(j.left(), j.right());
        }
        if (step instanceof TableTableJoinStep j) {
            return List.of(j.left(), j.right());
        }
        return List.of();
    }

    /** Names of the sources (topics' catalog names) a plan reads, in first-seen order. */
    public static List<String> sources(Step root) {
        List<String> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Step step, List<String> out) {
        if ((step instanceof SourceStep || step instanceof TableSourceStep) && !out.contains(step.name())) {
            out.add(step.name());
        }
        for (Step in : inputs(step)) {
            collect(in, out);
        }
    }

    /** An indented tree, one step per line: the physical plan as {@code sluice explain} prints it. */
    public static String explain(Step root) {
        StringBuilder sb = new StringBuilder();
        explain(root, 0, sb);
        return sb.toString();
    }

    private static void explain(Step step, int depth, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append(step.getClass().getSimpleName().replace("Step", ""))
                .append(" [").append(step.name()).append("] ").append(detail(step))
                .append(" -> ").append(step.schema()).append('\n');
        for (Step in : inputs(step)) {
            explain(in, depth + 1, sb);
        }
    }

    private static String detail(Step step) {
        if (step instanceof FilterStep f) {
            return "where " + f.predicate();
        }
        if (step instanceof ProjectStep p) {
            return "select " + p.expressions();
        }
        if (step instanceof RekeyStep r) {
            return "key " + r.keyExpressions();
        }
        if (step instanceof AggregateStep a) {
            return "group " + a.groupKeys() + a.window().map(w -> " window " + w).orElse("") + " calls "
                    + a.calls().stream().map(c -> c.function() + (c.distinct() ? "(DISTINCT " : "(")
                    + c.arguments() + ")").toList() + " emit " + a.emit();
        }
        if (step instanceof LagLeadStep l) {
            return "calls " + l.calls().stream().map(c -> (c.lead() ? "LEAD($" : "LAG($") + c.argument() + ", "
                    + c.offset() + ", " + c.defaultValue() + ")").toList()
                    + l.sortDelayMs().stream().mapToObj(d -> " sorted by event time, watermark delay " + d + " ms")
                    .findFirst().orElse(" in arrival order");
        }
        if (step instanceof RankStep r) {
            return r.function() + " partition " + r.partitionColumns() + " order " + r.orderBy()
                    + (r.limit() == Long.MAX_VALUE ? "" : " limit " + r.limit());
        }
        if (step instanceof DeduplicateStep d) {
            return (d.keepLast() ? "keep last" : "keep first") + d.orderColumn().stream().mapToObj(c -> " by $" + c)
                    .findFirst().orElse(" by arrival") + (d.retentionMs() > 0 ? " retention " + d.retentionMs() + " ms" : "");
        }
        if (step instanceof SuppressStep s) {
            return "at most one update per key per " + s.intervalMs() + " ms";
        }
        if (step instanceof SourceStep s) {
            return "topic " + s.format().topic() + (s.computedColumns().isEmpty() ? ""
                    : " computed " + s.computedColumns());
        }
        if (step instanceof TableSourceStep t) {
            return "table topic " + t.format().topic() + " key " + t.keySchema();
        }
        return "";
    }
}
