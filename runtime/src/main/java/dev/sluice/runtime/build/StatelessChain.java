package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.CalcChain;
import dev.sluice.runtime.operator.CalcRekeyProcessor;
import dev.sluice.runtime.operator.CalcValuesProcessor;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.internals.SluiceGraph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Operator chaining: consecutive filters and projections of a stream, optionally ending in a re-key,
 * built as ONE processor named {@code <last step>-calc} instead of one per step (each DSL hop costs
 * a new record, a copy of its headers and a record context). A step read by more than one consumer
 * ends the chain below it (it is built once and shared); a table's steps keep their own processors
 * (a KTable filter needs each key's old row). Store and topic names do not change: a chain has no
 * store, and a re-key's repartition topic keeps its name. See docs/architecture.md, "Chained
 * stateless steps".
 */
final class StatelessChain {
    /** The suffix of a fused chain's processor name. */
    static final String SUFFIX = "-calc";

    private StatelessChain() {
    }

    /** How many steps (and sinks) read each step, over every plan; steps compared as the build shares them. */
    static Map<Step, Integer> consumers(List<QueryPlan> plans) {
        Map<Step, Integer> counts = new HashMap<>();
        java.util.Set<Step> seen = new java.util.HashSet<>();
        ArrayList<Step> todo = new ArrayList<>();
        for (QueryPlan plan : plans) {
            counts.merge(plan.root(), 1, Integer::sum);
            todo.add(plan.root());
        }
        while (!todo.isEmpty()) {
            Step step = todo.remove(todo.size() - 1);
            if (!seen.add(step)) {
                continue;
            }
            for (Step input : step.inputs()) {
                counts.merge(input, 1, Integer::sum);
                todo.add(input);
            }
        }
        return counts;
    }

    /**
     * {@code top} and the chain of steps below it as one processor, or empty when fewer than two
     * steps chain (a lone step is built as before). {@code build} builds the chain's input.
     */
    static Optional<Built> fuse(Step top, BuildContext ctx, Function<Step, Built> build) {
        if (!ctx.options.chainSteps() || !chainable(top)) {
            return Optional.empty();
        }
        List<Step> chain = new ArrayList<>();
        chain.add(top);
        Step below = top.inputs().get(0);
        while (valueStep(below) && ctx.consumers.getOrDefault(below, 0) == 1 && !ctx.built.containsKey(below)) {
            chain.add(below);
            below = below.inputs().get(0);
        }
        if (chain.size() < 2) {
            return Optional.empty();
        }
        Collections.reverse(chain);
        KStream<Row, Row> input = ((Built.Stream) build.apply(below)).stream();
        List<CalcChain.Stage> stages = new ArrayList<>();
        for (Step step : chain) {
            if (step instanceof FilterStep f) {
                stages.add(new CalcChain.Filter(f.name(), ctx.compiler.compile(f.predicate())));
            } else if (step instanceof ProjectStep p) {
                stages.add(new CalcChain.Project(p.name(), StatelessBuilder.columns(p, ctx)));
            }
        }
        CalcChain calc = new CalcChain(stages);
        Named name = Named.as(top.name() + SUFFIX);
        if (top instanceof RekeyStep r) {
            var newKey = StatelessBuilder.newKey(r, ctx);
            String keyProcessor = StatelessBuilder.keyProcessor(r);
            org.apache.kafka.streams.processor.api.ProcessorSupplier<Row, Row, Row, Row> processor =
                    () -> new CalcRekeyProcessor(calc, newKey, keyProcessor);
            if (r.local()) {
                return Optional.of(StatelessBuilder.repartition(r, input.process(processor, name), ctx));
            }
            if (ctx.preAggregated.containsKey(r)) {
                // the aggregate's pre-aggregation is the processor before the topic's sink, after the chain
                return Optional.of(PanePreAggregateBuilder.through(r, input.process(processor, name), ctx));
            }
            // the chain is the processor before the topic's sink, in place of the DSL's pass-through filter
            return Optional.of(new Built.Stream(SluiceGraph.repartitionThrough(input, top.name() + SUFFIX, processor,
                    StatelessBuilder.repartitioned(r, ctx))));
        }
        return Optional.of(new Built.Stream(input.processValues(() -> new CalcValuesProcessor(calc), name)));
    }

    /** A step that can end a chain: a stream's filter or projection, or the re-key of a stream. */
    private static boolean chainable(Step step) {
        return valueStep(step) || step instanceof RekeyStep r && r.input().shape() == Step.Shape.STREAM;
    }

    /** A filter or projection of a stream: it keeps the key and maps each record to at most one. */
    private static boolean valueStep(Step step) {
        return (step instanceof FilterStep || step instanceof ProjectStep) && step.shape() == Step.Shape.STREAM;
    }
}
