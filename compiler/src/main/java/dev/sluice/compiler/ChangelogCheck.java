package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.plan.ChangelogInference;
import dev.sluice.runtime.plan.ChangelogMode;
import dev.sluice.runtime.plan.Step;

import java.util.List;

/**
 * Changelog modes checked during analysis: every step accepts what its inputs emit, and a sink
 * that can only append (a STREAM, or an append-only connector) never receives updates. A TABLE
 * sink takes upserts and tombstones.
 */
final class ChangelogCheck {
    private ChangelogCheck() {
    }

    enum Sink {
        /** A STREAM, or {@code 'connector' = 'kafka'} in Flink terms: rows once written never change. */
        APPEND_ONLY,
        /** A TABLE, or {@code 'connector' = 'upsert-kafka'}: a row per key, tombstones delete. */
        UPSERT,
        /** A bare SELECT: the changelog is printed as it is. */
        CHANGELOG
    }

    /** What a sink declared as {@code table} (or not) with these WITH options accepts. */
    static Sink sink(boolean table, java.util.Optional<ConnectorOption> connector) {
        // Flink's upsert-kafka, blackhole and print sinks take updates (print shows them as -U/+U).
        boolean takesUpdates = connector.map(c -> c.takesUpdates).orElse(false);
        return table || takesUpdates ? Sink.UPSERT : Sink.APPEND_ONLY;
    }

    /** Checks a query whose sink may only receive what {@code sink} accepts. */
    static void check(Step root, Sink sink, String sinkName, NodeLocation where) {
        if (check(root, sink, sinkName, where, false)) {
            throw new IllegalStateException("unreachable: change records were not allowed");
        }
    }

    /**
     * Checks a query, and says whether its updates must be written as change records: with
     * {@code changeRecordsAllowed} (a CREATE STREAM ... AS, whose columns Sluice defines), a result
     * that updates is written to the append-only STREAM as records carrying their operation (an
     * {@code op} column), as Flink writes a changelog to an append-only Kafka topic through a
     * changelog format. Elsewhere (INSERT INTO a declared STREAM) updates into an append-only sink
     * are an error.
     */
    static boolean check(Step root, Sink sink, String sinkName, NodeLocation where, boolean changeRecordsAllowed) {
        ChangelogInference.Result modes = ChangelogInference.infer(List.of(root));
        if (!modes.violations().isEmpty()) {
            ChangelogInference.Violation v = modes.violations().get(0);
            throw new SqlException(where, "not supported: " + v.describe() + " (it would treat an update as a new row)",
                    "aggregate the updating part per window with EMIT FINAL, or read it as a TABLE");
        }
        ChangelogMode result = modes.of(root);
        if (sink == Sink.APPEND_ONLY && result.updates()) {
            if (changeRecordsAllowed && root.shape() == Step.Shape.TABLE) {
                return true;
            }
            throw new SqlException(where, "the result of this query updates (" + describeUpdates(root)
                    + ") but `" + sinkName + "` is a STREAM, which only appends",
                    "declare it a TABLE (CREATE TABLE " + sinkName + " AS ...): a TABLE sink gets upserts and "
                            + "tombstones by key; or aggregate per window with EMIT FINAL to append one row per window");
        }
        return false;
    }

    /** The note a CREATE STREAM ... AS over an updating result gets: what its records mean. */
    static String changeRecordsNote(Step root, String sinkName, boolean upsertForm) {
        String form = upsertForm
                ? "'+U' (the key's row is now this one) or '-D' (the key's row is deleted; only its key columns are "
                        + "set) ('changelog.mode' = 'upsert')"
                : "'+I' (a new row), '-U' then '+U' (the row before and after an update) or '-D' (the deleted row), "
                        + "as Flink's changelog-json writes them; 'changelog.mode' = 'upsert' writes upserts only";
        return sinkName + ": the result updates (" + describeUpdates(root) + "), so each change is written to the "
                + "STREAM as a record with an `op` column: " + form
                + "; declare it a TABLE to get upserts and tombstones instead";
    }

    /** The step where rows start to update: the deepest step that emits updates from inserts only. */
    private static String describeUpdates(Step step) {
        for (Step in : step.inputs()) {
            if (ChangelogInference.emitted(in).updates()) {
                return describeUpdates(in);
            }
        }
        return step.name() + " emits " + ChangelogInference.emitted(step).label() + " rows";
    }
}
