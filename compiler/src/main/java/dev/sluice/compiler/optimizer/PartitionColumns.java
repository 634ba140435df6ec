package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which value columns decide the task a step's rows are in, when that is known for sure: rows that
 * agree on all of them are in one task. Weaker than {@link KeyColumns} (keyed and hash-partitioned
 * by those columns): it says where rows are, not how another input would have to be partitioned to
 * meet them. What a re-key in the task ({@link ColocateRule}) needs: a new key that contains all of
 * these columns keeps every group in one task without a repartition topic.
 *
 * <p>Known after a repartition by columns, through filters, projections that keep the columns,
 * table functions, non-windowed aggregations (by their group key, or, after a re-key in the task,
 * by the group key columns their input's partitioning came from) and joins, whose rows are made in
 * the task of their inputs' join key: the left side's columns of an INNER or LEFT join (a FULL
 * join pads either side, so neither).
 */
final class PartitionColumns {
    private PartitionColumns() {
    }

    static Optional<SortedSet<Integer>> of(Step step) {
        if (step instanceof RekeyStep r) {
            return r.local() ? of(r.input()) : refs(r.keyExpressions());
        }
        if (step instanceof FilterStep || step instanceof ExplodeStep) {
            return of(step.inputs().get(0)); // columns keep their positions
        }
        if (step instanceof ProjectStep p) {
            return of(p.input()).flatMap(in -> positionsOf(in, p.expressions()));
        }
        if (step instanceof AggregateStep a) {
            if (a.window().isPresent()) {
                return Optional.empty();
            }
            if (a.input() instanceof RekeyStep r && r.local()) {
                return of(r).flatMap(in -> positionsOf(in, a.groupKeys()));
            }
            SortedSet<Integer> key = new TreeSet<>();
            for (int i = 0; i < a.groupKeys().size(); i++) {
                key.add(i); // the plan keyed and partitioned the input by the group key
            }
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        }
        if (step instanceof StreamStreamJoinStep j && j.type() != JoinType.FULL) {
            return of(j.left()); // output = left columns then right columns
        }
        if (step instanceof StreamTableJoinStep j && j.type() != JoinType.FULL) {
            return of(j.left()); // INNER or LEFT: the stream's rows stay in their task
        }
        return Optional.empty();
    }

    /** Where each column lands among {@code exprs} (a plain reference to it), if all of them do. */
    private static Optional<SortedSet<Integer>> positionsOf(SortedSet<Integer> columns, List<Expr> exprs) {
        SortedSet<Integer> out = new TreeSet<>();
        for (int col : columns) {
            int at = -1;
            for (int i = 0; i < exprs.size() && at < 0; i++) {
                if (exprs.get(i) instanceof Expr.InputRef ref && ref.index() == col) {
                    at = i;
                }
            }
            if (at < 0) {
                return Optional.empty();
            }
            out.add(at);
        }
        return Optional.of(out);
    }

    private static Optional<SortedSet<Integer>> refs(List<Expr> exprs) {
        return KeyColumns.refs(exprs).filter(cols -> !cols.isEmpty()).map(TreeSet::new);
    }
}
