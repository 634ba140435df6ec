package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

/**
 * An interval join of two streams keyed alike: a right row joins a left row when
 * {@code left.ts - beforeMs <= right.ts <= left.ts + afterMs}. Output value = left then right columns.
 */
public record StreamStreamJoinStep(String name, Step left, Step right, JoinType type, long beforeMs,
                                   long afterMs, long graceMs, Schema schema) implements Step {
    @Override
    public Schema keySchema() {
        return left.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }
}
