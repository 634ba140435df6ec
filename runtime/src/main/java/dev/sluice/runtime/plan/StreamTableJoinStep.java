package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

/**
 * A stream joined to a table on the table's key; the stream must already be keyed by the join
 * expression (the planner re-keys it). Output value = left columns then right columns.
 */
public record StreamTableJoinStep(String name, Step left, Step right, JoinType type, Schema schema)
        implements Step {
    @Override
    public Schema keySchema() {
        return left.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }
}
