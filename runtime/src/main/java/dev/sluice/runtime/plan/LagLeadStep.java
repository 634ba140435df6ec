package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.OptionalLong;

/**
 * {@code LAG/LEAD(x, n, default) OVER (PARTITION BY ... ORDER BY time)}. The input must already be
 * keyed (and partitioned) by the partition key: the planner puts a {@link RekeyStep} in front.
 * With {@code sortDelayMs} (ORDER BY a source's event time under a WATERMARK), rows are sorted as
 * Flink does: held in {@code <name>-buffer} until the watermark (largest timestamp seen minus the
 * delay) reaches them, then taken in event-time order; a row at or behind the watermark when it
 * arrives is late and dropped. Without it, rows are taken in arrival order, which is event-time
 * order for windowed results. Output value = the input columns, then one column per call. LEAD holds a row back until
 * the n-th next row of its partition arrives (or, in replay, the end of the input).
 * State: one store {@code <name>-store}, per partition key.
 */
public record LagLeadStep(String name, Step input, List<OffsetCall> calls, OptionalLong sortDelayMs, Schema schema)
        implements Step {
    public LagLeadStep {
        calls = List.copyOf(calls);
    }

    /**
     * One call: LEAD when {@code lead}, else LAG, of input column {@code argument}, {@code offset}
     * rows away; {@code defaultValue} (over the current input row) when there is no such row.
     */
    public record OffsetCall(boolean lead, int argument, int offset, Expr defaultValue) {
    }

    public boolean hasLead() {
        return calls.stream().anyMatch(OffsetCall::lead);
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
        return new LagLeadStep(name, Inputs.one(this, inputs), calls, sortDelayMs, schema);
    }

    @Override
    public Step withName(String name) {
        return new LagLeadStep(name, input, calls, sortDelayMs, schema);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitLagLead(this);
    }
}
