package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamTableJoinStep;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Predicate pushdown: a filter moves below a re-key (so dropped rows never cross the repartition
 * topic), below a stream-table join into its stream side (so fewer rows are repartitioned and
 * looked up), and below a projection that only selects columns, on its way to one of those.
 *
 * <p>Only the stream side receives filters: filtering a table would turn updates into deletes.
 * A filter leaves a step other steps also read alone, since moving it would change what they see.
 *
 * <p>Time-based operators are left alone. A stream-stream join (and a windowed aggregation) drops
 * late records by the stream time it has observed, which every record reaching it advances:
 * filtering its inputs earlier holds that time back and lets through records the unoptimized
 * plan drops as late (seen in p5_latency_then_low_rating). So no filter enters a stream-stream
 * join, nor moves below a re-key whose task feeds a windowed operator.
 */
final class PushdownRule implements OptimizationRule<PushdownRule.Push> {

    /** {@code filter} becomes {@code replacement}, which computes the same rows. */
    record Push(FilterStep filter, Step replacement, String where) {
    }

    @Override
    public String name() {
        return "pushdown";
    }

    @Override
    public List<Push> match(List<QueryPlan> plans) {
        PlanIndex index = new PlanIndex(plans);
        List<Push> out = new ArrayList<>();
        for (Step s : index.steps()) {
            if (s instanceof FilterStep f && index.parents(f.input()) == 1) {
                push(f, index).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Push> push(FilterStep f, PlanIndex index) {
        Step in = f.input();
        if (in instanceof RekeyStep r && r.input().shape() == Step.Shape.STREAM && index.feedsOnlyTimeInsensitive(f)) {
            Step moved = r.withKey(new FilterStep(f.name(), r.input(), f.predicate()), r.keyExpressions());
            return Optional.of(new Push(f, moved, "below re-key " + r.name()));
        }
        if (in instanceof ProjectStep p && (p.input() instanceof RekeyStep || isJoin(p.input()))) {
            return throughProjection(f, p);
        }
        if (in instanceof StreamTableJoinStep j && j.type() != JoinType.FULL) {
            return intoJoin(f, j, j.left(), j.right(), false);
        }
        return Optional.empty();
    }

    private static boolean isJoin(Step s) {
        return s instanceof StreamTableJoinStep;
    }

    /** Through {@code SELECT a, b}: the predicate reads the selected input columns directly. */
    private static Optional<Push> throughProjection(FilterStep f, ProjectStep p) {
        BitSet refs = Exprs.refs(f.predicate());
        int[] map = new int[p.expressions().size()];
        for (int i = 0; i < map.length; i++) {
            Expr e = p.expressions().get(i);
            map[i] = e instanceof Expr.InputRef ref ? ref.index() : -1;
        }
        for (int c = refs.nextSetBit(0); c >= 0; c = refs.nextSetBit(c + 1)) {
            if (map[c] < 0) {
                return Optional.empty(); // it reads a computed column: leave it above
            }
        }
        Step moved = new ProjectStep(p.name(), new FilterStep(f.name(), p.input(), Exprs.remap(f.predicate(), map)),
                p.expressions(), p.schema());
        return Optional.of(new Push(f, moved, "below projection " + p.name()));
    }

    private static Optional<Push> intoJoin(FilterStep f, Step join, Step left, Step right, boolean rightToo) {
        int leftWidth = left.schema().size();
        List<Expr> toLeft = new ArrayList<>();
        List<Expr> toRight = new ArrayList<>();
        List<Expr> stay = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(f.predicate())) {
            BitSet refs = Exprs.refs(c);
            boolean leftOnly = refs.isEmpty() || refs.length() <= leftWidth;
            boolean rightOnly = !refs.isEmpty() && refs.nextSetBit(0) >= leftWidth;
            if (leftOnly && left.shape() == Step.Shape.STREAM) {
                toLeft.add(c);
            } else if (rightOnly && rightToo && right.shape() == Step.Shape.STREAM) {
                toRight.add(Exprs.shift(c, -leftWidth));
            } else {
                stay.add(c);
            }
        }
        if (toLeft.isEmpty() && toRight.isEmpty()) {
            return Optional.empty();
        }
        boolean split = (toLeft.isEmpty() ? 0 : 1) + (toRight.isEmpty() ? 0 : 1) + (stay.isEmpty() ? 0 : 1) > 1;
        Step newLeft = Exprs.and(toLeft).map(p -> (Step) new FilterStep(split ? f.name() + "-left" : f.name(), left, p))
                .orElse(left);
        Step newRight = Exprs.and(toRight)
                .map(p -> (Step) new FilterStep(split ? f.name() + "-right" : f.name(), right, p)).orElse(right);
        Step joined = StepCopy.withInputs(join, List.of(newLeft, newRight));
        Step replacement = Exprs.and(stay).map(p -> (Step) new FilterStep(f.name(), joined, p)).orElse(joined);
        return Optional.of(new Push(f, replacement, "into " + (toRight.isEmpty() ? "the left side" : toLeft.isEmpty()
                ? "the right side" : "both sides") + " of join " + join.name()));
    }

    /** Always worth it: the filter runs on no more rows than before, and earlier. */
    @Override
    public boolean applyIf(Push match, List<QueryPlan> plans) {
        return true;
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Push match) {
        return TreeRewriter.rewriteAll(plans, s -> s.equals(match.filter())
                ? Optional.of(Rewired.unchanged(match.replacement())) : Optional.empty());
    }

    @Override
    public String describe(Push match) {
        return match.filter().name() + " " + match.where();
    }
}
