package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * A stream joined to a table on the table's key. Output value = left columns then right columns
 * (NULLs for a LEFT join without a match); output key and timestamp are the stream record's.
 *
 * <p>With an empty {@code globalKey} the right side is a partitioned KTable and the stream must
 * already be keyed (and partitioned) by the join expression: the planner re-keys it. A non-empty
 * {@code globalKey} means the right side is a GlobalKTable, looked up by these expressions over
 * each stream row, with no repartitioning.
 */
public record StreamTableJoinStep(String name, Step left, Step right, JoinType type, List<Expr> globalKey,
                                  Schema schema) implements Step {
    public StreamTableJoinStep {
        globalKey = List.copyOf(globalKey);
    }

    @Override
    public Schema keySchema() {
        return left.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of(left, right);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        Inputs.two(this, inputs);
        return new StreamTableJoinStep(name, inputs.get(0), inputs.get(1), type, globalKey, schema);
    }

    @Override
    public Step withName(String name) {
        return new StreamTableJoinStep(name, left, right, type, globalKey, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitStreamTableJoin(this);
    }
}
