package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * Re-keys a stream by expressions over the value and repartitions it through the internal topic
 * {@code <name>-repartition}, so that rows with equal keys meet in one task.
 */
public record RekeyStep(String name, Step input, List<Expr> keyExpressions, Schema keySchema) implements Step {
    public RekeyStep {
        keyExpressions = List.copyOf(keyExpressions);
    }

    @Override
    public Schema schema() {
        return input.schema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of(input);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        return new RekeyStep(name, Inputs.one(this, inputs), keyExpressions, keySchema);
    }

    @Override
    public Step withName(String name) {
        return new RekeyStep(name, input, keyExpressions, keySchema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitRekey(this);
    }
}
