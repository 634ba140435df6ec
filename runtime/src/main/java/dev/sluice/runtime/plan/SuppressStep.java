package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

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
}
