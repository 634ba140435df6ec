package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * An interval join of two streams keyed alike: a right row joins a left row with the same key when
 * {@code left.ts - beforeMs <= right.ts <= left.ts + afterMs} (either bound may be negative, not
 * their sum). {@code graceMs}: how long after a left row's interval has passed (in stream time) it
 * may still meet a late right row before an outer join pads it with NULLs.
 * Output value = left then right columns. Output timestamp: the left row's event time, the value of
 * column {@code leftRowtime} of the output (or, for a right row padded by a FULL join, column
 * {@code rightRowtime}); -1 keeps Kafka Streams' choice, the later of the two rows' timestamps.
 */
public record StreamStreamJoinStep(String name, Step left, Step right, JoinType type, long beforeMs,
                                   long afterMs, long graceMs, int leftRowtime, int rightRowtime, Schema schema)
        implements Step {
    @Override
    public Schema keySchema() {
        return left.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of(left, right);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        Inputs.two(this, inputs);
        return new StreamStreamJoinStep(name, inputs.get(0), inputs.get(1), type, beforeMs, afterMs, graceMs,
                leftRowtime, rightRowtime, schema);
    }

    @Override
    public Step withName(String name) {
        return new StreamStreamJoinStep(name, left, right, type, beforeMs, afterMs, graceMs, leftRowtime, rightRowtime,
                schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitStreamStreamJoin(this);
    }
}
