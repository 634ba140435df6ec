package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Projection pruning before repartitions: where a re-key would send columns that nothing above
 * it reads through its repartition topic, a projection {@code <rekey>-prune} keeps only the
 * columns read (and the key's). Which columns are read is worked out top-down through filters,
 * projections, aggregations and the stream sides of joins, whose outputs narrow accordingly.
 *
 * <p>Aggregations already repartition only what they read (the planner's {@code prepare} step);
 * this rule pays off on joins, whose sides are re-keyed whole. Steps read by more than one parent
 * keep all their columns.
 */
final class PruneRule implements OptimizationRule<PruneRule.Pruning> {

    /** Query {@code index} with {@code root} pruned; {@code dropped}: "rekey: n columns" notes. */
    record Pruning(int index, String queryId, Step root, List<String> dropped) {
    }

    @Override
    public String name() {
        return "prune";
    }

    @Override
    public List<Pruning> match(List<QueryPlan> plans) {
        PlanIndex index = new PlanIndex(plans);
        List<Pruning> out = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            QueryPlan plan = plans.get(i);
            Pruner pruner = new Pruner(index);
            Rewired r = pruner.prune(plan.root(), all(plan.root()));
            if (!pruner.dropped.isEmpty()) {
                out.add(new Pruning(i, plan.id(), r.step(), pruner.dropped));
            }
        }
        return out;
    }

    /** Worth it when at least one column no longer crosses a repartition topic. */
    @Override
    public boolean applyIf(Pruning match, List<QueryPlan> plans) {
        return !match.dropped().isEmpty();
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Pruning match) {
        List<QueryPlan> out = new ArrayList<>(plans);
        QueryPlan old = plans.get(match.index());
        out.set(match.index(), old.withRoot(match.root()));
        return out;
    }

    @Override
    public String describe(Pruning match) {
        return match.queryId() + ": " + String.join(", ", match.dropped());
    }

    private static BitSet all(Step step) {
        BitSet b = new BitSet();
        b.set(0, step.schema().size());
        return b;
    }

    private static final class Pruner {
        private final PlanIndex index;
        private final Map<Step, Rewired> shared = new HashMap<>();
        final List<String> dropped = new ArrayList<>();

        Pruner(PlanIndex index) {
            this.index = index;
        }

        /** The step narrowed to (at least) the {@code required} columns, and where its columns went. */
        Rewired prune(Step step, BitSet required) {
            if (index.parents(step) > 1) {
                Rewired done = shared.get(step);
                if (done == null) {
                    done = pruneOwn(step, all(step));
                    shared.put(step, done);
                }
                return done;
            }
            return pruneOwn(step, required);
        }

        private Rewired pruneOwn(Step step, BitSet required) {
            return step.accept(new Narrow(required));
        }

        /** One step narrowed to the columns its readers require, its inputs to what it reads. */
        private final class Narrow implements StepVisitor<Rewired> {
            private final BitSet required;

            Narrow(BitSet required) {
                this.required = required;
            }

            @Override
            public Rewired visitSource(SourceStep s) {
                return Rewired.unchanged(s);
            }

            @Override
            public Rewired visitTableSource(TableSourceStep t) {
                return Rewired.unchanged(t);
            }

            @Override
            public Rewired visitFilter(FilterStep f) {
                BitSet need = (BitSet) required.clone();
                Exprs.refs(f.predicate(), need);
                Rewired in = prune(f.input(), need);
                return new Rewired(new FilterStep(f.name(), in.step(), Exprs.remap(f.predicate(), in.map())), in.map());
            }

            @Override
            public Rewired visitProject(ProjectStep p) {
                BitSet need = new BitSet();
                p.expressions().forEach(e -> Exprs.refs(e, need));
                Rewired in = prune(p.input(), need);
                return Rewired.unchanged(new ProjectStep(p.name(), in.step(), Exprs.remap(p.expressions(), in.map()),
                        p.schema()));
            }

            @Override
            public Rewired visitRekey(RekeyStep r) {
                return rekey(r, required);
            }

            @Override
            public Rewired visitAggregate(AggregateStep a) {
                BitSet need = new BitSet();
                a.groupKeys().forEach(e -> Exprs.refs(e, need));
                a.calls().forEach(c -> Exprs.refs(c, need));
                a.rowtimeColumn().ifPresent(need::set);
                Rewired in = prune(a.input(), need);
                return TreeRewriter.rewire(a, List.of(a.input()), List.of(in));
            }

            @Override
            public Rewired visitStreamTableJoin(StreamTableJoinStep j) {
                BitSet left = slice(required, 0, j.left().schema().size());
                j.globalKey().forEach(e -> Exprs.refs(e, left));
                Rewired l = prune(j.left(), left);
                Rewired r = prune(j.right(), all(j.right()));
                Joined joined = joined(j.schema(), j.left().schema().size(), l, r);
                return new Rewired(new StreamTableJoinStep(j.name(), l.step(), r.step(), j.type(),
                        Exprs.remap(j.globalKey(), l.map()), joined.schema()), joined.map());
            }

            @Override
            public Rewired visitStreamStreamJoin(StreamStreamJoinStep j) {
                int leftWidth = j.left().schema().size();
                BitSet need = (BitSet) required.clone();
                if (j.leftRowtime() >= 0) {
                    need.set(j.leftRowtime());
                }
                if (j.rightRowtime() >= 0) {
                    need.set(j.rightRowtime());
                }
                Rewired l = prune(j.left(), slice(need, 0, leftWidth));
                Rewired r = prune(j.right(), slice(need, leftWidth, j.schema().size()));
                Joined joined = joined(j.schema(), leftWidth, l, r);
                int[] m = joined.map();
                return new Rewired(new StreamStreamJoinStep(j.name(), l.step(), r.step(), j.type(), j.beforeMs(),
                        j.afterMs(), j.graceMs(), j.leftRowtime() < 0 ? -1 : m[j.leftRowtime()],
                        j.rightRowtime() < 0 ? -1 : m[j.rightRowtime()], joined.schema(), j.regular(),
                        j.timing()), m);
            }

            // The steps below keep every column of their inputs: they read whole rows, or columns by position.

            @Override
            public Rewired visitTableTableJoin(TableTableJoinStep j) {
                return keepAll(j);
            }

            @Override
            public Rewired visitUnion(UnionStep u) {
                return keepAll(u);
            }

            @Override
            public Rewired visitLagLead(LagLeadStep l) {
                return keepAll(l);
            }

            @Override
            public Rewired visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
                return keepAll(o);
            }

            @Override
            public Rewired visitRank(RankStep r) {
                return keepAll(r);
            }

            @Override
            public Rewired visitDeduplicate(DeduplicateStep d) {
                return keepAll(d);
            }

            @Override
            public Rewired visitExplode(ExplodeStep e) {
                return keepAll(e);
            }

            @Override
            public Rewired visitSuppress(SuppressStep s) {
                return keepAll(s);
            }

            private Rewired keepAll(Step step) {
                List<Step> inputs = step.inputs();
                List<Rewired> rewired = new ArrayList<>();
                for (Step in : inputs) {
                    rewired.add(prune(in, all(in)));
                }
                return TreeRewriter.rewire(step, inputs, rewired);
            }
        }

        private Rewired rekey(RekeyStep r, BitSet required) {
            BitSet need = (BitSet) required.clone();
            r.keyExpressions().forEach(e -> Exprs.refs(e, need));
            Rewired in = prune(r.input(), need);
            if (in.step().schema().size() <= need.cardinality()) {
                return new Rewired(r.withKey(in.step(), Exprs.remap(r.keyExpressions(), in.map())), in.map());
            }
            List<Expr> kept = new ArrayList<>();
            List<Column> columns = new ArrayList<>();
            int[] map = new int[r.schema().size()];
            java.util.Arrays.fill(map, -1);
            for (int c = need.nextSetBit(0); c >= 0; c = need.nextSetBit(c + 1)) {
                map[c] = kept.size();
                kept.add(new Expr.InputRef(in.map()[c], r.schema().type(c)));
                columns.add(r.schema().column(c));
            }
            dropped.add(r.name() + " drops " + (in.step().schema().size() - kept.size()) + " of "
                    + in.step().schema().size() + " columns");
            Step prune = new ProjectStep(r.name() + "-prune", in.step(), kept, new Schema(columns));
            return new Rewired(r.withKey(prune, Exprs.remap(r.keyExpressions(), map)), map);
        }

        private static BitSet slice(BitSet bits, int from, int to) {
            BitSet out = new BitSet();
            for (int c = bits.nextSetBit(from); c >= 0 && c < to; c = bits.nextSetBit(c + 1)) {
                out.set(c - from);
            }
            return out;
        }

        record Joined(Schema schema, int[] map) {
        }

        /** A join's output narrowed to its narrowed sides: left columns then right columns. */
        private static Joined joined(Schema old, int leftWidth, Rewired left, Rewired right) {
            int newLeft = left.step().schema().size();
            Column[] columns = new Column[newLeft + right.step().schema().size()];
            int[] map = new int[old.size()];
            for (int i = 0; i < old.size(); i++) {
                int to = i < leftWidth ? left.map()[i] : right.map()[i - leftWidth] < 0 ? -1
                        : newLeft + right.map()[i - leftWidth];
                map[i] = to;
                if (to >= 0) {
                    columns[to] = old.column(i);
                }
            }
            for (int i = 0; i < columns.length; i++) {
                if (columns[i] == null) {
                    throw new IllegalStateException("join column " + i + " has no origin");
                }
            }
            return new Joined(new Schema(List.of(columns)), map);
        }
    }
}
