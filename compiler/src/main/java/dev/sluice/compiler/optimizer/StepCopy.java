package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.AggregateStep;
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

import java.util.List;

/** Copies of steps with other inputs or another name; everything else stays as it was. */
final class StepCopy {
    private StepCopy() {
    }

    static Step withInputs(Step step, List<Step> in) {
        if (step instanceof FilterStep f) {
            return new FilterStep(f.name(), in.get(0), f.predicate());
        }
        if (step instanceof ProjectStep p) {
            return new ProjectStep(p.name(), in.get(0), p.expressions(), p.schema());
        }
        if (step instanceof RekeyStep r) {
            return new RekeyStep(r.name(), in.get(0), r.keyExpressions(), r.keySchema());
        }
        if (step instanceof AggregateStep a) {
            return new AggregateStep(a.name(), in.get(0), a.groupKeys(), a.window(), a.calls(), a.rowtimeColumn(),
                    a.keySchema(), a.schema(), a.emit());
        }
        if (step instanceof UnionStep u) {
            return new UnionStep(u.name(), in, u.schema());
        }
        if (step instanceof StreamTableJoinStep j) {
            return new StreamTableJoinStep(j.name(), in.get(0), in.get(1), j.type(), j.globalKey(), j.schema());
        }
        if (step instanceof StreamStreamJoinStep j) {
            return new StreamStreamJoinStep(j.name(), in.get(0), in.get(1), j.type(), j.beforeMs(), j.afterMs(),
                    j.graceMs(), j.leftRowtime(), j.rightRowtime(), j.schema());
        }
        if (step instanceof TableTableJoinStep j) {
            return new TableTableJoinStep(j.name(), in.get(0), in.get(1), j.type(), j.foreignKey(), j.schema());
        }
        return step;
    }

    /** Sources keep their names: they name the declared stream or table, which queries share. */
    static Step withName(Step step, String name) {
        if (step instanceof SourceStep || step instanceof TableSourceStep) {
            return step;
        }
        if (step instanceof FilterStep f) {
            return new FilterStep(name, f.input(), f.predicate());
        }
        if (step instanceof ProjectStep p) {
            return new ProjectStep(name, p.input(), p.expressions(), p.schema());
        }
        if (step instanceof RekeyStep r) {
            return new RekeyStep(name, r.input(), r.keyExpressions(), r.keySchema());
        }
        if (step instanceof AggregateStep a) {
            return new AggregateStep(name, a.input(), a.groupKeys(), a.window(), a.calls(), a.rowtimeColumn(),
                    a.keySchema(), a.schema(), a.emit());
        }
        if (step instanceof UnionStep u) {
            return new UnionStep(name, u.inputs(), u.schema());
        }
        if (step instanceof StreamTableJoinStep j) {
            return new StreamTableJoinStep(name, j.left(), j.right(), j.type(), j.globalKey(), j.schema());
        }
        if (step instanceof StreamStreamJoinStep j) {
            return new StreamStreamJoinStep(name, j.left(), j.right(), j.type(), j.beforeMs(), j.afterMs(),
                    j.graceMs(), j.leftRowtime(), j.rightRowtime(), j.schema());
        }
        TableTableJoinStep j = (TableTableJoinStep) step;
        return new TableTableJoinStep(name, j.left(), j.right(), j.type(), j.foreignKey(), j.schema());
    }

    static boolean isSource(Step step) {
        return step instanceof SourceStep || step instanceof TableSourceStep;
    }

    /** Steps that hold state or a repartition topic: what sharing saves. */
    static boolean isStateful(Step step) {
        return step instanceof AggregateStep || step instanceof RekeyStep || step instanceof StreamTableJoinStep
                || step instanceof StreamStreamJoinStep || step instanceof TableTableJoinStep;
    }
}
