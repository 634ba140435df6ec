package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.operator.ListElements;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.streams.TopologyDescription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The state a compiled script keeps between runs, resource by resource: state stores, their
 * changelog topics and repartition topics. Each is tied to the plan step that named it and carries
 * what its bytes mean: the key format and the value format (for an aggregation, its window and
 * accumulators). {@code sluice diff} compares two scripts' resources with these.
 */
public final class StateResources {
    private StateResources() {
    }

    public enum Kind { STORE, CHANGELOG, REPARTITION }

    /** What a regular INNER join's stores hold (Sluice's own operator since issue 13). */
    static final String REGULAR_INNER_ROWS = "regular INNER join rows by (join key, time, arrival)";

    /** {@code topic}: the Kafka topic name (application id prefixed), or the store name. */
    public record Resource(String name, Kind kind, String step, List<String> queries, String key, String value) {
        public Resource {
            queries = List.copyOf(queries);
        }
    }

    public static List<Resource> of(CompiledScript script) {
        Map<String, Step> steps = new LinkedHashMap<>();
        Map<String, Set<String>> owners = new LinkedHashMap<>();
        for (CompiledQuery q : script.queries()) {
            for (Step s : PlanIndex.subtree(q.plan().root())) {
                steps.putIfAbsent(s.name(), s);
                owners.computeIfAbsent(s.name(), k -> new LinkedHashSet<>()).add(q.id());
            }
        }
        Map<String, Resource> out = new TreeMap<>();
        for (TopologyDescription.Subtopology sub : script.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    for (String store : p.stores()) {
                        add(out, store, Kind.STORE, store, steps, owners);
                        if (!store.endsWith(PRE_AGGREGATE + "-store")) { // a commit hook: no changelog
                            add(out, script.applicationId() + "-" + store + "-changelog", Kind.CHANGELOG, store, steps,
                                    owners);
                        }
                    }
                }
                if (node instanceof TopologyDescription.Sink s && s.topic() != null && s.topic().endsWith("-repartition")) {
                    String name = script.applicationId() + "-" + s.topic();
                    add(out, name, Kind.REPARTITION, s.topic(), steps, owners);
                    partialsOf(s, steps).ifPresent(partials -> out.put(name, new Resource(name, Kind.REPARTITION,
                            out.get(name).step(), out.get(name).queries(), out.get(name).key(), partials)));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The suffix of a pre-aggregation's processor ({@code PanePreAggregateBuilder}). */
    private static final String PRE_AGGREGATE = "-preaggregate";

    /**
     * What a re-key's topic carries when the aggregate reading it pre-aggregates (its sink's
     * processor is {@code <aggregate>-preaggregate}): pane partials in the aggregate's state format,
     * not input rows, so an application whose topic holds rows cannot resume (and back).
     */
    private static java.util.Optional<String> partialsOf(TopologyDescription.Sink sink, Map<String, Step> steps) {
        for (TopologyDescription.Node before : sink.predecessors()) {
            if (before.name().endsWith(PRE_AGGREGATE)
                    && steps.get(before.name().substring(0, before.name().length() - PRE_AGGREGATE.length()))
                    instanceof AggregateStep a) {
                return java.util.Optional.of("pane partials (state format "
                        + dev.sluice.runtime.operator.PanePartial.STATE_FORMAT + ") of accumulators "
                        + a.calls().stream().map(StateResources::call).collect(Collectors.joining(", ", "[", "]")));
            }
        }
        return java.util.Optional.empty();
    }

    private static void add(Map<String, Resource> out, String name, Kind kind, String local, Map<String, Step> steps,
                            Map<String, Set<String>> owners) {
        Step step = owner(local, steps);
        if (step == null) {
            out.put(name, new Resource(name, kind, "?", List.of(), "?", "?"));
            return;
        }
        out.put(name, new Resource(name, kind, step.name(), List.copyOf(owners.get(step.name())), key(step),
                value(step, local)));
    }

    /** Resources are named {@code <step>-<role>}: the step with the longest such prefix. */
    private static Step owner(String resource, Map<String, Step> steps) {
        Step best = null;
        for (Step s : steps.values()) {
            if (resource.startsWith(s.name() + "-") && (best == null || s.name().length() > best.name().length())) {
                best = s;
            }
        }
        return best;
    }

    private static String key(Step step) {
        return types(step.keySchema());
    }

    /** What the bytes of a step's store or repartition topic mean: changes here block a resume. */
    private static String value(Step step, String resource) {
        String rows = "rows " + types(step.schema());
        return step.accept(new StepVisitor<String>() {
            @Override
            public String visitSource(SourceStep s) {
                return rows;
            }

            @Override
            public String visitTableSource(TableSourceStep t) {
                return rows;
            }

            @Override
            public String visitFilter(FilterStep f) {
                return rows;
            }

            @Override
            public String visitProject(ProjectStep p) {
                return rows;
            }

            @Override
            public String visitRekey(RekeyStep r) {
                return rows;
            }

            @Override
            public String visitAggregate(AggregateStep written) {
                // the builder runs ARRAY_AGG(x ORDER BY <constant>) as ARRAY_AGG(x): the layout is that call's
                AggregateStep a = dev.sluice.runtime.operator.ConstantSortKeys.normalize(written);
                // a processing-time window keeps (window, group) -> state in a key-value store
                return "window " + a.window().map(w -> w.kind() + " " + w.sizeMs() + "/" + w.advanceMs() + " ms grace "
                        + w.graceMs() + (w.processingTime() ? " over processing time" : "")).orElse("none") + ", emit " + a.emit() + ", accumulators "
                        + written.calls().stream().map(StateResources::call).collect(Collectors.joining(", ", "[", "]"))
                        // state format 21: ARRAY_AGG without its constant ORDER BY keys, or a constant's
                        // ARRAY_AGG(DISTINCT ... ORDER BY k) over a table or session counting its keys
                        + (dev.sluice.runtime.operator.ConstantSortKeys.dropsAny(written.calls())
                                || constantListCountsKeys(a)
                                ? " (ARRAY_AGG with a constant ORDER BY key in arrival order, or of a constant with"
                                + " DISTINCT keys counted beside the state, state format 21)" : "")
                        // state format 22: a stream GROUP BY's DISTINCT values, one entry per group and
                        // value (the calls that saw it as bits) where older versions kept one per call
                        + (a.kind() == AggregateStep.Kind.STREAM
                                && dev.sluice.runtime.operator.DistinctValues.appliesBesideMultisets(a.calls())
                                ? " (DISTINCT values one entry per group and value over <step>-distinct-store,"
                                + " state format 22)" : "")
                        // Sluice's own session operator keeps one entry per key (OpenSessions), not
                        // Kafka Streams' session store: an older application's store cannot be resumed
                        + (a.window().map(w -> w.kind() == dev.sluice.runtime.plan.WindowSpec.Kind.SESSION).orElse(false)
                                && resource.equals(a.name() + "-store")
                                ? ", sessions per key" : "")
                        // state format 24: Sluice's own TUMBLE/HOP EMIT FINAL operator keeps one entry per
                        // pane and key, time-major, not Kafka Streams' window store (and no suppress buffer)
                        + (dev.sluice.runtime.operator.WindowPanes.applies(a) && resource.equals(a.name() + "-store")
                                ? ", panes per key (state format " + dev.sluice.runtime.operator.WindowPanes.STATE_FORMAT
                                + ")" : "")
                        // state format 5 (a time window) or 9 (none), 11 with ORDER BY: ARRAY_AGG keeps a
                        // count in the state, its elements beside it
                        + (ListElements.applies(a) ? ", ARRAY_AGG elements in " + ListElements.storeName(a.name())
                                + " (state format " + ListElements.stateFormat(a.calls(), a.window().isPresent()) + ")"
                                : "")
                        // state format 9 (11 with ORDER BY or DISTINCT): a table's ARRAY_AGG counts and
                        // FIRST/LAST choices in the state
                        + (dev.sluice.runtime.operator.TableElements.applies(a) ? ", ARRAY_AGG elements and FIRST/LAST"
                                + " candidates in " + ListElements.storeName(a.name()) + " (state format "
                                + dev.sluice.runtime.operator.TableElements.stateFormat(a.calls()) + ")" : "")
                        // state format 10 (14 beside ORDER BY or DISTINCT lists, whose format the
                        // clauses above print): COLLECT_SET and HISTOGRAM keep a row count in the
                        // state, their values beside it
                        + (ListElements.setsInStore(a) || dev.sluice.runtime.operator.TableElements.setsInStore(a)
                                ? " (COLLECT_SET, HISTOGRAM values in " + ListElements.storeName(a.name()) + ")" : "")
                        // state format 6: percentiles and TOPK keep their values in <step>-values-store, their
                        // results in the state
                        + (dev.sluice.runtime.operator.Aggregation.multisetsInStore(a.calls(), a.window())
                                ? " (percentiles and TOPK over <step>-values-store)" : "")
                        // state format 8: a session's percentiles, TOPK and ARRAY_AGG keep their values
                        // per session in <step>-values-store
                        + (dev.sluice.runtime.operator.SessionCollections.applies(a)
                                ? " (session percentiles, TOPK and ARRAY_AGG over <step>-values-store, state format 8)" : "")
                        // state format 12: a session's COUNT_DISTINCT, ATTR and other DISTINCT calls too
                        + (dev.sluice.runtime.operator.SessionStateFormat.applies(a)
                                ? " (session COUNT_DISTINCT, ATTR and DISTINCT calls over <step>-values-store and"
                                + " <step>-distinct-store, state format 12)" : "")
                        // state format 16: a session's sets and sorted or DISTINCT lists there too
                        + (dev.sluice.runtime.operator.SessionCollections.applies(a)
                                && dev.sluice.runtime.operator.SessionStateFormat.format16(a.calls())
                                ? " (session COLLECT_SET, HISTOGRAM, ARRAY_AGG with ORDER BY or DISTINCT and"
                                + " FIRST/LAST(DISTINCT) over <step>-values-store, state format 16)" : "")
                        // state format 17: a session's STDDEV/VAR_*, CORRELATION, STDDEV_SAMPLE, APPROX_* DISTINCT too
                        + (dev.sluice.runtime.operator.SessionStateFormat.appliesFormat17(a)
                                ? " (session STDDEV/VAR_*, CORRELATION, STDDEV_SAMPLE and APPROX_* with DISTINCT over"
                                + " <step>-distinct-store and <step>-values-store, state format 17)" : "")
                        // state format 7: COUNT_DISTINCT, ATTR (and a table's APPROX_*) there too
                        + (dev.sluice.runtime.operator.StoredMultiset.countsInStore(a.calls(),
                                a.kind() == AggregateStep.Kind.TABLE, a.window())
                                ? " (COUNT_DISTINCT, ATTR, APPROX_* over <step>-values-store, state format 7)" : "")
                        // state format 13: DISTINCT calls' values there (a stream's percentiles, TOPK,
                        // COUNT_DISTINCT, ATTR; a table's STDDEV/VAR_*, CORRELATION, COUNT_IF, BOOL_*)
                        + (dev.sluice.runtime.operator.Aggregation.distinctBeside(a.calls(),
                                a.kind() == AggregateStep.Kind.TABLE, a.window())
                                ? " (DISTINCT values over <step>-values-store, state format 13)" : "")
                        // state format 20: a table's DISTINCT calls of every other retracting function there
                        // (STDDEV_SAMPLE, SUM_LIST, Java aggregates)
                        + (a.kind() == AggregateStep.Kind.TABLE && dev.sluice.runtime.operator.TableDistinctCalls
                                .stateFormat(a.calls()) == 20
                                ? " (DISTINCT values of STDDEV_SAMPLE, SUM_LIST, Java aggregates over <step>-values-store,"
                                + " state format 20)" : "")
                        // state format 15: COUNT_DISTINCT, ATTR over BYTES, VARIANT, ARRAY, MAP, ROW there too
                        + (dev.sluice.runtime.operator.StoredMultiset.keyedByEquality(a.calls(),
                                a.kind() == AggregateStep.Kind.TABLE)
                                ? " (COUNT_DISTINCT, ATTR by equality key over <step>-values-store, state format 15)" : "")
                        // state format 15 too: DISTINCT calls over a MAP or VARIANT keyed by equality
                        + (dev.sluice.runtime.operator.DistinctArgumentKeys.applies(a.calls(),
                                a.kind() == AggregateStep.Kind.TABLE, a.window())
                                ? " (DISTINCT values of MAP or VARIANT by equality key over <step>-distinct-store or"
                                + " <step>-values-store, state format 15)" : "")
                        // a table GROUP BY's repartition topic and previous-row store hold input rows
                        + (resource.endsWith("-repartition") || resource.endsWith("-previous-store")
                                ? ", rows " + types(a.input().schema()) : "");
            }

            @Override
            public String visitStreamTableJoin(StreamTableJoinStep j) {
                return inputRows(j);
            }

            @Override
            public String visitStreamStreamJoin(StreamStreamJoinStep j) {
                // a regular INNER join's own stores (RegularInnerJoinProcessor): one row per entry,
                // keyed by (join key, event time, arrival)
                return inputRows(j) + (resource.contains("-rows-store") ? ", " + REGULAR_INNER_ROWS : "");
            }

            @Override
            public String visitTableTableJoin(TableTableJoinStep j) {
                return inputRows(j);
            }

            @Override
            public String visitUnion(UnionStep u) {
                return rows;
            }

            @Override
            public String visitLagLead(LagLeadStep l) {
                return rows + ", calls " + l.calls().stream().map(c -> (c.lead() ? "LEAD" : "LAG") + "(" + c.offset()
                        + ")").collect(Collectors.joining(", ", "[", "]"));
            }

            @Override
            public String visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
                return rows + ", calls " + o.calls().stream().map(c -> c.function() + "(" + c.arguments() + "):"
                        + c.type().sql()).collect(Collectors.joining(", ", "[", "]")) + " " + o.frame().sql();
            }

            @Override
            public String visitRank(RankStep r) {
                return "rows " + types(r.input().schema()) + ", " + r.function() + " partition "
                        + r.partitionColumns() + " order " + r.orderBy() + " limit " + r.limit();
            }

            @Override
            public String visitDeduplicate(DeduplicateStep d) {
                return rows + (d.keepLast() ? ", keep last" : ", keep first");
            }

            @Override
            public String visitExplode(ExplodeStep e) {
                return rows;
            }

            @Override
            public String visitSuppress(SuppressStep s) {
                return rows;
            }
        });
    }

    private static String inputRows(Step step) {
        return step.inputs().stream().map(s -> types(s.schema())).collect(Collectors.joining(" | ", "rows ", ""));
    }

    /** A table's or session's {@code ARRAY_AGG(DISTINCT c ORDER BY k)} of a constant c: its keys counted in a store. */
    private static boolean constantListCountsKeys(AggregateStep a) {
        boolean session = a.window().map(w -> w.kind() == dev.sluice.runtime.plan.WindowSpec.Kind.SESSION).orElse(false);
        return (a.kind() == AggregateStep.Kind.TABLE && a.calls().size() <= Byte.MAX_VALUE
                || session && dev.sluice.runtime.operator.SessionDistinctValues.applies(a.calls()))
                && a.calls().stream().anyMatch(dev.sluice.runtime.operator.Aggregation::distinctConstantList);
    }

    private static String call(AggregateCall c) {
        return c.function() + (c.distinct() ? "(DISTINCT " : "(")
                + c.arguments().stream().map(a -> a.type().sql()).collect(Collectors.joining(", ")) + ")"
                + c.filter().map(f -> " FILTER").orElse("");
    }

    private static String types(Schema schema) {
        return schema.columns().stream().map(Column::type).map(t -> t.sql()).collect(Collectors.joining(", ", "(", ")"));
    }
}
