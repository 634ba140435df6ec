package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * {@code ROW_NUMBER() / RANK() / DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...)} kept to the
 * rows ranked at most {@code limit} (Top-N; {@code Long.MAX_VALUE} keeps every row), and
 * {@code ORDER BY ... LIMIT n} of a persistent query (no partition, ROW_NUMBER). The step re-keys
 * its input by the partition columns itself (through {@code <name>-repartition}) because a table
 * input's deletions must travel with their key.
 *
 * <p>Output: a table keyed by the partition columns plus the row's position in its partition
 * (1, 2, ...); a change in the ranking updates the positions that changed and deletes the
 * positions that no longer exist, so downstream sees retractions. Value = the input columns,
 * then the rank when {@code appendRank}. A table input is identified by its key columns (found by
 * name in its value): an update replaces that row. A stream input only keeps rows that can still
 * rank (its rows are never retracted); a table input keeps every row, since a retraction can bring
 * one back, and its partition may change with an update: the step keeps each key's last row in
 * {@code <name>-previous-store} and retracts the old row from its old partition. State:
 * {@code <name>-store} per partition, {@code <name>-previous-store} for a table input, and
 * {@code <name>-table-store} for the output.
 *
 * <p>{@code tableInTask}: the output table is built in the task that ranks, without
 * {@code <name>-to-table-repartition}. Every update of an output key (partition columns, position)
 * comes from the one task that owns the partition, so the table is right there; it is not
 * <em>partitioned</em> by its whole key, which only a reader that meets it with other rows by that key
 * (a join) would need. Set by the optimizer's {@code colocate} rule when no such reader exists.
 *
 * <p>{@code rankedInTask}: the input is a stream whose rows are already in the task of their
 * partition (the partition columns contain every column that decides the input's task, e.g. a
 * join's key: Nexmark q9 ranks the joined bids per auction id, the join key), so the step re-keys
 * them in the task, without {@code <name>-repartition}. Set by the {@code colocate} rule.
 */
public record RankStep(String name, Step input, Function function, List<Integer> partitionColumns,
                       List<SortKey> orderBy, long limit, boolean appendRank, Schema keySchema, Schema schema,
                       List<AggregateCall> running, OverFrame frame, boolean tableInTask, boolean rankedInTask)
        implements Step {
    public RankStep {
        partitionColumns = List.copyOf(partitionColumns);
        orderBy = List.copyOf(orderBy);
        running = List.copyOf(running);
        java.util.Objects.requireNonNull(frame, "frame");
        if (!frame.rows() && !frame.unbounded()) {
            throw new IllegalArgumentException("a running aggregate over a table takes RANGE frames from its start only");
        }
        if ((function == Function.RUNNING) == running.isEmpty()) {
            throw new IllegalArgumentException("RUNNING takes aggregates, a ranking none");
        }
        if (rankedInTask && input.shape() == Shape.TABLE) {
            throw new IllegalArgumentException("a table input's deletions travel to their old partition: it is ranked behind a topic");
        }
    }

    /** With its input ranked behind {@code <name>-repartition} (see {@link #rankedInTask}). */
    public RankStep(String name, Step input, Function function, List<Integer> partitionColumns,
                    List<SortKey> orderBy, long limit, boolean appendRank, Schema keySchema, Schema schema,
                    List<AggregateCall> running, OverFrame frame, boolean tableInTask) {
        this(name, input, function, partitionColumns, orderBy, limit, appendRank, keySchema, schema, running, frame,
                tableInTask, false);
    }

    /** A ranking. */
    public RankStep(String name, Step input, Function function, List<Integer> partitionColumns,
                    List<SortKey> orderBy, long limit, boolean appendRank, Schema keySchema, Schema schema) {
        this(name, input, function, partitionColumns, orderBy, limit, appendRank, keySchema, schema, List.of(),
                OverFrame.RANGE_UNBOUNDED);
    }

    /** As planned: the output table behind its own repartition topic (see {@link #tableInTask}). */
    public RankStep(String name, Step input, Function function, List<Integer> partitionColumns,
                    List<SortKey> orderBy, long limit, boolean appendRank, Schema keySchema, Schema schema,
                    List<AggregateCall> running, OverFrame frame) {
        this(name, input, function, partitionColumns, orderBy, limit, appendRank, keySchema, schema, running, frame,
                false);
    }

    /** The same step with its output table built in the ranking task (see {@link #tableInTask}). */
    public RankStep withTableInTask() {
        return new RankStep(name, input, function, partitionColumns, orderBy, limit, appendRank, keySchema, schema,
                running, frame, true, rankedInTask);
    }

    /** The same step ranking its input in the input's task (see {@link #rankedInTask}). */
    public RankStep withRankedInTask() {
        return new RankStep(name, input, function, partitionColumns, orderBy, limit, appendRank, keySchema, schema,
                running, frame, tableInTask, true);
    }

    /**
     * RUNNING: {@code agg(x) OVER (PARTITION BY ... ORDER BY ...)}, each row with the aggregate of
     * its partition's rows up to it, in the order: up to its last peer (rows equal in the order,
     * the SQL default frame {@code RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}), or up to the
     * row itself under ROWS, from the partition's first row or the n rows before it
     * ({@link OverFrame}). One appended column per call of {@code running}, whose arguments are input
     * columns.
     */
    public enum Function { ROW_NUMBER, RANK, DENSE_RANK, RUNNING }

    /** An input column to sort by; NULLs sort as larger than any value unless {@code nullsFirst} says. */
    public record SortKey(int column, boolean descending, boolean nullsFirst) {
    }

    /**
     * For a table input, the input value columns that hold its key (found by name: a table's key
     * columns are usually also value columns), which identify a row an update replaces; empty for a
     * stream, and for a table whose key is not all in its value (a ranking's {@code position}): such
     * a table's rows are identified whole, each update retracting the key's previous row.
     */
    public List<Integer> inputKeyColumns() {
        if (input.shape() != Shape.TABLE) {
            return List.of();
        }
        Schema key = input.keySchema();
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            java.util.OptionalInt column = input.schema().indexOf(key.column(i).name());
            if (column.isEmpty()) {
                return List.of();
            }
            out.add(column.getAsInt());
        }
        return List.copyOf(out);
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
        return new RankStep(name, Inputs.one(this, inputs), function, partitionColumns, orderBy, limit,
                appendRank, keySchema, schema, running, frame, tableInTask, rankedInTask);
    }

    @Override
    public Step withName(String name) {
        return new RankStep(name, input, function, partitionColumns, orderBy, limit, appendRank, keySchema, schema,
                running, frame, tableInTask, rankedInTask);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitRank(this);
    }
}
