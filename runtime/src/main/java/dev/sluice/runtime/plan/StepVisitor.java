package dev.sluice.runtime.plan;

/**
 * One method per step type (ksqlDB's {@code PlanBuilder} is the model). Every pass over a plan that
 * depends on the step's type implements it, so a new step type fails to compile until the topology
 * builder, explain, the optimizer and {@code sluice diff} say what it means for them.
 */
public interface StepVisitor<R> {
    R visitSource(SourceStep step);

    R visitTableSource(TableSourceStep step);

    R visitFilter(FilterStep step);

    R visitProject(ProjectStep step);

    R visitRekey(RekeyStep step);

    R visitAggregate(AggregateStep step);

    R visitStreamTableJoin(StreamTableJoinStep step);

    R visitStreamStreamJoin(StreamStreamJoinStep step);

    R visitTableTableJoin(TableTableJoinStep step);

    R visitUnion(UnionStep step);

    R visitLagLead(LagLeadStep step);

    R visitRank(RankStep step);

    R visitDeduplicate(DeduplicateStep step);

    R visitSuppress(SuppressStep step);

    R visitExplode(ExplodeStep step);

    R visitOverAggregate(OverAggregateStep step);
}
