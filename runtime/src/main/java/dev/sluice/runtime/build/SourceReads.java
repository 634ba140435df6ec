package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.format.ReadFields;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the script's queries read of each step's output, and so of each source topic's value: the
 * source's deserializer then builds only those columns and ROW fields (projection pushdown into the
 * format, as Flink pushes a projection with nested fields into its JSON source), and a projection
 * computes only the columns someone reads (Flink's planner drops unused expressions the same way).
 *
 * <p>Starts at every sink with everything read, and goes down each plan, consumers before the steps
 * they read (a step shared by several queries or views gets the union of what they read). A filter
 * reads what its consumers read plus its predicate's columns; a projection reads what the
 * expressions of its read output columns read; a field access chain {@code FIELD(FIELD($c, i), j)}
 * reads that field alone. Every other step reads its input whole: always correct, so a new step
 * type needs nothing here. A source adds its computed columns' inputs (evaluated for every record)
 * and its event-time column; all queries reading one topic share its source (Kafka Streams has one
 * per topic), so the topic's value is read for the union of them.
 */
public final class SourceReads {
    private final Map<Step, ReadFields> byStep;
    private final Map<String, ReadFields> byTopic;

    private SourceReads(Map<Step, ReadFields> byStep, Map<String, ReadFields> byTopic) {
        this.byStep = byStep;
        this.byTopic = byTopic;
    }

    /** Nothing narrowed: every step's output and every topic's value read whole. */
    static SourceReads everything() {
        return new SourceReads(Map.of(), Map.of());
    }

    public static SourceReads of(List<QueryPlan> plans) {
        List<Step> order = new ArrayList<>();
        Set<Step> seen = new HashSet<>();
        for (QueryPlan plan : plans) {
            postOrder(plan.root(), seen, order);
        }
        Collections.reverse(order); // every consumer before the steps it reads
        Map<Step, ReadFields> needed = new HashMap<>();
        for (QueryPlan plan : plans) {
            needed.put(plan.root(), ReadFields.ALL);
        }
        Map<String, ReadFields> byTopic = new HashMap<>();
        for (Step step : order) {
            ReadFields out = needed.getOrDefault(step, ReadFields.none());
            if (step instanceof SourceStep s) {
                byTopic.merge(s.format().topic(), sourceValue(s, out), ReadFields::union);
            } else if (step instanceof FilterStep f) {
                needed.merge(f.input(), out.isAll() ? out : read(List.of(f.predicate()), out), ReadFields::union);
            } else if (step instanceof ProjectStep p) {
                ReadFields in = ReadFields.none();
                for (int c = 0; c < p.expressions().size(); c++) {
                    if (out.field(c) != null) {
                        in = read(p.expressions().get(c), in);
                    }
                }
                needed.merge(p.input(), in, ReadFields::union);
            } else {
                for (Step input : step.inputs()) {
                    needed.put(input, ReadFields.ALL);
                }
            }
        }
        return new SourceReads(needed, byTopic);
    }

    private static void postOrder(Step step, Set<Step> seen, List<Step> order) {
        if (!seen.add(step)) {
            return;
        }
        for (Step input : step.inputs()) {
            postOrder(input, seen, order);
        }
        order.add(step);
    }

    /** What the queries read of {@code topic}'s value (everything when no plan reads it as a stream). */
    public ReadFields topic(String topic) {
        return byTopic.getOrDefault(topic, ReadFields.ALL);
    }

    /** What the queries read of {@code step}'s output (everything for a step not seen). */
    public ReadFields step(Step step) {
        return byStep.getOrDefault(step, ReadFields.ALL);
    }

    /** What the source's value deserializer must build for {@code needed} of the source's columns. */
    private static ReadFields sourceValue(SourceStep s, ReadFields needed) {
        if (!s.recordKeyColumns().isEmpty() || needed.isAll()) {
            return ReadFields.ALL; // KEY columns shift the value's positions: read it whole
        }
        int bounds = dev.sluice.runtime.plan.WindowedSource.of(s.format()).isPresent() ? 2 : 0;
        var columns = s.schema().columns().subList(0, s.schema().size() - bounds);
        int declared = columns.size() - s.computedColumns().size()
                - (s.appendRowtime() ? PseudoColumns.count(columns) : 0);
        ReadFields value = ReadFields.none();
        for (int c = 0; c < declared; c++) {
            ReadFields part = needed.field(c);
            if (part != null) {
                value = value.union(new ReadFields.Some(Map.of(c, part)));
            }
        }
        // computed columns are evaluated over the declared ones for every record, read or not
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
