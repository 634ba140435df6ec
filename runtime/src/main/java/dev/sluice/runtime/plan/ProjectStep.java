package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/** Computes a new value row: column {@code i} of {@code schema} is {@code expressions.get(i)}. */
public record ProjectStep(String name, Step input, List<Expr> expressions, Schema schema) implements Step {
    public ProjectStep {
        expressions = List.copyOf(expressions);
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
        return new ProjectStep(name, Inputs.one(this, inputs), expressions, schema);
    }

    @Override
    public Step withName(String name) {
        return new ProjectStep(name, input, expressions, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitProject(this);
    }
}
