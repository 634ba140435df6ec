package dev.sluice.runtime.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changelog mode of every step of a set of plans, as Flink's planner infers it: bottom-up,
 * what each step emits given its inputs ({@link ChangelogRules}); then top-down, a step whose
 * consumer needs old values emits {@link ChangelogMode#RETRACT}. A step that receives more than it
 * accepts (updates into a step that only appends) is a {@link Violation}.
 *
 * <p>Steps compare structurally, as the topology builder shares them: a step read by two consumers
 * has one mode, the stronger of what they need.
 */
public final class ChangelogInference {

    /** Input {@code input} of {@code step} emits {@code emitted}, which {@code step} does not accept. */
    public record Violation(Step step, int input, ChangelogMode emitted, InputRequirement accepts) {
        public String describe() {
            Step in = step.inputs().get(input);
            return in.name() + " emits " + emitted.label() + " rows, but " + step.name() + " accepts only "
                    + accepts.label() + " ones";
        }
    }

    public record Result(Map<Step, ChangelogMode> modes, List<Violation> violations) {
        public ChangelogMode of(Step step) {
            ChangelogMode mode = modes.get(step);
            return mode != null ? mode : emitted(step);
        }
    }

    private ChangelogInference() {
    }

    /** What {@code step} emits, from its inputs alone (before consumers ask for old values). */
    public static ChangelogMode emitted(Step step) {
        return step.accept(ChangelogRules.INSTANCE).emits();
    }

    /** What {@code step} accepts from each of its inputs, in input order. */
    public static List<InputRequirement> accepts(Step step) {
        return step.accept(ChangelogRules.INSTANCE).accepts();
    }

    public static Result infer(List<Step> roots) {
        Set<Step> steps = new LinkedHashSet<>();
        roots.forEach(r -> collect(r, steps));
        Map<Step, ChangelogMode> modes = new HashMap<>();
        for (Step s : steps) {
            modes.put(s, emitted(s));
        }
        List<Violation> violations = new ArrayList<>();
        for (Step s : steps) {
            ChangelogRules.Rule rule = s.accept(ChangelogRules.INSTANCE);
            for (int i = 0; i < s.inputs().size(); i++) {
                Step in = s.inputs().get(i);
                InputRequirement needs = rule.accepts().get(i);
                ChangelogMode emitted = modes.get(in);
                if (!needs.accepts(emitted)) {
                    violations.add(new Violation(s, i, emitted, needs));
                } else if (needs == InputRequirement.RETRACT && emitted.updates()) {
                    retract(in, modes);
                }
            }
        }
        return new Result(Map.copyOf(modes), List.copyOf(violations));
    }

    /** {@code step} must carry old values; steps that only pass them on ask their own input. */
    private static void retract(Step step, Map<Step, ChangelogMode> modes) {
        modes.put(step, ChangelogMode.RETRACT);
        if (step.accept(ChangelogRules.INSTANCE).passesOldValues()) {
            for (Step in : step.inputs()) {
                if (modes.get(in).updates()) {
                    retract(in, modes);
                }
            }
        }
    }

    private static void collect(Step step, Set<Step> out) {
        if (out.add(step)) {
            step.inputs().forEach(in -> collect(in, out));
        }
    }
}
