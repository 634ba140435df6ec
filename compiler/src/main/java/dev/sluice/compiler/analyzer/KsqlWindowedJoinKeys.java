package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.runtime.plan.WindowedSource;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ksqlDB's join of two windowed sources (its rules are checked by {@link KsqlWindowedJoins}) matches
 * the records' whole binary keys: the key column and the window as the key holds it, so a time
 * window's start (its end is not in the key: windows of different sizes may match) and a session's
 * start and end. The join key is therefore the key column followed by two window parts, which the
 * sink writes back as the output's window: the start twice for time windows (the key's end slot is
 * not written for them, see {@code WindowedKeys}), start and end for sessions. In a join's
 * {@code SELECT *} ksqlDB lists each side's WINDOWSTART and WINDOWEND as value columns.
 */
final class KsqlWindowedJoinKeys {
    private KsqlWindowedJoinKeys() {
    }

    /** The window of a windowed stream source read through filters and projections, if {@code step} is one. */
    static Optional<WindowSpec> window(Step step) {
        Step s = step;
        while (s instanceof FilterStep || s instanceof ProjectStep) {
            s = s.inputs().get(0);
        }
        return s instanceof SourceStep source ? WindowedSource.of(source.format()) : Optional.empty();
    }

    /** {@code keys} followed by the two window parts of the side whose row {@code scope} describes. */
    static List<Expr> withWindow(List<Expr> keys, Scope scope, WindowSpec window) {
        int start = bound(scope, WindowedSource.START);
        int end = window.kind() == WindowSpec.Kind.SESSION ? bound(scope, WindowedSource.END) : start;
        List<Expr> out = new ArrayList<>(keys);
        out.add(new Expr.InputRef(start, ScalarType.BIGINT));
        out.add(new Expr.InputRef(end, ScalarType.BIGINT));
        return out;
    }

    /** The scope with each windowed source's WINDOWSTART and WINDOWEND shown by {@code *}. */
    static Scope showBounds(Scope scope) {
        List<ScopeColumn> out = new ArrayList<>();
        for (ScopeColumn c : scope.columns()) {
            boolean bound = c.hidden() && (c.name().equals(WindowedSource.START) || c.name().equals(WindowedSource.END));
            out.add(bound ? new ScopeColumn(c.relation(), c.name(), c.type(), c.index(), false) : c);
        }
        return new Scope(out, scope.rowtimeColumn(), scope.watermarkDelayMs(), scope.windowBounds());
    }

    private static int bound(Scope scope, String name) {
        for (ScopeColumn c : scope.columns()) {
            if (c.hidden() && c.name().equals(name)) {
                return c.index();
            }
        }
        throw new IllegalStateException("a windowed source without " + name);
    }
}
