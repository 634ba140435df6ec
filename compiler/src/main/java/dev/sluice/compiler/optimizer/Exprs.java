package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Column bookkeeping for rewrites. A column map {@code int[] map} says where column {@code i} of a
 * step's old output went in its new output ({@code -1}: pruned away).
 */
final class Exprs {
    private Exprs() {
    }

    static int[] identity(int width) {
        int[] map = new int[width];
        for (int i = 0; i < width; i++) {
            map[i] = i;
        }
        return map;
    }

    static boolean isIdentity(int[] map, int newWidth) {
        if (map.length != newWidth) {
            return false;
        }
        for (int i = 0; i < map.length; i++) {
            if (map[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** {@code outer ∘ inner}: first inner, then outer. */
    static int[] compose(int[] outer, int[] inner) {
        int[] out = new int[inner.length];
        for (int i = 0; i < inner.length; i++) {
            out[i] = inner[i] < 0 ? -1 : outer[inner[i]];
        }
        return out;
    }

    static Expr remap(Expr e, int[] map) {
        if (e instanceof Expr.InputRef ref) {
            int to = map[ref.index()];
            if (to < 0) {
                throw new IllegalStateException("column $" + ref.index() + " was pruned but is still read by " + e);
            }
            return to == ref.index() ? ref : new Expr.InputRef(to, ref.type());
        }
        if (e instanceof Expr.Call call) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : call.arguments()) {
                args.add(remap(a, map));
            }
            return new Expr.Call(call.function(), args, call.type());
        }
        return e;
    }

    static List<Expr> remap(List<Expr> exprs, int[] map) {
        return exprs.stream().map(e -> remap(e, map)).toList();
    }

    static AggregateCall remap(AggregateCall call, int[] map) {
        return new AggregateCall(call.function(), remap(call.arguments(), map), call.distinct(),
                call.filter().map(f -> remap(f, map)), call.sortDescending(), call.type(), call.retractFirstEqual());
    }

    static OptionalInt remap(OptionalInt column, int[] map) {
        return column.isPresent() ? OptionalInt.of(map[column.getAsInt()]) : column;
    }

    /** Adds {@code shift} to every column reference (moving a predicate onto a join's right side). */
    static Expr shift(Expr e, int shift) {
        if (e instanceof Expr.InputRef ref) {
            return new Expr.InputRef(ref.index() + shift, ref.type());
        }
        if (e instanceof Expr.Call call) {
            return new Expr.Call(call.function(), call.arguments().stream().map(a -> shift(a, shift)).toList(),
                    call.type());
        }
        return e;
    }

    static void refs(Expr e, BitSet out) {
        if (e instanceof Expr.InputRef ref) {
            out.set(ref.index());
        } else if (e instanceof Expr.Call call) {
            call.arguments().forEach(a -> refs(a, out));
        }
    }

    static BitSet refs(Expr e) {
        BitSet out = new BitSet();
        refs(e, out);
        return out;
    }

    static void refs(AggregateCall call, BitSet out) {
        call.arguments().forEach(a -> refs(a, out));
        call.filter().ifPresent(f -> refs(f, out));
    }

    /** The conjuncts of a predicate: {@code a AND (b AND c)} gives a, b, c. */
    static List<Expr> conjuncts(Expr predicate) {
        List<Expr> out = new ArrayList<>();
        collectConjuncts(predicate, out);
        return out;
    }

    private static void collectConjuncts(Expr e, List<Expr> out) {
        if (e instanceof Expr.Call call && call.function().equals("AND")) {
            call.arguments().forEach(a -> collectConjuncts(a, out));
        } else {
            out.add(e);
        }
    }

    static Optional<Expr> and(List<Expr> conjuncts) {
        if (conjuncts.isEmpty()) {
            return Optional.empty();
        }
        if (conjuncts.size() == 1) {
            return Optional.of(conjuncts.get(0));
        }
        return Optional.of(new Expr.Call("AND", conjuncts, ScalarType.BOOLEAN));
    }
}
