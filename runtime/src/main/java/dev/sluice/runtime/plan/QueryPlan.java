package dev.sluice.runtime.plan;

import java.util.List;
import java.util.Optional;

/**
 * One persistent or transient query: its id (stable, derived from the query: the sink name, or
 * {@code select_N} for the N-th bare SELECT), the plan root and where results go. {@code sink} is
 * empty for a bare SELECT, whose rows go to the internal topic {@code <id>-output} for printing.
 *
 * <p>{@code changeRecords}: the root is a table whose changes go to a STREAM (CREATE STREAM ... AS
 * over an updating result): every change is written as a record with an {@code op} column, as
 * Flink's changelog formats carry the operation in an append-only topic; {@code changeForm} says
 * which records ({@link ChangeForm}).
 *
 * <p>{@code sinkKeyColumns}: output columns written to the record key and left out of the value, as
 * ksqlDB writes its KEY columns (empty: the key is the root's key and the value holds every column).
 */
public record QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput,
                        boolean changeRecords, List<Integer> sinkKeyColumns, ChangeForm changeForm) {
    public QueryPlan {
        sinkKeyColumns = List.copyOf(sinkKeyColumns);
    }

    /** The records change records are written as ({@code 'changelog.mode'} in the sink's WITH). */
    public enum ChangeForm {
        /**
         * Flink's changelog-json: {@code +I} for a new key, {@code -U} (the old row) then {@code +U}
         * (the new row) for an update, {@code -D} with the deleted row. The default, as Flink writes
         * every kind of change to a changelog format (see {@code runtime.operator.RetractChangeRecords}).
         */
        RETRACT,
        /** Upserts only: {@code +U} (the key's row is now this one) and {@code -D} (only key columns set). */
        UPSERT
    }

    public QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput,
                     boolean changeRecords, List<Integer> sinkKeyColumns) {
        this(id, root, sink, changelogOutput, changeRecords, sinkKeyColumns, ChangeForm.RETRACT);
    }

    public QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput) {
        this(id, root, sink, changelogOutput, false, List.of());
    }

    public QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput,
                     boolean changeRecords) {
        this(id, root, sink, changelogOutput, changeRecords, List.of());
    }

    public QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput,
                     List<Integer> sinkKeyColumns) {
        this(id, root, sink, changelogOutput, false, sinkKeyColumns);
    }

    /** The columns written to the sink: the root's, then {@code op} for change records. */
    public dev.sluice.serdes.row.Schema outputSchema() {
        return changeRecords ? root.schema().append(new dev.sluice.serdes.row.Column(OP_COLUMN,
                dev.sluice.serdes.row.ScalarType.VARCHAR)) : root.schema();
    }

    /** The column of change records that holds the operation. */
    public static final String OP_COLUMN = "op";

    /** The same query over another plan root (optimizer rewrites keep what the sink receives). */
    public QueryPlan withRoot(Step newRoot) {
        return new QueryPlan(id, newRoot, sink, changelogOutput, changeRecords, sinkKeyColumns, changeForm);
    }
}
