package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/** UNION ALL of streams with the same value schema. */
public record UnionStep(String name, List<Step> inputs, Schema schema) implements Step {
    public UnionStep {
        inputs = List.copyOf(inputs);
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
