package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One task per sub-topology: when every source topic of the application has exactly one partition
 * (the compiler is told so: {@code sluice run} describes the topics, {@code --source-partitions 1}
 * elsewhere), every re-key changes the key in the task instead of writing the rows through a
 * repartition topic. This is the plan Flink makes at parallelism 1, where every operator is chained
 * and nothing is shuffled.
 *
 * <p>Why it is exact. Kafka Streams makes as many tasks of a sub-topology as its input topics have
 * partitions; a repartition topic gets as many partitions as the source topics, so with one source
 * partition every sub-topology has one task, and every record of every key meets every other in it
 * whatever the key. The {@code colocate} rule's narrowness (a join or a windowed reader needs the
 * rows hash-partitioned by its key) comes from several tasks and does not apply: "partitioned by the
 * key" holds for every key. Two things change, both towards Flink's behaviour: records are processed
 * in source order, not in the order the stream thread interleaves its repartition topics by
 * timestamp; and a windowed operator's task now sees every source record, as Flink's source
 * watermark does, where a repartition topic's task saw only the rows re-keyed into it.
 *
 * <p>Re-keys ({@link RekeyStep#inTask}: GROUP BYs, join sides, deduplications, PARTITION BY,
 * OVER/LAG partitions) and rankings over a stream ({@link RankStep#withRankedInTask}, and the output
 * table of every ranking, {@link RankStep#withTableInTask}) move into the task. What keeps its topic:
 * a ranking over a table (its input's deletions are re-keyed through the topic, see RankStep), a
 * table GROUP BY's {@code -groupby}, a windowed aggregate's {@code -to-table} and a source table's
 * {@code -table} topics (built by their builders, not by a re-key step), and Kafka Streams' own
 * foreign-key join topics.
 */
final class OneTaskRule implements OptimizationRule<Step> {
    private final boolean singlePartitionSources;

    /** {@code singlePartitionSources}: every source topic has exactly one partition (else the rule never fires). */
    OneTaskRule(boolean singlePartitionSources) {
        this.singlePartitionSources = singlePartitionSources;
    }

    @Override
    public String name() {
        return "onetask";
    }

    @Override
    public List<Step> match(List<QueryPlan> plans) {
        List<Step> out = new ArrayList<>();
        if (!singlePartitionSources) {
            return out;
        }
        for (Step s : new PlanIndex(plans).steps()) {
            if (s instanceof RekeyStep rekey && !rekey.local() || s instanceof RankStep rank && !inTask(rank).equals(rank)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The ranking with its input and its table in the task, where the runtime can do that. */
    private static RankStep inTask(RankStep r) {
        RankStep out = r.tableInTask() ? r : r.withTableInTask();
        // a table input's deletions are re-keyed through the topic (RankStep's constructor refuses it)
        return out.rankedInTask() || r.input().shape() != Step.Shape.STREAM ? out : out.withRankedInTask();
    }

    /** Saves a repartition topic: a produce, a broker append, a fetch and a deserialization per row. */
    @Override
    public boolean applyIf(Step match, List<QueryPlan> plans) {
        return true;
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Step match) {
        Step rewritten = match instanceof RankStep r ? inTask(r) : ((RekeyStep) match).inTask();
        return TreeRewriter.rewriteAll(plans, s -> s.equals(match)
                ? Optional.of(Rewired.unchanged(rewritten)) : Optional.empty());
    }

    @Override
    public String describe(Step match) {
        String why = ": every source topic has one partition, so every sub-topology has one task";
        if (match instanceof RankStep r) {
            RankStep after = inTask(r);
            List<String> parts = new ArrayList<>();
            if (after.rankedInTask() && !r.rankedInTask()) {
                parts.add("ranks in its input's task");
            }
            if (after.tableInTask() && !r.tableInTask()) {
                parts.add("builds its output table in the task");
            }
            return r.name() + " " + String.join(" and ", parts) + why;
        }
        return match.name() + " in the task" + why;
    }
}
