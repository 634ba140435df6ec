package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.OptionalInt;

/**
 * Deduplication ({@code SELECT DISTINCT ON (k)}, or {@code ROW_NUMBER() OVER (PARTITION BY k ORDER
 * BY time) = 1}): one row per key of the input, which must already be keyed (and partitioned) by
 * the deduplication key. Keeps the first row by event time ({@code orderColumn}; arrival order when
 * empty), or the last when {@code keepLast}. An earlier row arriving later replaces the kept one,
 * so the output is a table keyed like the input. State: {@code <name>-store}; a key is forgotten
 * once stream time passes its kept row's time plus {@code retentionMs} (0: never). Late rows are
 * not dropped (as in Flink): a late duplicate of a key still remembered is suppressed, one of a
 * forgotten key is emitted again.
 */
public record DeduplicateStep(String name, Step input, boolean keepLast, OptionalInt orderColumn, long retentionMs)
        implements Step {
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
        return new DeduplicateStep(name, Inputs.one(this, inputs), keepLast, orderColumn, retentionMs);
    }

    @Override
    public Step withName(String name) {
        return new DeduplicateStep(name, input, keepLast, orderColumn, retentionMs);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitDeduplicate(this);
    }
}
