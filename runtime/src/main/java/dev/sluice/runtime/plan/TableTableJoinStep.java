package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

/** Two tables joined on their keys. Output value = left then right columns. */
public record TableTableJoinStep(String name, Step left, Step right, JoinType type, Schema schema)
        implements Step {
    @Override
    public Schema keySchema() {
        return left.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.TABLE;
    }
}
