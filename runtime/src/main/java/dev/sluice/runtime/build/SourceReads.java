package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.format.ReadFields;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per source topic, the value columns (and ROW fields) the script's queries read, so the source's
 * deserializer builds only those (projection pushdown into the format, as Flink pushes a projection
 * with nested fields into its JSON source).
 *
 * <p>Walks each plan from its sink down, carrying what a step's output must hold. A filter needs
 * what its consumers need plus its predicate's columns; a projection needs exactly the columns its
 * expressions read (all of them are evaluated on every row, so a skipped column could change what an
 * expression does, never only its result's unread part); a field access {@code FIELD($c, i)} chain
 * needs that field alone. Every other step reads its input whole: that is always correct, so a new
 * step type needs nothing here. A source adds its computed columns' inputs and its event-time column,
 * and all queries and views reading one topic share the union (Kafka Streams has one source per topic).
 */
final class SourceReads {
    private final Map<String, ReadFields> byTopic = new HashMap<>();
    private final Set<Visit> visited = new HashSet<>();

    private record Visit(Step step, ReadFields needed) {
    }

    private SourceReads() {
    }

    /** The parts of each source topic's value the plans read; a topic not in the map: everything. */
    static Map<String, ReadFields> of(List<QueryPlan> plans) {
        SourceReads reads = new SourceReads();
        for (QueryPlan plan : plans) {
            reads.need(plan.root(), ReadFields.ALL);
        }
        return Map.copyOf(reads.byTopic);
    }

    private void need(Step step, ReadFields needed) {
        if (!visited.add(new Visit(step, needed))) {
            return; // a step shared by several queries: each distinct need is propagated once
        }
        if (step instanceof SourceStep s) {
            byTopic.merge(s.format().topic(), sourceValue(s, needed), ReadFields::union);
        } else if (step instanceof FilterStep f) {
            need(f.input(), needed.isAll() ? needed : read(List.of(f.predicate()), needed));
        } else if (step instanceof ProjectStep p) {
            need(p.input(), read(p.expressions(), ReadFields.none()));
        } else {
            for (Step input : step.inputs()) {
                need(input, ReadFields.ALL);
            }
        }
    }

    /** What the source's value deserializer must build for {@code needed} of the source's columns. */
    private static ReadFields sourceValue(SourceStep s, ReadFields needed) {
        if (!s.recordKeyColumns().isEmpty() || needed.isAll()) {
            return ReadFields.ALL; // KEY columns shift the value's positions: read it whole
        }
        int declared = s.schema().size() - s.computedColumns().size() - (s.appendRowtime() ? 1 : 0);
        ReadFields value = ReadFields.none();
        for (int c = 0; c < declared; c++) {
            ReadFields part = needed.field(c);
            if (part != null) {
                value = value.union(new ReadFields.Some(Map.of(c, part)));
            }
        }
        // computed columns are evaluated over the declared ones for every record, needed or not
        value = read(s.computedColumns(), value);
        if (s.rowtimeColumn().isPresent() && s.rowtimeColumn().getAsInt() < declared) {
            value = value.withPath(new int[] {s.rowtimeColumn().getAsInt()});
        }
        return value;
    }

    /** {@code into} plus every column path the expressions read. */
    static ReadFields read(List<Expr> expressions, ReadFields into) {
        ReadFields out = into;
        for (Expr e : expressions) {
            out = read(e, out);
        }
        return out;
    }

    private static ReadFields read(Expr e, ReadFields into) {
        List<Integer> path = fieldPath(e);
        if (path != null) {
            return into.withPath(path.stream().mapToInt(Integer::intValue).toArray());
        }
        if (e instanceof Expr.Call call) {
            return read(call.arguments(), into);
        }
        return into;
    }

    /** {@code $c} → [c]; {@code FIELD(FIELD($c, i), j)} → [c, i, j]; anything else: null. */
    private static List<Integer> fieldPath(Expr e) {
        if (e instanceof Expr.InputRef ref) {
            List<Integer> path = new ArrayList<>();
            path.add(ref.index());
            return path;
        }
        if (e instanceof Expr.Call call && call.function().equals("FIELD") && call.arguments().size() == 2
                && call.arguments().get(1) instanceof Expr.Literal lit && lit.value() instanceof Integer i) {
            List<Integer> base = fieldPath(call.arguments().get(0));
            if (base != null) {
                base.add(i);
            }
            return base;
        }
        return null;
    }
}
