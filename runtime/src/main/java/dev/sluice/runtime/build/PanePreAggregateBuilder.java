package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.operator.PanePartial;
import dev.sluice.runtime.operator.PanePartials;
import dev.sluice.runtime.operator.PanePreAggregate;
import dev.sluice.runtime.operator.WindowPanes;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.internals.SluiceGraph;

import java.util.HashMap;
import java.util.Map;

/**
 * Local pre-aggregation of a TUMBLE/HOP EMIT FINAL aggregate on the pane path
 * ({@link PanePreAggregate}): the aggregate's re-key ({@code <step>-groupby}) writes pane partials
 * to its repartition topic instead of input rows, from the processor {@code <aggregate>-preaggregate}
 * with its commit hook {@code <aggregate>-preaggregate-store} ({@link PanePartials}), just before the
 * topic's sink; topic, sink and source keep their names. The aggregate merges them
 * ({@code PaneWindowAggregate}'s partial mode).
 */
final class PanePreAggregateBuilder {
    private PanePreAggregateBuilder() {
    }

    /**
     * The re-keys to pre-aggregate, each with its aggregate: a repartitioning re-key read by nothing
     * but an aggregate on the pane path whose calls all merge exactly ({@link WindowPanes#mergesExactly}).
     */
    static Map<Step, AggregateStep> plan(BuildContext ctx) {
        Map<Step, AggregateStep> out = new HashMap<>();
        if (!ctx.options.preAggregate()) {
            return out;
        }
        for (Step step : ctx.consumers.keySet()) {
            if (step instanceof AggregateStep a && a.input() instanceof RekeyStep r && !r.local()
                    && r.input().shape() == Step.Shape.STREAM && ctx.consumers.getOrDefault(r, 0) == 1
                    && AggregateBuilder.panePath(a, ctx.options) && WindowPanes.mergesExactly(a)) {
                out.put(r, a);
            }
        }
        return out;
    }

    /** Whether {@code aggregate} reads partials (its input re-key was pre-aggregated). */
    static boolean readsPartials(AggregateStep aggregate, BuildContext ctx) {
        return ctx.preAggregated.get(aggregate.input()) == aggregate;
    }

    /** The re-keyed stream {@code keyed} through the pre-aggregation and the re-key's topic. */
    static Built through(RekeyStep rekey, KStream<Row, Row> keyed, BuildContext ctx) {
        AggregateStep aggregate = ctx.preAggregated.get(rekey);
        String processor = aggregate.name() + "-preaggregate";
        String store = processor + "-store";
        ctx.streams.addStateStore(PanePartials.store(store));
        ctx.storeConnections.put(processor, store);
        Aggregation aggregation = aggregation(aggregate, ctx);
        var window = aggregate.window().orElseThrow();
        Repartitioned<Row, Row> topic = Repartitioned.<Row, Row>as(rekey.name())
                .withKeySerde(ctx.serdes.internal(rekey.keySchema()))
                .withValueSerde(PanePartial.serde(aggregation));
        return new Built.Stream(SluiceGraph.repartitionThrough(keyed, processor,
                () -> new PanePreAggregate(store, aggregation, window, PanePreAggregate.MAX_PARTIALS), topic));
    }

    /** The aggregation of a pane-path aggregate, as its builder makes it (no tags on that path). */
    static Aggregation aggregation(AggregateStep step, BuildContext ctx) {
        return Aggregation.overStream(step.calls(), step.rowtimeColumn().orElse(-1), ctx.functions, ctx.compiler, -1,
                -1, false);
    }
}
