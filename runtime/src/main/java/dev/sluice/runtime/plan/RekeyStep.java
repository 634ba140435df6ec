package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * Re-keys a stream by expressions over the value and repartitions it through the internal topic
 * {@code <name>-repartition}, so that rows with equal keys meet in one task.
 *
 * <p>{@code local}: the rows with equal new keys are already in one task (the new key contains every
 * column the input is partitioned by, see docs/architecture.md, "Re-keying in the task"), so the key
 * changes in the task and no topic is written. Only a non-windowed GROUP BY reads such a step, and
 * nothing downstream may take its output as partitioned by the new key.
 *
 * <p>{@code tombstoneKey}: the new key of a record without a value (a tombstone), as ksqlDB's
 * PARTITION BY computes it: expressions over the incoming record KEY (the source's key columns, in
 * their order), a NULL literal for a key expression that reads any other column. Empty: a
 * tombstone's new key is all NULLs. These read the record key, not the row, so a rewrite of the
 * input's columns leaves them as they are.
 */
public record RekeyStep(String name, Step input, List<Expr> keyExpressions, Schema keySchema, boolean local,
                        List<Expr> tombstoneKey) implements Step {
    public RekeyStep {
        keyExpressions = List.copyOf(keyExpressions);
        tombstoneKey = List.copyOf(tombstoneKey);
        if (!tombstoneKey.isEmpty() && tombstoneKey.size() != keyExpressions.size()) {
            throw new IllegalArgumentException("a tombstone key expression per key expression");
        }
    }

    /** A re-key through a repartition topic; a tombstone gets a key of NULLs. */
    public RekeyStep(String name, Step input, List<Expr> keyExpressions, Schema keySchema) {
        this(name, input, keyExpressions, keySchema, false, List.of());
    }

    /** The same re-key (local or not) over another input, by key expressions over that input. */
    public RekeyStep withKey(Step input, List<Expr> keyExpressions) {
        return new RekeyStep(name, input, keyExpressions, keySchema, local, tombstoneKey);
    }

    /** This re-key with a tombstone's key computed from the record key (see {@code tombstoneKey}). */
    public RekeyStep withTombstoneKey(List<Expr> tombstoneKey) {
        return new RekeyStep(name, input, keyExpressions, keySchema, local, tombstoneKey);
    }

    /** This re-key done in the task, without a repartition topic. */
    public RekeyStep inTask() {
        return new RekeyStep(name, input, keyExpressions, keySchema, true, tombstoneKey);
    }

    @Override
    public Schema schema() {
        return input.schema();
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
        return new RekeyStep(name, Inputs.one(this, inputs), keyExpressions, keySchema, local, tombstoneKey);
    }

    @Override
    public Step withName(String name) {
        return new RekeyStep(name, input, keyExpressions, keySchema, local, tombstoneKey);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitRekey(this);
    }
}
