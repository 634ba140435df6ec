package dev.sluice.compiler;

import dev.sluice.runtime.plan.ChangelogInference;
import dev.sluice.runtime.plan.InputRequirement;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;

/** Structural helpers over plan trees. */
public final class Steps {
    private Steps() {
    }

    /** The steps {@code step} reads; kept for callers written before {@link Step#inputs()}. */
    public static List<Step> inputs(Step step) {
        return step.inputs();
    }

    /** Names of the sources (topics' catalog names) a plan reads, in first-seen order. */
    public static List<String> sources(Step root) {
        List<String> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Step step, List<String> out) {
        if (step.inputs().isEmpty() && !out.contains(step.name())) {
            out.add(step.name());
        }
        for (Step in : step.inputs()) {
            collect(in, out);
        }
    }

    /** An indented tree, one step per line: the physical plan as {@code sluice explain} prints it. */
    public static String explain(Step root) {
        StringBuilder sb = new StringBuilder();
        explain(root, 0, sb, ChangelogInference.infer(List.of(root)));
        return sb.toString();
    }

    /**
     * One line per step: type, name, what it does, its output columns, and its changelog: what it
     * emits and, where it matters, what it accepts from its inputs.
     */
    private static void explain(Step step, int depth, StringBuilder sb, ChangelogInference.Result modes) {
        sb.append("  ".repeat(depth)).append(step.getClass().getSimpleName().replace("Step", ""))
                .append(" [").append(step.name()).append("] ").append(step.accept(StepDetail.INSTANCE))
                .append(" -> ").append(step.schema()).append(" emits ").append(modes.of(step).label());
        List<InputRequirement> accepts = ChangelogInference.accepts(step);
        if (accepts.stream().anyMatch(a -> a != InputRequirement.UPSERT)) {
            sb.append(", accepts ").append(accepts.stream().map(InputRequirement::label).distinct()
                    .collect(java.util.stream.Collectors.joining(" | ")));
        }
        sb.append('\n');
        for (Step in : step.inputs()) {
            explain(in, depth + 1, sb, modes);
        }
    }
}
