package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.Step;

import java.util.List;

/** The optimizer's policy over {@link Step#withInputs} and {@link Step#withName}. */
final class StepCopy {
    private StepCopy() {
    }

    static Step withInputs(Step step, List<Step> in) {
        return step.withInputs(in);
    }

    /** Sources keep their names: they name the declared stream or table, which queries share. */
    static Step withName(Step step, String name) {
        return isSource(step) ? step : step.withName(name);
    }

    static boolean isSource(Step step) {
        return step.inputs().isEmpty();
    }

    /** Steps that hold state or a repartition topic: what sharing saves. */
    static boolean isStateful(Step step) {
        return step.accept(StepTraits.INSTANCE).stateful();
    }
}
