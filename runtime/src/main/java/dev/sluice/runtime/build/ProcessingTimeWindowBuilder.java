package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.operator.DistinctValues;
import dev.sluice.runtime.operator.ListElements;
import dev.sluice.runtime.operator.MultisetValues;
import dev.sluice.runtime.operator.ProcessingTimeWindowAggregate;
import dev.sluice.runtime.operator.ProcessingTimeWindowHelpers;
import dev.sluice.runtime.operator.ValueCounts;
import dev.sluice.runtime.operator.WallClockStamp;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windows;
import org.apache.kafka.streams.kstream.internals.TimeWindow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A GROUP BY over a processing-time window ({@link WindowSpec#processingTime()}): the input, already
 * keyed by the group key, goes through {@link ProcessingTimeWindowAggregate} ({@code <step>-aggregate})
 * with its store {@code <step>-store}, and the event-time window's helper stores for the calls that
 * keep values there (see {@link ProcessingTimeWindowHelpers}). With end-of-time heartbeats (replay), the heartbeat closes
 * every open window at the end of the input.
 */
final class ProcessingTimeWindowBuilder {
    private ProcessingTimeWindowBuilder() {
    }

    /** {@code keysDropped}: some ARRAY_AGG runs without its constant ORDER BY keys (state format 21). */
    static Built build(AggregateStep step, KStream<Row, Row> stream, Serde<Row> keySerde, BuildContext ctx,
                       boolean keysDropped) {
        WindowSpec window = step.window().orElseThrow();
        int keyWidth = step.groupKeys().size();
        if (ctx.options.endOfTimeHeartbeats()) {
            stream = EndOfTime.mergeInto(stream, step.name(), keyWidth, ctx);
        }
        String store = step.name() + "-store";
        ctx.streams.addStateStore(ProcessingTimeWindowAggregate.store(store, ctx.options.stateBackend()));
        if (!helpersApply(step, window)) {
            // every accumulator keeps its values in the state: a window's state is dropped whole
            // when it is emitted
            Aggregation aggregation = Aggregation.overStream(step.calls(), step.rowtimeColumn().orElse(-1),
                    ctx.functions, ctx.compiler, -1, -1);
            if (keysDropped) {
                aggregation.tagConstantListsBeside();
            }
            return new Built.Stream(stream.process(
                    () -> new ProcessingTimeWindowAggregate(store, aggregation, keySerde, window, keyWidth),
                    Named.as(step.name() + "-aggregate"), store));
        }
        return withHelpers(step, stream, keySerde, ctx, window, store, keysDropped);
    }

    /** Whether some call keeps its values in an event-time window's helper store. */
    private static boolean helpersApply(AggregateStep step, WindowSpec window) {
        return DistinctValues.appliesToWindow(step.calls(), window)
                || Aggregation.multisetsInStore(step.calls(), step.window()) || ListElements.applies(step);
    }

    /**
     * As the event-time window's aggregate: {@code <step>-wall-clock} stamps the row with the wall
     * clock, then {@code <step>-distinct}, {@code <step>-multisets} and {@code <step>-elements} (those
     * whose calls are present) fill their stores for the windows of that time, and the aggregate
     * deletes a window's entries when it emits it ({@link ProcessingTimeWindowHelpers}).
     */
    private static Built withHelpers(AggregateStep step, KStream<Row, Row> stream, Serde<Row> keySerde,
                                     BuildContext ctx, WindowSpec window, String store, boolean keysDropped) {
        int keyWidth = step.groupKeys().size();
        int width = step.input().schema().size();
        boolean distinct = DistinctValues.appliesToWindow(step.calls(), window);
        boolean multisets = Aggregation.multisetsInStore(step.calls(), step.window());
        boolean lists = ListElements.applies(step);
        Aggregation aggregation = Aggregation.overStream(step.calls(), step.rowtimeColumn().orElse(-1), ctx.functions,
                ctx.compiler, distinct ? width : -1, multisets ? width + (distinct ? 1 : 0) : -1, multisets);
        if (keysDropped) {
            aggregation.tagConstantListsBeside();
        }
        if (lists) {
            ListElements.keepListsInStore(step.calls(), aggregation, true);
        }
        // grace 0: a row stamped with the wall clock always lands in open windows
        Windows<TimeWindow> kafkaWindows = window.kind() == WindowSpec.Kind.CUMULATE
                ? new CumulativeWindows(window.advanceMs(), window.sizeMs(), 0)
                : window.kind() == WindowSpec.Kind.HOP
                ? TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(window.sizeMs()))
                        .advanceBy(Duration.ofMillis(window.advanceMs()))
                : TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(window.sizeMs()));
        stream = stream.processValues(WallClockStamp::new, Named.as(step.name() + "-wall-clock"));
        if (distinct) {
            // keyed by window start first: the aggregate deletes a window's values when it emits it
            ctx.streams.addStateStore(DistinctValues.processingTimeStore(step.name(), ctx.options.stateBackend()));
            stream = stream.processValues(
                    () -> DistinctValues.ofProcessingTime(step.name(), step.calls(), aggregation, keySerde, kafkaWindows),
                    Named.as(step.name() + "-distinct"), DistinctValues.storeName(step.name()));
        }
        if (multisets) {
            ctx.streams.addStateStore(ValueCounts.store(step.name(), ctx.options.stateBackend()));
            stream = stream.processValues(
                    () -> MultisetValues.of(step.name(), step.calls(), aggregation, keySerde, kafkaWindows),
                    Named.as(step.name() + "-multisets"), ValueCounts.storeName(step.name()));
        }
        if (lists) {
            ctx.streams.addStateStore(ListElements.store(step.name(), ctx.options.stateBackend()));
            stream = stream.processValues(
                    () -> ListElements.of(step.name(), step.calls(), aggregation, keySerde, kafkaWindows, false),
                    Named.as(step.name() + "-elements"), ListElements.storeName(step.name()));
        }
        ProcessingTimeWindowHelpers helpers = new ProcessingTimeWindowHelpers(step.name(), step.calls(),
                distinct ? DistinctValues.storeName(step.name()) : null,
                multisets ? ValueCounts.storeName(step.name()) : null,
                lists ? ListElements.storeName(step.name()) : null,
                window.kind() == WindowSpec.Kind.CUMULATE ? window.advanceMs() : 0);
        List<String> stores = new ArrayList<>(List.of(store));
        stores.addAll(helpers.storeNames());
        return new Built.Stream(stream.process(
                () -> new ProcessingTimeWindowAggregate(store, aggregation, keySerde, window, keyWidth, helpers),
                Named.as(step.name() + "-aggregate"), stores.toArray(String[]::new)));
    }
}
