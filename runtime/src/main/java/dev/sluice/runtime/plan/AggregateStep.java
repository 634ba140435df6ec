package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * GROUP BY: groups the input by {@code groupKeys} (the input must already be keyed by them: the
 * planner puts a {@link RekeyStep} in front when it is not) and aggregates {@code calls}, optionally
 * per event-time window.
 *
 * <p>Output value row: the group key columns, then (when windowed) {@code window_start},
 * {@code window_end}, then one column per call. Output key: the group key columns, plus
 * {@code window_start} when windowed. State: one store {@code <name>-store}, plus
 * {@code <name>-distinct-store} for a {@link Kind#STREAM} aggregation with DISTINCT calls; a {@link Kind#TABLE}
 * one adds {@code <name>-previous-store} (each input key's last row) when its input table has no
 * store of its own to send the old rows from, and, with MIN/MAX or
 * COUNT/SUM/AVG(DISTINCT) calls, {@code <name>-values-store}. {@code rowtimeColumn} is
 * the input column with event time, for aggregates ordered by it (FIRST, LAST).
 * {@code unchangedUpdates} says whether an update that leaves a group's row as it was is emitted
 * (a decision of the plan, from the dialect: see {@link UnchangedUpdates}).
 */
public record AggregateStep(String name, Step input, List<Expr> groupKeys, Optional<WindowSpec> window,
                            List<AggregateCall> calls, OptionalInt rowtimeColumn, Schema keySchema, Schema schema,
                            EmitMode emit, UnchangedUpdates unchangedUpdates)
        implements Step {
    public AggregateStep {
        groupKeys = List.copyOf(groupKeys);
        calls = List.copyOf(calls);
    }

    /** Flink's rule: an update that leaves the row as it was is dropped. */
    public AggregateStep(String name, Step input, List<Expr> groupKeys, Optional<WindowSpec> window,
                         List<AggregateCall> calls, OptionalInt rowtimeColumn, Schema keySchema, Schema schema,
                         EmitMode emit) {
        this(name, input, groupKeys, window, calls, rowtimeColumn, keySchema, schema, emit, UnchangedUpdates.DROP);
    }

    /**
     * What an update-emitting aggregate (non-windowed, or windowed with EMIT CHANGES) does when an
     * input row leaves its group's result as it was (a MAX a smaller value does not move, a
     * COUNT(DISTINCT) of a value already seen).
     */
    public enum UnchangedUpdates {
        /** Emit nothing, as Flink's GroupAggFunction and window operators do. */
        DROP,
        /** Emit the row again, as ksqlDB does for every input row. */
        EMIT
    }

    /** How the aggregation runs, decided by the plan: the builder only follows it. */
    public enum Kind {
        /** Over an append-only stream: each input row is added. */
        STREAM,
        /**
         * Over a changelog (an updating input): a row's new value is added and its old value
         * retracted; a group whose rows are all retracted is deleted (the state counts its rows).
         */
        TABLE,
        /** Per event-time window, over an append-only stream. */
        WINDOWED
    }

    public Kind kind() {
        if (window.isPresent()) {
            return Kind.WINDOWED;
        }
        return input.shape() == Shape.TABLE ? Kind.TABLE : Kind.STREAM;
    }

    /**
     * EMIT FINAL windowed results are final rows per window: downstream sees a stream. Otherwise a
     * group's row is updated (and a merged session deleted): a table.
     */
    @Override
    public Shape shape() {
        return window.isPresent() && emit == EmitMode.FINAL ? Shape.STREAM : Shape.TABLE;
    }

    @Override
    public List<Step> inputs() {
        return List.of(input);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        return new AggregateStep(name, Inputs.one(this, inputs), groupKeys, window, calls, rowtimeColumn,
                keySchema, schema, emit, unchangedUpdates);
    }

    @Override
    public Step withName(String name) {
        return new AggregateStep(name, input, groupKeys, window, calls, rowtimeColumn, keySchema, schema, emit,
                unchangedUpdates);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitAggregate(this);
    }
}
