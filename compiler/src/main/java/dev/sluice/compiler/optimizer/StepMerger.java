package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether two sub-plans compute the same thing modulo step names, aliases, CTE names and
 * column order, and if so builds one step that serves both: it computes the union of their
 * columns (projections: the union of expressions; aggregations: the union of aggregate calls over
 * the same source, filters, group keys and window). {@link Merged#mapA()} and
 * {@link Merged#mapB()} say where each side's columns are in the merged output.
 *
 * <p>Anything else that differs (a source, a predicate, a key, a window size or grace, an emit
 * mode, a join bound) makes the sub-plans different: no merge.
 */
final class StepMerger {
    private StepMerger() {
    }

    record Merged(Step step, int[] mapA, int[] mapB) {
    }

    static Optional<Merged> merge(Step a, Step b) {
        if (a.equals(b)) {
            int[] id = Exprs.identity(a.schema().size());
            return Optional.of(new Merged(a, id, id));
        }
        if (StepCopy.isSource(a) || StepCopy.isSource(b) || a.getClass() != b.getClass()) {
            return Optional.empty();
        }
        if (a instanceof FilterStep fa) {
            FilterStep fb = (FilterStep) b;
            return merge(fa.input(), fb.input()).flatMap(in -> {
                Expr pa = Exprs.remap(fa.predicate(), in.mapA());
                Expr pb = Exprs.remap(fb.predicate(), in.mapB());
                return pa.equals(pb) ? Optional.of(new Merged(new FilterStep(fa.name(), in.step(), pa), in.mapA(),
                        in.mapB())) : Optional.empty();
            });
        }
        if (a instanceof ProjectStep pa) {
            return merge(pa.input(), ((ProjectStep) b).input()).map(in -> project(pa, (ProjectStep) b, in));
        }
        if (a instanceof RekeyStep ra) {
            RekeyStep rb = (RekeyStep) b;
            return merge(ra.input(), rb.input()).flatMap(in -> {
                List<Expr> ka = Exprs.remap(ra.keyExpressions(), in.mapA());
                List<Expr> kb = Exprs.remap(rb.keyExpressions(), in.mapB());
                return ka.equals(kb) && sameTypes(ra.keySchema(), rb.keySchema())
                        ? Optional.of(new Merged(new RekeyStep(ra.name(), in.step(), ka, ra.keySchema()), in.mapA(),
                        in.mapB())) : Optional.empty();
            });
        }
        if (a instanceof AggregateStep aa) {
            AggregateStep ab = (AggregateStep) b;
            return merge(aa.input(), ab.input()).flatMap(in -> aggregate(aa, ab, in));
        }
        // Joins and unions: shared only when their inputs are the same columns in the same order.
        List<Step> ia = dev.sluice.compiler.Steps.inputs(a);
        List<Step> ib = dev.sluice.compiler.Steps.inputs(b);
        if (ia.size() != ib.size()) {
            return Optional.empty();
        }
        List<Step> merged = new ArrayList<>();
        for (int i = 0; i < ia.size(); i++) {
            Optional<Merged> m = merge(ia.get(i), ib.get(i));
            int width = ia.get(i).schema().size();
            if (m.isEmpty() || !Exprs.isIdentity(m.get().mapA(), width) || !Exprs.isIdentity(m.get().mapB(), width)
                    || m.get().step().schema().size() != width) {
                return Optional.empty();
            }
            merged.add(m.get().step());
        }
        Step candidateA = StepCopy.withInputs(a, merged);
        Step candidateB = StepCopy.withName(StepCopy.withInputs(b, merged), a.name());
        if (!sameExceptColumnNames(candidateA, candidateB)) {
            return Optional.empty();
        }
        int[] id = Exprs.identity(a.schema().size());
        return Optional.of(new Merged(candidateA, id, id));
    }

    private static Merged project(ProjectStep a, ProjectStep b, Merged in) {
        List<Expr> exprs = new ArrayList<>(Exprs.remap(a.expressions(), in.mapA()));
        List<Column> columns = new ArrayList<>(a.schema().columns());
        Set<String> names = new HashSet<>();
        a.schema().names().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        List<Expr> fromB = Exprs.remap(b.expressions(), in.mapB());
        int[] mapB = new int[fromB.size()];
        for (int i = 0; i < fromB.size(); i++) {
            int at = exprs.indexOf(fromB.get(i));
            if (at < 0) {
                at = exprs.size();
                exprs.add(fromB.get(i));
                columns.add(new Column(unique(b.schema().column(i).name(), names), b.schema().type(i)));
            }
            mapB[i] = at;
        }
        ProjectStep merged = new ProjectStep(a.name(), in.step(), exprs, new Schema(columns));
        return new Merged(merged, Exprs.identity(a.schema().size()), mapB);
    }

    private static Optional<Merged> aggregate(AggregateStep a, AggregateStep b, Merged in) {
        List<Expr> keys = Exprs.remap(a.groupKeys(), in.mapA());
        if (!keys.equals(Exprs.remap(b.groupKeys(), in.mapB())) || !a.window().equals(b.window())
                || a.emit() != b.emit() || !sameTypes(a.keySchema(), b.keySchema())
                || !Exprs.remap(a.rowtimeColumn(), in.mapA()).equals(Exprs.remap(b.rowtimeColumn(), in.mapB()))) {
            return Optional.empty();
        }
        int prefix = a.schema().size() - a.calls().size();
        List<AggregateCall> calls = new ArrayList<>(a.calls().stream().map(c -> Exprs.remap(c, in.mapA())).toList());
        List<Column> columns = new ArrayList<>(a.schema().columns());
        int[] mapB = new int[b.schema().size()];
        for (int i = 0; i < prefix; i++) {
            mapB[i] = i;
        }
        for (int i = 0; i < b.calls().size(); i++) {
            AggregateCall call = Exprs.remap(b.calls().get(i), in.mapB());
            int at = calls.indexOf(call);
            if (at < 0) {
                at = calls.size();
                calls.add(call);
                columns.add(new Column("AGG$" + at, call.type()));
            }
            mapB[prefix + i] = prefix + at;
        }
        AggregateStep merged = new AggregateStep(a.name(), in.step(), keys, a.window(), calls,
                Exprs.remap(a.rowtimeColumn(), in.mapA()), a.keySchema(), new Schema(columns), a.emit());
        return Optional.of(new Merged(merged, Exprs.identity(a.schema().size()), mapB));
    }

    private static boolean sameTypes(Schema a, Schema b) {
        return a.columns().stream().map(Column::type).toList().equals(b.columns().stream().map(Column::type).toList());
    }

    /** Join and union steps carry a schema of their own; its column names are aliases, not meaning. */
    private static boolean sameExceptColumnNames(Step a, Step b) {
        if (!sameTypes(a.schema(), b.schema())) {
            return false;
        }
        Schema schema = a.schema();
        return a.equals(withSchema(b, schema));
    }

    private static Step withSchema(Step step, Schema schema) {
        if (step instanceof UnionStep u) {
            return new UnionStep(u.name(), u.inputs(), schema);
        }
        if (step instanceof StreamTableJoinStep j) {
            return new StreamTableJoinStep(j.name(), j.left(), j.right(), j.type(), j.globalKey(), schema);
        }
        if (step instanceof StreamStreamJoinStep j) {
            return new StreamStreamJoinStep(j.name(), j.left(), j.right(), j.type(), j.beforeMs(), j.afterMs(),
                    j.graceMs(), j.leftRowtime(), j.rightRowtime(), schema);
        }
        if (step instanceof TableTableJoinStep j) {
            return new TableTableJoinStep(j.name(), j.left(), j.right(), j.type(), j.foreignKey(), schema);
        }
        return step;
    }

    private static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); i++) {
            candidate = name + "$" + i;
        }
        return candidate;
    }
}
