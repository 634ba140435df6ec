package dev.sluice.compiler;

import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinTiming;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;

/** What {@code sluice explain} prints about one step, between its name and its output columns. */
final class StepDetail implements StepVisitor<String> {
    static final StepDetail INSTANCE = new StepDetail();

    private StepDetail() {
    }

    @Override
    public String visitSource(SourceStep s) {
        return "topic " + s.format().topic() + (s.computedColumns().isEmpty() ? ""
                : " computed " + s.computedColumns());
    }

    @Override
    public String visitTableSource(TableSourceStep t) {
        return "table topic " + t.format().topic() + " key " + t.keySchema();
    }

    @Override
    public String visitFilter(FilterStep f) {
        return "where " + f.predicate();
    }

    @Override
    public String visitProject(ProjectStep p) {
        return "select " + p.expressions();
    }

    @Override
    public String visitRekey(RekeyStep r) {
        return "key " + r.keyExpressions() + (r.local() ? " (in the task: already partitioned by part of it, no topic)" : "")
                + (r.tombstoneKey().isEmpty() ? "" : " tombstone key " + r.tombstoneKey() + " (over the record key)");
    }

    @Override
    public String visitAggregate(AggregateStep a) {
        return a.kind().name().toLowerCase(java.util.Locale.ROOT) + (a.kind() == AggregateStep.Kind.TABLE
                ? " (retracting; an emptied group is deleted)" : "") + " group " + a.groupKeys() + a.window().map(w -> " window " + w
                + (w.processingTime() ? " (processing time: the rows depend on when each record is processed; each "
                + "window is emitted when the wall clock passes its end)" : "")).orElse("") + " calls "
                + a.calls().stream().map(c -> c.function() + (c.distinct() ? "(DISTINCT " : "(")
                + c.arguments() + ")").toList() + " emit " + a.emit()
                + (a.shape() == dev.sluice.runtime.plan.Step.Shape.TABLE
                        ? (a.unchangedUpdates() == AggregateStep.UnchangedUpdates.DROP
                                ? " (an unchanged row is not emitted again)" : " (every input row re-emits its group's row)")
                        : "");
    }

    @Override
    public String visitStreamTableJoin(StreamTableJoinStep j) {
        return j.type() + (j.globalKey().isEmpty() ? " on the table's key" : " global table on " + j.globalKey());
    }

    @Override
    public String visitStreamStreamJoin(StreamStreamJoinStep j) {
        if (j.retracting()) {
            return j.type() + " regular, retracting padded rows" + (j.beforeMs() > 0 ? ", state TTL " + j.beforeMs()
                    + " ms" : "");
        }
        if (j.joinsOnWithLeft()) {
            // JoinBuilder#regularThreeWay: unless another query reads the inner join too
            String inner = j.left().name();
            return j.type() + " regular, one three-way join with " + inner + ": rows kept in " + inner
                    + "-left-rows-store, " + inner + "-right-rows-store and " + j.name() + "-right-rows-store for good";
        }
        if (j.regular()) {
            return j.type() + " regular, rows kept in " + j.name() + "-left-rows-store and " + j.name()
                    + "-right-rows-store " + (j.stateTtlMs() > 0 ? "for the state TTL " + j.stateTtlMs()
                    + " ms (grace " + j.graceMs() + " ms)" : "for good");
        }
        return j.type() + " within -" + j.beforeMs() + "/+" + j.afterMs() + " ms grace " + j.graceMs() + " ms"
                + ", " + (j.type() == JoinType.INNER ? j.timing().explainInner() : j.timing().explain());
    }

    @Override
    public String visitTableTableJoin(TableTableJoinStep j) {
        return j.type() + (j.foreignKey().isEmpty() ? " on the key" : " foreign key " + j.foreignKey());
    }

    @Override
    public String visitUnion(UnionStep u) {
        return "all of " + u.inputs().size() + " inputs";
    }

    @Override
    public String visitLagLead(LagLeadStep l) {
        return "calls " + l.calls().stream().map(c -> (c.lead() ? "LEAD($" : "LAG($") + c.argument() + ", "
                + c.offset() + ", " + c.defaultValue() + ")").toList()
                + l.sortDelayMs().stream().mapToObj(d -> " sorted by event time, watermark delay " + d + " ms")
                .findFirst().orElse(" in arrival order");
    }

    @Override
    public String visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
        return o.calls().stream().map(c -> c.function() + "(" + c.arguments() + ")")
                .collect(java.util.stream.Collectors.joining(", ")) + " " + o.frame().sql()
                + ", sorted by event time, watermark delay " + o.sortDelayMs() + " ms";
    }

    @Override
    public String visitRank(RankStep r) {
        String function = r.function() != RankStep.Function.RUNNING ? r.function().toString()
                : "RUNNING " + r.running().stream().map(c -> c.function() + "(" + c.arguments() + ")")
                .collect(java.util.stream.Collectors.joining(", ")) + " " + r.frame().sql();
        return function + " partition " + r.partitionColumns() + " order " + r.orderBy()
                + (r.limit() == Long.MAX_VALUE ? "" : " limit " + r.limit())
                + (r.tableInTask() ? " (output table in the task: no topic before it)" : "")
                + (r.rankedInTask() ? " (ranked in its input's task: no topic before it)" : "");
    }

    @Override
    public String visitDeduplicate(DeduplicateStep d) {
        return (d.keepLast() ? "keep last" : "keep first") + d.orderColumn().stream().mapToObj(c -> " by $" + c)
                .findFirst().orElse(" by arrival") + (d.retentionMs() > 0 ? " retention " + d.retentionMs() + " ms" : "");
    }

    @Override
    public String visitExplode(ExplodeStep e) {
        return "table functions " + e.calls() + " (one row per element, zipped; none for an empty or NULL array)";
    }

    @Override
    public String visitSuppress(SuppressStep s) {
        return "at most one update per key per " + s.intervalMs() + " ms";
    }
}
