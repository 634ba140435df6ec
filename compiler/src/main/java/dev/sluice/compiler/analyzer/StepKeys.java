package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a table-valued step's records are keyed by, as expressions over its value row, where the
 * join planner can use it to join on the key without re-keying; empty when unknown or when the
 * step is not a table the planner joins by key.
 */
final class StepKeys implements StepVisitor<Optional<List<Expr>>> {
    static final StepKeys INSTANCE = new StepKeys();

    private StepKeys() {
    }

    @Override
    public Optional<List<Expr>> visitSource(SourceStep s) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitTableSource(TableSourceStep t) {
        return Optional.of(t.keyColumns().stream().map(i -> (Expr) new Expr.InputRef(i, t.schema().type(i))).toList());
    }

    @Override
    public Optional<List<Expr>> visitFilter(FilterStep f) {
        return f.input().accept(this);
    }

    /**
     * A projection keeps its input's record key; the key is known through it when it selects each
     * key column as it is. Only over a (non-windowed) aggregate: a grouped sub-query selecting its
     * group keys, e.g. a decorrelated sub-query joined by its correlation columns.
     */
    @Override
    public Optional<List<Expr>> visitProject(ProjectStep p) {
        if (!(p.input() instanceof AggregateStep)) {
            return Optional.empty();
        }
        Optional<List<Expr>> inputKey = p.input().accept(this);
        if (inputKey.isEmpty()) {
            return Optional.empty();
        }
        List<Expr> key = new ArrayList<>();
        for (Expr k : inputKey.get()) {
            int at = p.expressions().indexOf(k);
            if (at < 0) {
                return Optional.empty();
            }
            key.add(new Expr.InputRef(at, p.schema().type(at)));
        }
        return Optional.of(key);
    }

    @Override
    public Optional<List<Expr>> visitRekey(RekeyStep r) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitAggregate(AggregateStep a) {
        if (a.window().isPresent()) {
            return Optional.empty();
        }
        List<Expr> key = new ArrayList<>();
        for (int i = 0; i < a.keySchema().size(); i++) {
            key.add(new Expr.InputRef(i, a.schema().type(i)));
        }
        return Optional.of(key);
    }

    @Override
    public Optional<List<Expr>> visitStreamTableJoin(StreamTableJoinStep j) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitStreamStreamJoin(StreamStreamJoinStep j) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitTableTableJoin(TableTableJoinStep j) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitUnion(UnionStep u) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitLagLead(LagLeadStep l) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitRank(RankStep r) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitDeduplicate(DeduplicateStep d) {
        return Optional.empty();
    }

    @Override
    public Optional<List<Expr>> visitExplode(ExplodeStep e) {
        return e.input().accept(this); // the input's columns keep their positions
    }

    @Override
    public Optional<List<Expr>> visitSuppress(SuppressStep s) {
        return Optional.empty();
    }
}
