package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.Steps;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * A plan rendered without step names or column names: what it computes, not what it is called.
 * Its SHA-256 names shared nodes, so the name is the same on every run and every instance (Java's
 * hashCode is not: enum hash codes change between JVMs).
 */
final class Canonical {
    private Canonical() {
    }

    static String hash(Step step) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(render(step).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    static String render(Step step) {
        StringBuilder sb = new StringBuilder();
        render(step, sb);
        return sb.toString();
    }

    private static void render(Step step, StringBuilder sb) {
        sb.append(step.getClass().getSimpleName()).append('{');
        if (step instanceof SourceStep s) {
            sb.append(s.format().topic()).append(' ').append(types(s.schema())).append(' ').append(s.rowtimeColumn())
                    .append(' ').append(s.appendRowtime()).append(' ')
                    .append(s.computedColumns().stream().map(Canonical::expr).collect(Collectors.joining(",")));
        } else if (step instanceof TableSourceStep t) {
            sb.append(t.format().topic()).append(' ').append(types(t.schema())).append(' ').append(t.keyColumns())
                    .append(' ').append(t.global());
        } else if (step instanceof FilterStep f) {
            sb.append(expr(f.predicate()));
        } else if (step instanceof ProjectStep p) {
            sb.append(p.expressions().stream().map(Canonical::expr).collect(Collectors.joining(",")));
        } else if (step instanceof RekeyStep r) {
            sb.append(r.keyExpressions().stream().map(Canonical::expr).collect(Collectors.joining(",")));
        } else if (step instanceof AggregateStep a) {
            sb.append(a.groupKeys().stream().map(Canonical::expr).collect(Collectors.joining(","))).append(' ')
                    .append(a.window()).append(' ').append(a.emit()).append(' ').append(a.rowtimeColumn()).append(' ')
                    .append(a.calls().stream().map(Canonical::call).collect(Collectors.joining(",")));
        } else if (step instanceof StreamTableJoinStep j) {
            sb.append(j.type()).append(' ').append(j.globalKey().stream().map(Canonical::expr).toList());
        } else if (step instanceof StreamStreamJoinStep j) {
            sb.append(j.type()).append(' ').append(j.beforeMs()).append(' ').append(j.afterMs()).append(' ')
                    .append(j.graceMs()).append(' ').append(j.leftRowtime()).append(' ').append(j.rightRowtime());
        } else if (step instanceof TableTableJoinStep j) {
            sb.append(j.type()).append(' ').append(j.foreignKey().stream().map(Canonical::expr).toList());
        }
        for (Step in : Steps.inputs(step)) {
            sb.append(' ');
            render(in, sb);
        }
        sb.append('}');
    }

    private static String types(Schema schema) {
        return schema.columns().stream().map(Column::type).map(t -> t.sql()).collect(Collectors.joining(",", "(", ")"));
    }

    static String expr(Expr e) {
        if (e instanceof Expr.InputRef r) {
            return "$" + r.index() + ":" + r.type().sql();
        }
        if (e instanceof Expr.Literal l) {
            return l.value() + ":" + l.type().sql();
        }
        Expr.Call c = (Expr.Call) e;
        return c.function() + c.arguments().stream().map(Canonical::expr).collect(Collectors.joining(",", "(", ")"))
                + ":" + c.type().sql();
    }

    private static String call(AggregateCall c) {
        return c.function() + (c.distinct() ? "(DISTINCT " : "(")
                + c.arguments().stream().map(Canonical::expr).collect(Collectors.joining(",")) + ")"
                + c.filter().map(f -> " FILTER " + expr(f)).orElse("") + " " + c.sortDescending() + ":" + c.type().sql();
    }
}
