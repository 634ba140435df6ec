package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.FilterStep;
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

/**
 * What the optimizer's rules need to know about a step type.
 *
 * @param stateful  holds a state store or a repartition topic: what sharing saves
 * @param anchor    a sub-plan root worth sharing on its own (stateful, and not a bare re-key,
 *                  which is shared with the stateful step above it)
 * @param time      how the step treats stream time, which decides whether a rewrite below it may
 *                  change which records reach its task
 */
record StepTraits(boolean stateful, boolean anchor, Time time) {

    enum Time {
        /** Drops or emits records by stream time (windows, interval joins, watermark sorting, rate limits). */
        SENSITIVE,
        /** Ignores stream time. */
        INSENSITIVE,
        /** Ignores stream time itself but runs in its input's task: ask the steps that read it. */
        SAME_AS_PARENTS,
        /** Starts a new task (repartitions): what is below cannot affect stream time above. */
        NEW_TASK
    }

    static final Visitor INSTANCE = new Visitor();

    private static final StepTraits STATELESS = new StepTraits(false, false, Time.SAME_AS_PARENTS);

    static final class Visitor implements StepVisitor<StepTraits> {
        @Override
        public StepTraits visitSource(SourceStep s) {
            return new StepTraits(false, false, Time.INSENSITIVE);
        }

        @Override
        public StepTraits visitTableSource(TableSourceStep t) {
            return new StepTraits(false, false, Time.INSENSITIVE);
        }

        @Override
        public StepTraits visitFilter(FilterStep f) {
            return STATELESS;
        }

        @Override
        public StepTraits visitProject(ProjectStep p) {
            return STATELESS;
        }

        @Override
        public StepTraits visitUnion(UnionStep u) {
            return STATELESS;
        }

        @Override
        public StepTraits visitRekey(RekeyStep r) {
            // a re-key in the task writes no topic: it runs where its input runs
            return r.local() ? STATELESS : new StepTraits(true, false, Time.NEW_TASK);
        }

        @Override
        public StepTraits visitAggregate(AggregateStep a) {
            return new StepTraits(true, true, a.window().isPresent() ? Time.SENSITIVE : Time.INSENSITIVE);
        }

        @Override
        public StepTraits visitStreamTableJoin(StreamTableJoinStep j) {
            return new StepTraits(true, true, Time.INSENSITIVE);
        }

        @Override
        public StepTraits visitStreamStreamJoin(StreamStreamJoinStep j) {
            return new StepTraits(true, true, Time.SENSITIVE);
        }

        @Override
        public StepTraits visitTableTableJoin(TableTableJoinStep j) {
            return new StepTraits(true, true, Time.INSENSITIVE);
        }

        /** Sorting by event time holds rows until the watermark (stream time) passes them. */
        @Override
        public StepTraits visitLagLead(LagLeadStep l) {
            return new StepTraits(true, true, l.sortDelayMs().isPresent() ? Time.SENSITIVE : Time.INSENSITIVE);
        }

        /** Sorts its input by event time under the watermark. */
        @Override
        public StepTraits visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
            return new StepTraits(true, true, Time.SENSITIVE);
        }

        /** Re-keys its input through its own repartition topic. */
        @Override
        public StepTraits visitRank(RankStep r) {
            return new StepTraits(true, true, Time.NEW_TASK);
        }

        /** Forgets keys once stream time passes their retention. */
        @Override
        public StepTraits visitDeduplicate(DeduplicateStep d) {
            return new StepTraits(true, true, d.retentionMs() > 0 ? Time.SENSITIVE : Time.INSENSITIVE);
        }

        /** Emits when stream time passes the interval. */
        @Override
        public StepTraits visitExplode(ExplodeStep e) {
            return STATELESS;
        }

        @Override
        public StepTraits visitSuppress(SuppressStep s) {
            return new StepTraits(true, true, Time.SENSITIVE);
        }
    }
}
