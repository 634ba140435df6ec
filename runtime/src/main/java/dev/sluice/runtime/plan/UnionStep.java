package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/** UNION ALL of streams with the same value schema. */
public record UnionStep(String name, List<Step> inputs, Schema schema) implements Step {
    public UnionStep {
        inputs = List.copyOf(inputs);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        if (inputs.size() != this.inputs.size()) {
            throw new IllegalArgumentException("union " + name + " reads " + this.inputs.size() + " inputs, not "
                    + inputs.size());
        }
        return new UnionStep(name, inputs, schema);
    }

    @Override
    public Step withName(String name) {
        return new UnionStep(name, inputs, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitUnion(this);
    }

    @Override
    public Schema keySchema() {
        return inputs.get(0).keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }
}
