package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * Rate-limits a table's updates: at most one per key per {@code intervalMs} of stream time, the
 * latest (Kafka Streams' {@code suppress(untilTimeLimit)}). A dynamic table's TARGET_LAG.
 */
public record SuppressStep(String name, Step input, long intervalMs) implements Step {
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
        return Shape.TABLE;
    }

    @Override
    public List<Step> inputs() {
        return List.of(input);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        return new SuppressStep(name, Inputs.one(this, inputs), intervalMs);
    }

    @Override
    public Step withName(String name) {
        return new SuppressStep(name, input, intervalMs);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitSuppress(this);
    }
}
