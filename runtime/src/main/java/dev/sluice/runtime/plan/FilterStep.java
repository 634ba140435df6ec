package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/** Keeps rows for which {@code predicate} is TRUE (NULL and FALSE drop, as in SQL WHERE). */
public record FilterStep(String name, Step input, Expr predicate) implements Step {
    @Override
    public Schema schema() {
        return input.schema();
    }

    @Override
    public Schema keySchema() {
        return input.keySchema();
    }

    @Override
    public Shape shape() {
        return input.shape();
    }

    @Override
    public List<Step> inputs() {
        return List.of(input);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        return new FilterStep(name, Inputs.one(this, inputs), predicate);
    }

    @Override
    public Step withName(String name) {
        return new FilterStep(name, input, predicate);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitFilter(this);
    }
}
