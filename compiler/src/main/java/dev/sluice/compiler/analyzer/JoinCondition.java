package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The ON clause of a join split into the three things a Kafka Streams join does with it:
 * <ul>
 *   <li>{@code leftKeys}/{@code rightKeys}: the equalities {@code l = r} between one side and the
 *   other, which become the record key both sides are partitioned and matched by (several make a
 *   composite key). Each pair is coerced to a common type, because keys compare as Java objects
 *   (an INTEGER 1 and a BIGINT 1 would never meet).</li>
 *   <li>{@code bounds}: comparisons between the two sides' event-time columns, which become the
 *   interval of a stream-stream join (Flink's interval join).</li>
 *   <li>{@code residual}: everything else, evaluated over the joined row.</li>
 * </ul>
 * Left-side expressions are over the left row; right-side ones over the right row; residual ones
 * over the joined row (left columns, then right columns).
 */
public record JoinCondition(List<Expr> leftKeys, List<Expr> rightKeys, Optional<TimeBounds> bounds,
                            List<Expr> residual) {

    public JoinCondition {
        leftKeys = List.copyOf(leftKeys);
        rightKeys = List.copyOf(rightKeys);
        residual = List.copyOf(residual);
    }

    /**
     * {@code right.ts - left.ts} must lie in {@code [lowerMs, upperMs]} (both inclusive: strict
     * comparisons were tightened by 1 ms, event time having millisecond precision). In Kafka
     * Streams' terms: {@code before = -lowerMs}, {@code after = upperMs}.
     */
    public record TimeBounds(long lowerMs, long upperMs) {
        public long beforeMs() {
            return -lowerMs;
        }

        public long afterMs() {
            return upperMs;
        }
    }

    private enum Side { LEFT, RIGHT }

    /** An event-time column of one side plus a constant offset: {@code f.ts + INTERVAL '30' SECOND}. */
    private record TimeTerm(Side side, long offsetMs) {
    }

    /**
     * Splits {@code on} (analyzed against {@code left} concatenated with {@code right}). The event-time
     * columns of the sides ({@link Scope#rowtimeColumn()}) are the ones time bounds may compare.
     */
    public static JoinCondition analyze(Expression on, Scope left, Scope right, FunctionCatalog functions) {
        Scope joined = left.concat(right);
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(joined, functions, "ON");
        int leftWidth = left.size();
        OptionalInt leftTime = left.rowtimeColumn();
        OptionalInt rightTime = right.rowtimeColumn().isPresent()
                ? OptionalInt.of(right.rowtimeColumn().getAsInt() + leftWidth) : OptionalInt.empty();
        Builder b = new Builder(leftWidth, leftTime, rightTime);
        List<Expression> conjuncts = new ArrayList<>();
        flatten(on, conjuncts);
        for (Expression conjunct : conjuncts) {
            Expr e = analyzer.condition(conjunct);
            if (b.timeBound(e)) {
                b.timeConditions.add(e);
            } else if (!b.equality(e, conjunct)) {
                b.residual.add(e);
            }
        }
        Optional<TimeBounds> bounds = Optional.empty();
        if ((b.lower == null) != (b.upper == null)) {
            // Bounded on one side only (e.g. b.ts >= a.ts): not an interval join but a regular join
            // whose rows are filtered by the condition, as Flink plans it.
            b.residual.addAll(b.timeConditions);
        } else if (b.lower != null) {
            if (b.lower > b.upper) {
                throw new SqlException(on.location(), "the join's time condition can never be true: it needs "
                        + b.lower + " ms <= right time - left time <= " + b.upper + " ms");
            }
            bounds = Optional.of(new TimeBounds(b.lower, b.upper));
        }
        return new JoinCondition(b.leftKeys, b.rightKeys, bounds, b.residual);
    }

    private static void flatten(Expression e, List<Expression> out) {
        if (e instanceof Expression.Binary bin && bin.operator() == Expression.BinaryOperator.AND) {
            flatten(bin.left(), out);
            flatten(bin.right(), out);
        } else {
            out.add(e);
        }
    }

    private static final class Builder {
        final int leftWidth;
        final OptionalInt leftTime;
        final OptionalInt rightTime;
        final List<Expr> leftKeys = new ArrayList<>();
        final List<Expr> rightKeys = new ArrayList<>();
        final List<Expr> residual = new ArrayList<>();
        final List<Expr> timeConditions = new ArrayList<>();
        Long lower;
        Long upper;

        Builder(int leftWidth, OptionalInt leftTime, OptionalInt rightTime) {
            this.leftWidth = leftWidth;
            this.leftTime = leftTime;
            this.rightTime = rightTime;
        }

        /** {@code l = r} with each operand reading one side only. */
        boolean equality(Expr e, Expression source) {
            if (!(e instanceof Expr.Call c) || !c.function().equals("=") || c.arguments().size() != 2) {
                return false;
            }
            Expr a = c.arguments().get(0);
            Expr b = c.arguments().get(1);
            Optional<Side> sa = sideOf(a);
            Optional<Side> sb = sideOf(b);
            if (sa.isEmpty() || sb.isEmpty() || sa.get() == sb.get()) {
                return false;
            }
            Expr l = sa.get() == Side.LEFT ? a : b;
            Expr r = sa.get() == Side.LEFT ? b : a;
            if (dev.sluice.serdes.row.TypeShapes.sameIgnoringNullability(l.type(), r.type())) {
                // one type but for what STRUCT fields say about NULL: a CAST would hide the right key
                leftKeys.add(l);
                rightKeys.add(shift(r, -leftWidth));
                return true;
            }
            SqlType common = ExpressionAnalyzer.commonType(List.of(l, r), source.location(), "join key operands");
            leftKeys.add(ExpressionAnalyzer.coerce(l, common));
            rightKeys.add(shift(ExpressionAnalyzer.coerce(r, common), -leftWidth));
            return true;
        }

        /** A comparison (or BETWEEN) of one side's event time with the other's, give or take a constant. */
        boolean timeBound(Expr e) {
            if (!(e instanceof Expr.Call c)) {
                return false;
            }
            List<Expr> args = c.arguments();
            switch (c.function()) {
                case "=", "<", "<=", ">", ">=" -> {
                    Optional<TimeTerm> a = term(args.get(0));
                    Optional<TimeTerm> b = term(args.get(1));
                    if (a.isEmpty() || b.isEmpty() || a.get().side() == b.get().side()) {
                        return false;
                    }
                    apply(a.get(), c.function(), b.get());
                    return true;
                }
                case "BETWEEN" -> {
                    Optional<TimeTerm> x = term(args.get(0));
                    Optional<TimeTerm> lo = term(args.get(1));
                    Optional<TimeTerm> hi = term(args.get(2));
                    if (x.isEmpty() || lo.isEmpty() || hi.isEmpty() || x.get().side() == lo.get().side()
                            || x.get().side() == hi.get().side()) {
                        return false;
                    }
                    apply(x.get(), ">=", lo.get());
                    apply(x.get(), "<=", hi.get());
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        /** Records {@code a.ts + a.offset  op  b.ts + b.offset} as a bound on {@code d = right.ts - left.ts}. */
        private void apply(TimeTerm a, String op, TimeTerm b) {
            long c;
            String onD;
            if (a.side() == Side.RIGHT) {
                c = b.offsetMs() - a.offsetMs();  // R - L  op  b.off - a.off
                onD = op;
            } else {
                c = a.offsetMs() - b.offsetMs();  // L - R  op  b.off - a.off  <=>  d  flip(op)  a.off - b.off
                onD = flip(op);
            }
            switch (onD) {
                case ">=" -> lower = lower == null ? c : Math.max(lower, c);
                case ">" -> lower = lower == null ? c + 1 : Math.max(lower, c + 1);
                case "<=" -> upper = upper == null ? c : Math.min(upper, c);
                case "<" -> upper = upper == null ? c - 1 : Math.min(upper, c - 1);
                default -> { // "="
                    lower = lower == null ? c : Math.max(lower, c);
                    upper = upper == null ? c : Math.min(upper, c);
                }
            }
        }

        private static String flip(String op) {
            return switch (op) {
                case "<" -> ">";
                case "<=" -> ">=";
                case ">" -> "<";
                case ">=" -> "<=";
                default -> op;
            };
        }

        private Optional<TimeTerm> term(Expr e) {
            if (e instanceof Expr.InputRef ref) {
                if (leftTime.isPresent() && ref.index() == leftTime.getAsInt()) {
                    return Optional.of(new TimeTerm(Side.LEFT, 0));
                }
                if (rightTime.isPresent() && ref.index() == rightTime.getAsInt()) {
                    return Optional.of(new TimeTerm(Side.RIGHT, 0));
                }
                return Optional.empty();
            }
            if (e instanceof Expr.Call c && c.arguments().size() == 2
                    && (c.function().equals("+") || c.function().equals("-"))) {
                Expr a = c.arguments().get(0);
                Expr b = c.arguments().get(1);
                OptionalLong rightConstant = interval(b);
                if (rightConstant.isPresent()) {
                    long sign = c.function().equals("+") ? 1 : -1;
                    return term(a).map(t -> new TimeTerm(t.side(), t.offsetMs() + sign * rightConstant.getAsLong()));
                }
                OptionalLong leftConstant = interval(a);
                if (leftConstant.isPresent() && c.function().equals("+")) {
                    return term(b).map(t -> new TimeTerm(t.side(), t.offsetMs() + leftConstant.getAsLong()));
                }
            }
            return Optional.empty();
        }

        private static OptionalLong interval(Expr e) {
            if (e instanceof Expr.Literal l && l.type() == ScalarType.INTERVAL && l.value() instanceof Long v) {
                return OptionalLong.of(v);
            }
            return OptionalLong.empty();
        }

        /** LEFT or RIGHT when {@code e} reads columns of that side only; empty for constants or both. */
        private Optional<Side> sideOf(Expr e) {
            List<Integer> refs = new ArrayList<>();
            collectRefs(e, refs);
            if (refs.isEmpty()) {
                return Optional.empty();
            }
            boolean allLeft = refs.stream().allMatch(i -> i < leftWidth);
            boolean allRight = refs.stream().allMatch(i -> i >= leftWidth);
            return allLeft ? Optional.of(Side.LEFT) : allRight ? Optional.of(Side.RIGHT) : Optional.empty();
        }
    }

    static void collectRefs(Expr e, List<Integer> out) {
        if (e instanceof Expr.InputRef ref) {
            out.add(ref.index());
        } else if (e instanceof Expr.Call c) {
            c.arguments().forEach(a -> collectRefs(a, out));
        }
    }

    /** The same expression over a row whose columns moved by {@code delta}. */
    static Expr shift(Expr e, int delta) {
        if (e instanceof Expr.InputRef ref) {
            return new Expr.InputRef(ref.index() + delta, ref.type());
        }
        if (e instanceof Expr.Call c) {
            return new Expr.Call(c.function(), c.arguments().stream().map(a -> shift(a, delta)).toList(), c.type());
        }
        return e;
    }
}
