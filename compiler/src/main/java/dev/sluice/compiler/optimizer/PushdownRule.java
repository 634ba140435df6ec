package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
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
 * <p>A regular stream-stream join without a state TTL (Flink's {@code a JOIN b ON a.k = b.k}) takes
 * filters too: an INNER join on both sides, a LEFT join on its left (preserved) side only, a FULL
 * join none. Such a join keeps rows for good and reads no stream time, so a row the filter drops
 * only ever produced joined rows the filter dropped above.
 *
 * <p>Time-based operators are left alone. An interval join, a regular join with a TTL (and a
 * windowed aggregation) drop late records by the stream time they have observed, which every record
 * reaching them advances: filtering their inputs earlier holds that time back and lets through
 * records the unoptimized plan drops as late (seen in p5_latency_then_low_rating). So no filter
 * enters them, nor moves below a re-key whose task feeds a windowed operator.
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
        if (in instanceof RekeyStep r && r.input().shape() == Step.Shape.STREAM && feedsOnlyTimeInsensitive(f, index)) {
            Step moved = r.withKey(new FilterStep(f.name(), r.input(), f.predicate()), r.keyExpressions());
            return Optional.of(new Push(f, moved, "below re-key " + r.name()));
        }
        if (in instanceof ProjectStep p && (p.input() instanceof RekeyStep || isJoin(p.input()))) {
            return throughProjection(f, p);
        }
        if (in instanceof StreamTableJoinStep j && j.type() != JoinType.FULL) {
            return intoJoin(f, j, j.left(), j.right(), true, false);
        }
        if (in instanceof StreamStreamJoinStep j && untimed(j) && j.type() != JoinType.FULL) {
            // LEFT: a conjunct on the right side must stay above, where it drops NULL-padded rows
            return intoJoin(f, j, j.left(), j.right(), true, j.type() == JoinType.INNER);
        }
        return Optional.empty();
    }

    private static boolean isJoin(Step s) {
        return s instanceof StreamTableJoinStep || s instanceof StreamStreamJoinStep j && untimed(j);
    }

    /**
     * A regular join without a state TTL: it keeps every row for good and reads no stream time
     * (no late guard, no expiry), so the rows that reach it do not change what it does with the
     * others. Interval joins and regular joins with a TTL drop late records by the stream time
     * every record advances (see the class comment), so no filter enters them.
     */
    static boolean untimed(StreamStreamJoinStep j) {
        return j.regular() && j.stateTtlMs() == 0;
    }

    /**
     * Like {@link PlanIndex#feedsOnlyTimeInsensitive}, but an untimed regular join reads no stream
     * time itself, so only what lies above it matters (it runs in the re-key's task).
     */
    private static boolean feedsOnlyTimeInsensitive(Step step, PlanIndex index) {
        for (Step p : index.parentSteps(step)) {
            boolean insensitive = p instanceof StreamStreamJoinStep j && untimed(j)
                    ? feedsOnlyTimeInsensitive(p, index)
                    : switch (p.accept(StepTraits.INSTANCE).time()) {
                        case SENSITIVE -> false;
                        case INSENSITIVE, NEW_TASK -> true;
                        case SAME_AS_PARENTS -> feedsOnlyTimeInsensitive(p, index);
                    };
            if (!insensitive) {
                return false;
            }
        }
        return true;
    }

    /** {@code RAND() < 0.5} drops other rows per input row than per joined row: it stays above. */
    static boolean deterministic(Expr e) {
        return FUNCTIONS.deterministic(e);
    }

    private static final DefaultFunctionCatalog FUNCTIONS = DefaultFunctionCatalog.wallClock();

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

    /**
     * Splits the filter's conjuncts: one reading only the left columns goes to the left input when
     * {@code leftOk}, one reading only the right columns to the right input when {@code rightOk}
     * (each only into a stream: filtering a table would turn its updates into deletes), the rest
     * (and every non-deterministic conjunct) stays above the join.
     */
    private static Optional<Push> intoJoin(FilterStep f, Step join, Step left, Step right, boolean leftOk,
                                           boolean rightToo) {
        // A regular join keeps rows for good: an application resumed from state an older version
        // left (rows stored, and records already repartitioned, before the filter moved) would join
        // rows the filter now drops earlier. So the whole WHERE also stays above, as a recheck that
        // only ever sees rows passing it, and resuming stays safe (docs/optimizer.md).
        boolean recheck = join instanceof StreamStreamJoinStep;
        int leftWidth = left.schema().size();
        List<Expr> toLeft = new ArrayList<>();
        List<Expr> toRight = new ArrayList<>();
        List<Expr> stay = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(f.predicate())) {
            BitSet refs = Exprs.refs(c);
            boolean leftOnly = refs.isEmpty() || refs.length() <= leftWidth;
            boolean rightOnly = !refs.isEmpty() && refs.nextSetBit(0) >= leftWidth;
            if (!deterministic(c)) {
                stay.add(c);
            } else if (recheck && (leftOnly && filtered(left, c) || rightOnly && filtered(right, Exprs.shift(c, -leftWidth)))) {
                stay.add(c); // pushed already; kept above as the recheck
            } else if (leftOnly && leftOk && left.shape() == Step.Shape.STREAM) {
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
        boolean split = recheck || (toLeft.isEmpty() ? 0 : 1) + (toRight.isEmpty() ? 0 : 1) + (stay.isEmpty() ? 0 : 1) > 1;
        Step newLeft = Exprs.and(toLeft).map(p -> (Step) new FilterStep(split ? f.name() + "-left" : f.name(), left, p))
                .orElse(left);
        Step newRight = Exprs.and(toRight)
                .map(p -> (Step) new FilterStep(split ? f.name() + "-right" : f.name(), right, p)).orElse(right);
        Step joined = StepCopy.withInputs(join, List.of(newLeft, newRight));
        Step replacement = recheck ? new FilterStep(f.name(), joined, f.predicate())
                : Exprs.and(stay).map(p -> (Step) new FilterStep(f.name(), joined, p)).orElse(joined);
        return Optional.of(new Push(f, replacement, "into " + (toRight.isEmpty() ? "the left side" : toLeft.isEmpty()
                ? "the right side" : "both sides") + " of join " + join.name()));
    }

    /**
     * Whether {@code input} (below its re-key) is already filtered by {@code conjunct}: the recheck
     * left above a join must not be pushed again.
     */
    private static boolean filtered(Step input, Expr conjunct) {
        Step s = input instanceof RekeyStep r ? r.input() : input;
        while (s instanceof FilterStep f) {
            if (Exprs.conjuncts(f.predicate()).contains(conjunct)) {
                return true;
            }
            s = f.input();
        }
        return false;
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
