package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.EmitMode;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rows that can never reach their group's top are not joined (Nexmark q5, "hot items"): a regular
 * inner join of a windowed EMIT FINAL aggregate {@code A} (left) with the MAX of one of A's columns
 * grouped by A's window, {@code B} (right), kept where {@code left.v >= right.top} (or {@code =}).
 * Only a row whose {@code v} is at least every earlier {@code v} of its group can pass that
 * condition: B's MAX over the group is at least any of them. The rule puts
 * {@code SLUICE_RUNNING_TOP(v, group columns)} (a filter that remembers each group's largest value
 * let through) on A's rows where the join's left side reads them, so the others do not cross the
 * join's repartition topic or enter its row store. q5 at 1M events: 1 028 of 303 889 rows pass.
 *
 * <p>What the join emits stays the same, row for row and in order: the dropped rows match nothing,
 * and every row of A's window carries the window's timestamp, so no stream time moves. Required,
 * each for a reason: the join is INNER and regular without a TTL (stream time then only orders, it
 * never expires a row); the condition is a conjunct of the filter that alone reads the join; the
 * left side reaches A through filters, projections of columns and re-keys read by nothing else (a
 * step read elsewhere would lose rows there too); the right side reaches B through such steps, and
 * B's input reaches the same A through projections and re-keys only (a filter there could lower
 * the MAX below a row that was let through); the join's key columns are, on both sides, exactly
 * B's group columns traced to the same columns of A, among them A's window start or end (so a
 * group is one window of A, whose rows share one timestamp). See docs/optimizer.md.
 */
final class RunningTopRule implements OptimizationRule<RunningTopRule.Match> {
    static final String FUNCTION = "SLUICE_RUNNING_TOP";

    /** The left chain's step that reads A ({@code reader}), the columns of A it filters on. */
    record Match(StreamStreamJoinStep join, AggregateStep aggregate, Step reader, int value, List<Integer> group) {
    }

    /** A column traced down a chain of steps to the aggregate below it, and the chain's lowest step. */
    private record Traced(AggregateStep aggregate, int column, Step reader) {
    }

    @Override
    public String name() {
        return "top";
    }

