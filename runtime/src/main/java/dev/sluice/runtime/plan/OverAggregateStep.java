package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * {@code agg(x) OVER (PARTITION BY ... ORDER BY <event time> <frame>)} over an append-only stream
 * (Flink's streaming OVER aggregation): each input row is emitted once, with the aggregate of its
 * partition's rows in its {@link OverFrame}. The input must already be keyed (and partitioned) by
 * the partition key: the planner puts a {@link RekeyStep} in front.
 *
 * <p>Rows are taken in event-time order: held in {@code <name>-buffer} until the watermark (the
 * largest timestamp seen minus {@code sortDelayMs}, minus 1 ms as Flink's bounded-out-of-orderness
 * watermark) passes them; a row at or behind the watermark when it arrives is late, and is dropped,
 * counted and dead-lettered. State per partition in {@code <name>-store}: the accumulators for an
 * unbounded frame, the last n rows' arguments for {@code ROWS n PRECEDING}, the rows of the last
 * interval for {@code RANGE INTERVAL ... PRECEDING}. Output value: the input columns, then one
 * column per call, whose arguments are input columns.
 */
public record OverAggregateStep(String name, Step input, List<AggregateCall> calls, OverFrame frame, long sortDelayMs,
                                Schema schema) implements Step {
    public OverAggregateStep {
        calls = List.copyOf(calls);
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("an OVER aggregation computes at least one aggregate");
        }
    }

    @Override
    public Schema keySchema() {
        return input.keySchema();
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of(input);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        return new OverAggregateStep(name, Inputs.one(this, inputs), calls, frame, sortDelayMs, schema);
    }

    @Override
    public Step withName(String name) {
        return new OverAggregateStep(name, input, calls, frame, sortDelayMs, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitOverAggregate(this);
    }
}
