package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
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
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites plan trees bottom-up. A {@code replacer} may swap any step for another whose columns
 * are a re-arrangement (or superset) of the old ones; the steps above are then re-wired: their
 * column references are remapped, so each still reads exactly the columns it read before.
 *
 * <p>Results are memoized by structural equality, so a step that occurs twice (a CTE read twice,
 * a node shared by two queries) is rewritten once and stays one step.
 */
final class TreeRewriter {
    private final Function<Step, Optional<Rewired>> replacer;
    private final Map<Step, Rewired> memo = new HashMap<>();

    TreeRewriter(Function<Step, Optional<Rewired>> replacer) {
        this.replacer = replacer;
    }

    /** Rewrites every plan with one shared memo, keeping each query's output schema. */
    static List<QueryPlan> rewriteAll(List<QueryPlan> plans, Function<Step, Optional<Rewired>> replacer) {
        TreeRewriter rewriter = new TreeRewriter(replacer);
        List<QueryPlan> out = new ArrayList<>();
        for (QueryPlan plan : plans) {
            out.add(plan.withRoot(rewriter.rewriteRoot(plan.root(), plan.id())));
        }
        return out;
    }

    Step rewriteRoot(Step root, String queryId) {
        Rewired r = rewrite(root);
        if (r.isIdentity() && r.step().schema().equals(root.schema())) {
            return r.step();
        }
        // The sink's columns are the query's contract: restore them exactly.
        return restore(queryId + "-columns", r, root.schema());
    }

    Rewired rewrite(Step step) {
        Rewired done = memo.get(step);
        if (done != null) {
            return done;
        }
        Optional<Rewired> replaced = replacer.apply(step);
        Rewired result;
        if (replaced.isPresent()) {
            result = replaced.get();
        } else {
            List<Step> inputs = step.inputs();
            List<Rewired> rewired = new ArrayList<>();
            for (Step in : inputs) {
                rewired.add(rewrite(in));
            }
            result = rewire(step, inputs, rewired);
        }
        memo.put(step, result);
        return result;
    }

    /** {@code step} over new inputs: its own columns keep their meaning. */
    static Rewired rewire(Step step, List<Step> oldInputs, List<Rewired> inputs) {
        boolean unchanged = true;
        for (int i = 0; i < inputs.size(); i++) {
            unchanged &= inputs.get(i).step() == oldInputs.get(i) && inputs.get(i).isIdentity();
        }
        if (unchanged) {
            return Rewired.unchanged(step);
        }
        return step.accept(new Rewire(oldInputs, inputs));
    }

    /**
     * Steps whose expressions read their input's columns are remapped onto the new input's columns;
     * steps that read whole rows positionally (joins, unions, and steps whose column indices are
     * parameters) get their old input columns back through a projection.
     */
    private static final class Rewire implements StepVisitor<Rewired> {
        private final List<Step> oldInputs;
        private final List<Rewired> inputs;

        Rewire(List<Step> oldInputs, List<Rewired> inputs) {
            this.oldInputs = oldInputs;
            this.inputs = inputs;
        }

        private Rewired in() {
            return inputs.get(0);
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
            int[] m = in().map();
            return new Rewired(new FilterStep(f.name(), in().step(), Exprs.remap(f.predicate(), m)), m);
        }

        @Override
        public Rewired visitProject(ProjectStep p) {
            return Rewired.unchanged(new ProjectStep(p.name(), in().step(), Exprs.remap(p.expressions(), in().map()),
                    p.schema()));
        }

        @Override
        public Rewired visitRekey(RekeyStep r) {
            int[] m = in().map();
            return new Rewired(r.withKey(in().step(), Exprs.remap(r.keyExpressions(), m)), m);
        }

        @Override
        public Rewired visitAggregate(AggregateStep a) {
            int[] m = in().map();
            List<AggregateCall> calls = a.calls().stream().map(c -> Exprs.remap(c, m)).toList();
            return Rewired.unchanged(new AggregateStep(a.name(), in().step(), Exprs.remap(a.groupKeys(), m),
                    a.window(), calls, Exprs.remap(a.rowtimeColumn(), m), a.keySchema(), a.schema(), a.emit(),
                    a.unchangedUpdates()));
        }

        @Override
        public Rewired visitStreamTableJoin(StreamTableJoinStep j) {
            return restoreInputs(j);
        }

        @Override
        public Rewired visitStreamStreamJoin(StreamStreamJoinStep j) {
            return restoreInputs(j);
        }

        @Override
        public Rewired visitTableTableJoin(TableTableJoinStep j) {
            return restoreInputs(j);
        }

        @Override
        public Rewired visitUnion(UnionStep u) {
            return restoreInputs(u);
        }

        @Override
        public Rewired visitLagLead(LagLeadStep l) {
            return restoreInputs(l);
        }

        @Override
        public Rewired visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
            return restoreInputs(o);
        }

        @Override
        public Rewired visitRank(RankStep r) {
            return restoreInputs(r);
        }

        @Override
        public Rewired visitDeduplicate(DeduplicateStep d) {
            return restoreInputs(d);
        }

        @Override
        public Rewired visitExplode(ExplodeStep e) {
            return restoreInputs(e);
        }

        @Override
        public Rewired visitSuppress(SuppressStep s) {
            return restoreInputs(s);
        }

        private Rewired restoreInputs(Step step) {
            List<Step> restored = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                Rewired in = inputs.get(i);
                Schema old = oldInputs.get(i).schema();
                restored.add(in.isIdentity() && in.step().schema().size() == old.size() ? in.step()
                        : restore(step.name() + "-in" + i, in, old));
            }
            return Rewired.unchanged(step.withInputs(restored));
        }
    }

    /** A projection giving back {@code schema}, the old columns, from a re-arranged step. */
    static Step restore(String name, Rewired from, Schema schema) {
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            exprs.add(Exprs.remap(new Expr.InputRef(i, schema.type(i)), from.map()));
        }
        return new ProjectStep(name, from.step(), exprs, schema);
    }
}
