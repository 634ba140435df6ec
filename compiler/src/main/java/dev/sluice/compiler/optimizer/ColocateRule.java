package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Re-keying in the task: a GROUP BY whose key contains every column its input is partitioned by
 * ({@link PartitionColumns}) finds each group's rows in one task already, so its re-key changes the
 * key there instead of writing the rows through a repartition topic (Nexmark q4: the join's rows,
 * partitioned by the auction id, grouped by (id, category)). Flink's planner keeps the hash
 * distribution on the id for the same reason.
 *
 * <p>Applies only when nothing downstream takes the group's rows as partitioned by the new key
 * (docs/architecture.md, "Re-keying in the task"): every reader of the re-key is a non-windowed
 * GROUP BY (a window's lateness depends on the task's stream time), and every reader of those
 * aggregates, through filters and projections, is a sink, another re-key or a table GROUP BY (both
 * repartition by their own key). A join reading the aggregate would expect its rows
 * hash-partitioned by the key, as the other side is: then the repartition stays.
 *
 * <p>The same holds for a ranking's output table ({@link RankStep#tableInTask}): it is keyed by the
 * partition columns and a position, and each partition is ranked in one task, so every update of a
 * key comes from that task; the DSL would still put {@code <step>-to-table-repartition} before the
 * table (its key changed). Without a reader that needs the rows hash-partitioned by that key (the
 * same test as for the aggregates above) the table is built in the ranking task (Nexmark q19: every
 * rank change crossed the broker a second time). Flink keeps the rank's output on its task too.
 *
 * <p>And a ranking's input ({@link RankStep#rankedInTask}): a stream whose partitioning columns are
 * all among the partition columns has each partition's rows in one task already, so the ranking
 * re-keys them there instead of through {@code <step>-repartition} (Nexmark q9: the joined bids,
 * made in the task of their auction id, ranked per auction id). Unlike a re-keyed GROUP BY this
 * needs no test of the readers: the ranking's output is its table, keyed by (partition, position),
 * which either goes through its own topic or is built in the task as above; nothing downstream
 * takes the ranking's input partitioning for anything. A ranking keeps no stream time, so which
 * other records share its task changes nothing either. A table input keeps its topic: an update may
 * move a row to another partition, whose deletion must travel to the old one.
 */
final class ColocateRule implements OptimizationRule<Step> {

    @Override
    public String name() {
        return "colocate";
    }

    @Override
    public List<Step> match(List<QueryPlan> plans) {
        List<Step> out = new ArrayList<>();
        PlanIndex index = new PlanIndex(plans);
        for (Step s : index.steps()) {
            if (s instanceof RekeyStep r && !r.local() && keyContainsPartitioning(r)
                    && readByGroupsOnly(r, index)) {
                out.add(r);
            }
            if (s instanceof RankStep r && !colocated(r, index).equals(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean keyContainsPartitioning(RekeyStep r) {
        Optional<SortedSet<Integer>> partitioning = PartitionColumns.of(r.input());
        if (partitioning.isEmpty() || partitioning.get().isEmpty()) {
            return false;
        }
        List<Integer> keyColumns = new ArrayList<>();
        for (var e : r.keyExpressions()) {
            if (e instanceof dev.sluice.runtime.expr.Expr.InputRef ref) {
                keyColumns.add(ref.index());
            }
        }
        return keyColumns.containsAll(partitioning.get());
    }

    /** The ranking with its table and its input in the task where the rule allows it (itself if nowhere). */
    private static RankStep colocated(RankStep r, PlanIndex index) {
        RankStep out = r;
        if (!out.tableInTask() && readersRepartition(r, index)) {
            out = out.withTableInTask();
        }
        if (!out.rankedInTask() && inputInItsTasks(r)) {
            out = out.withRankedInTask();
        }
        return out;
    }

    /** Whether a ranking's stream input is partitioned by columns that its partition columns all contain. */
    private static boolean inputInItsTasks(RankStep r) {
        if (r.input().shape() != Step.Shape.STREAM || r.partitionColumns().isEmpty()) {
            return false;
        }
        Optional<SortedSet<Integer>> partitioning = PartitionColumns.of(r.input());
        return partitioning.isPresent() && !partitioning.get().isEmpty()
                && r.partitionColumns().containsAll(partitioning.get());
    }

    /** Read only by non-windowed stream GROUP BYs, whose rows nothing takes as partitioned by their key. */
    private static boolean readByGroupsOnly(RekeyStep r, PlanIndex index) {
        if (index.parentSteps(r).isEmpty()) {
            return false;
        }
        for (Step p : index.parentSteps(r)) {
            if (!(p instanceof AggregateStep a && a.window().isEmpty() && a.kind() == AggregateStep.Kind.STREAM
                    && a.input().equals(r) && readersRepartition(a, index))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every step that reads {@code step}'s rows (through filters and projections) repartitions
     * them by a key of its own or is a sink: a re-key through a topic, or a table GROUP BY.
     */
    private static boolean readersRepartition(Step step, PlanIndex index) {
        for (Step p : index.parentSteps(step)) {
            boolean ok = p instanceof RekeyStep r && !r.local()
                    || p instanceof AggregateStep a && a.kind() == AggregateStep.Kind.TABLE
                    || (p instanceof FilterStep || p instanceof ProjectStep) && readersRepartition(p, index);
            if (!ok) {
                return false;
            }
        }
        return true; // no reader step: a sink reads it, and a sink's producer partitions by the key it writes
    }

    /** Saves a repartition topic: one produce, one fetch and one deserialization per row. */
    @Override
    public boolean applyIf(Step match, List<QueryPlan> plans) {
        return true;
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Step match) {
        Step rewritten = match instanceof RankStep r ? colocated(r, new PlanIndex(plans)) : ((RekeyStep) match).inTask();
        return TreeRewriter.rewriteAll(plans, s -> s.equals(match)
                ? Optional.of(Rewired.unchanged(rewritten)) : Optional.empty());
    }

    @Override
    public String describe(Step match) {
        if (match instanceof RankStep r) {
            List<String> parts = new ArrayList<>();
            if (!r.tableInTask()) {
                parts.add("builds its output table in the task unless a reader needs the rows partitioned by the whole"
                        + " key (partition " + r.partitionColumns() + ", position): each key is ranked in one task");
            }
            if (!r.rankedInTask() && inputInItsTasks(r)) {
                parts.add("ranks in its input's task: " + r.input().name() + " is partitioned by columns "
                        + PartitionColumns.of(r.input()).orElseThrow() + ", which the partition "
                        + r.partitionColumns() + " contains");
            }
            return r.name() + " " + String.join("; ", parts);
        }
        RekeyStep r = (RekeyStep) match;
        return r.name() + " in the task: " + r.input().name() + " is partitioned by columns "
                + PartitionColumns.of(r.input()).orElseThrow() + ", which the key " + r.keyExpressions()
                + " contains";
    }
}
