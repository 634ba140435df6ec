package dev.sluice.runtime.plan;

import java.util.List;

/** Arity checks for {@link Step#withInputs}: a step rebuilt over the wrong number of inputs is a bug. */
final class Inputs {
    private Inputs() {
    }

    static Step one(Step step, List<Step> inputs) {
        check(step, inputs, 1);
        return inputs.get(0);
    }

    static void two(Step step, List<Step> inputs) {
        check(step, inputs, 2);
    }

    static void none(Step step, List<Step> inputs) {
        check(step, inputs, 0);
    }

    private static void check(Step step, List<Step> inputs, int expected) {
        if (inputs.size() != expected) {
            throw new IllegalArgumentException(step.getClass().getSimpleName() + " " + step.name() + " reads "
                    + expected + " input(s), not " + inputs.size());
        }
    }
}