    @Override
    public List<Match> match(List<QueryPlan> plans) {
        PlanIndex index = new PlanIndex(plans);
        List<Match> out = new ArrayList<>();
        for (Step s : index.steps()) {
            if (s instanceof FilterStep f && f.input() instanceof StreamStreamJoinStep j && j.regular()
                    && j.type() == JoinType.INNER && j.stateTtlMs() == 0 && index.parents(j) == 1) {
                int leftWidth = j.left().schema().size();
                for (Expr conjunct : Exprs.conjuncts(f.predicate())) {
                    comparison(conjunct, leftWidth).flatMap(cols -> matchJoin(j, cols[0], cols[1], index))
                            .ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** {@code [left column, right column]} of {@code left >= right} or {@code left = right}. */
    private static Optional<int[]> comparison(Expr e, int leftWidth) {
        if (!(e instanceof Expr.Call c) || c.arguments().size() != 2
                || !(c.arguments().get(0) instanceof Expr.InputRef a) || !(c.arguments().get(1) instanceof Expr.InputRef b)) {
            return Optional.empty();
        }
        boolean aLeft = a.index() < leftWidth;
        boolean bLeft = b.index() < leftWidth;
        if (aLeft == bLeft) {
            return Optional.empty();
        }
        Expr.InputRef left = aLeft ? a : b;
        Expr.InputRef right = aLeft ? b : a;
        String op = c.function();
        boolean holds = op.equals("=") || op.equals(">=") && aLeft || op.equals("<=") && !aLeft;
        return holds ? Optional.of(new int[] {left.index(), right.index() - leftWidth}) : Optional.empty();
    }

    private static Optional<Match> matchJoin(StreamStreamJoinStep j, int leftValue, int rightValue, PlanIndex index) {
        if (!(j.left() instanceof RekeyStep leftKey) || !(j.right() instanceof RekeyStep rightKey)
                || leftKey.keyExpressions().size() != rightKey.keyExpressions().size()) {
            return Optional.empty();
        }
        Optional<Traced> value = trace(j.left(), leftValue, true, index);
        Optional<Traced> top = trace(j.right(), rightValue, false, index);
        if (value.isEmpty() || top.isEmpty() || !finalWindowed(value.get().aggregate())
                || !finalWindowed(top.get().aggregate())) {
            return Optional.empty();
        }
        AggregateStep a = value.get().aggregate();
        AggregateStep b = top.get().aggregate();
        Step reader = value.get().reader();
        int groups = b.groupKeys().size();
        int call = top.get().column() - groups - 2;
        ScalarType type = a.schema().type(value.get().column()) instanceof ScalarType t ? t : null;
        if (call < 0 || !isMax(b.calls().get(call)) || (type != ScalarType.BIGINT && type != ScalarType.INTEGER)
                || !sameA(b, ((Expr.InputRef) b.calls().get(call).arguments().get(0)).index(), a, value.get().column())) {
            return Optional.empty();
        }
        List<Integer> group = new ArrayList<>();
        Set<Integer> groupKeysUsed = new HashSet<>();
        for (int i = 0; i < leftKey.keyExpressions().size(); i++) {
            if (!(leftKey.keyExpressions().get(i) instanceof Expr.InputRef l)
                    || !(rightKey.keyExpressions().get(i) instanceof Expr.InputRef r)) {
                return Optional.empty();
            }
            Optional<Traced> lt = trace(leftKey.input(), l.index(), true, index);
            Optional<Traced> rt = trace(rightKey.input(), r.index(), false, index);
            if (lt.isEmpty() || rt.isEmpty() || !lt.get().aggregate().equals(a) || !lt.get().reader().equals(reader)
                    || !rt.get().aggregate().equals(b) || rt.get().column() >= groups
                    || !(b.groupKeys().get(rt.get().column()) instanceof Expr.InputRef g)
                    || !sameA(b, g.index(), a, lt.get().column())) {
                return Optional.empty();
            }
            group.add(lt.get().column());
            groupKeysUsed.add(rt.get().column());
        }
        int windowStart = a.groupKeys().size();
        boolean oneWindow = group.contains(windowStart) || group.contains(windowStart + 1);
        if (groupKeysUsed.size() != groups || !oneWindow) {
            return Optional.empty();
        }
        return Optional.of(new Match(j, a, reader, value.get().column(), List.copyOf(group)));
    }

    private static boolean finalWindowed(AggregateStep a) {
        return a.window().isPresent() && a.emit() == EmitMode.FINAL && a.kind() == AggregateStep.Kind.WINDOWED;
    }

    private static boolean isMax(AggregateCall c) {
        return c.function().equals("MAX") && !c.distinct() && c.filter().isEmpty() && c.arguments().size() == 1
                && c.arguments().get(0) instanceof Expr.InputRef;
    }

    /** Whether column {@code column} of B's input is A's column {@code aColumn}, through projections and re-keys only. */
    private static boolean sameA(AggregateStep b, int column, AggregateStep a, int aColumn) {
        Step step = b.input();
        int col = column;
        while (!step.equals(a)) {
            if (step instanceof RekeyStep r) {
                step = r.input();
            } else if (step instanceof ProjectStep p && p.expressions().get(col) instanceof Expr.InputRef ref) {
                col = ref.index();
                step = p.input();
            } else {
                return false;
            }
        }
        return col == aColumn;
    }

    /**
     * Column {@code column} of {@code top} traced down through filters, column projections and
     * re-keys to the first aggregate; with {@code exclusive}, every step on the way must be read by
     * the step above only (and none may hold the filter already).
     */
    private static Optional<Traced> trace(Step top, int column, boolean exclusive, PlanIndex index) {
        Step step = top;
        int col = column;
        while (true) {
            if (exclusive && index.parents(step) != 1) {
                return Optional.empty();
            }
            Step below;
            if (step instanceof RekeyStep r) {
                below = r.input();
            } else if (step instanceof FilterStep f) {
                if (f.predicate() instanceof Expr.Call c && c.function().equals(FUNCTION)) {
                    return Optional.empty();
                }
                below = f.input();
            } else if (step instanceof ProjectStep p && p.expressions().get(col) instanceof Expr.InputRef ref) {
                col = ref.index();
                below = p.input();
            } else {
                return Optional.empty();
            }
            if (below instanceof AggregateStep a) {
                return Optional.of(new Traced(a, col, step));
            }
            step = below;
        }
    }

    /** A row dropped here saves a repartitioned record and a row kept in the join's store for good. */
    @Override
    public boolean applyIf(Match match, List<QueryPlan> plans) {
        return true;
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Match m) {
        List<Expr> args = new ArrayList<>();
        args.add(ref(m.aggregate(), m.value()));
        for (int g : m.group()) {
            args.add(ref(m.aggregate(), g));
        }
        Step filter = new FilterStep(m.join().name() + "-running-top", m.aggregate(),
                new Expr.Call(FUNCTION, args, ScalarType.BOOLEAN));
        Step reader = m.reader().withInputs(List.of(filter));
        return TreeRewriter.rewriteAll(plans, s -> s.equals(m.reader())
                ? Optional.of(Rewired.unchanged(reader)) : Optional.empty());
    }

    private static Expr ref(AggregateStep a, int column) {
        return new Expr.InputRef(column, a.schema().type(column));
    }

    @Override
    public String describe(Match m) {
        return m.join().name() + "-running-top before " + m.reader().name() + ": a row of " + m.aggregate().name()
                + " below an earlier value of column " + m.value() + " in its group " + m.group()
                + " cannot reach the MAX it is joined with";
    }
}
