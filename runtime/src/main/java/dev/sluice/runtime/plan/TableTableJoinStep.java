package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * Two tables joined; output value = left then right columns, keyed by the left table's key.
 * With an empty {@code foreignKey} both tables are keyed by the join key (a primary-key join,
 * INNER/LEFT/FULL). Otherwise a foreign-key join (INNER/LEFT): {@code foreignKey}, over each left
 * row, gives the right table's key to match; a NULL part matches nothing.
 */
public record TableTableJoinStep(String name, Step left, Step right, JoinType type, List<Expr> foreignKey,
                                 Schema schema) implements Step {
    public TableTableJoinStep {
        foreignKey = List.copyOf(foreignKey);
    }

    @Override
    public Schema keySchema() {
        return left.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.TABLE;
    }

    @Override
    public List<Step> inputs() {
        return List.of(left, right);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        Inputs.two(this, inputs);
        return new TableTableJoinStep(name, inputs.get(0), inputs.get(1), type, foreignKey, schema);
    }

    @Override
    public Step withName(String name) {
        return new TableTableJoinStep(name, left, right, type, foreignKey, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitTableTableJoin(this);
    }
}
