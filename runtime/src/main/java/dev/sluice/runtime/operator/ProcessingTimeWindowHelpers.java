package dev.sluice.runtime.operator;

import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The helper stores an event-time window's aggregate keeps beside its state, used by a
 * processing-time window ({@link ProcessingTimeWindowAggregate}) as well, so that no accumulator
 * in its state grows with its group: DISTINCT calls' values in {@code <step>-distinct-store}
 * ({@link DistinctValues}; a key-value store keyed by window start first here, not a window store), percentiles / TOPK / COUNT_DISTINCT / ATTR in
 * {@code <step>-values-store} ({@link MultisetValues}), ARRAY_AGG / COLLECT_SET / HISTOGRAM
 * elements in {@code <step>-elements-store} ({@link ListElements}). Those processors run before the
 * aggregate, on rows stamped with the wall clock ({@link WallClockStamp}), so they put a row in the
 * very windows the aggregate does, in the same order. Each store name is null when its processor
 * does not run.
 *
 * <p>Unlike an event-time window, whose helper entries go when stream time passes the window (or
 * its store's retention), a processing-time window deletes them when it emits its row: the
 * punctuator, not a later record, closes it.
 */
public record ProcessingTimeWindowHelpers(String step, List<AggregateCall> calls, String distinctStore,
                                          String valuesStore, String elementsStore, long cumulateStep) {
    /**
     * The start the helper stores key window [start, end) by: its start, but a CUMULATE window's
     * synthetic start (period + end / step, as {@code CumulativeWindows} gives the helpers), since
     * the windows of a period share their start. {@code cumulateStep}: 0 for TUMBLE and HOP.
     */
    public long storedStart(long start, long end) {
        return cumulateStep == 0 ? start : start + (end - start) / cumulateStep;
    }

    /** The stores the aggregate reads and deletes from. */
    public List<String> storeNames() {
        List<String> names = new ArrayList<>();
        for (String name : new String[] {distinctStore, valuesStore, elementsStore}) {
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** The stores of one task, opened in the aggregate's {@code init}. */
    Open open(ProcessorContext<?, ?> context, Aggregation aggregation, Serde<Row> keySerde) {
        KeyValueStore<Bytes, byte[]> distinct = distinctStore == null ? null : context.getStateStore(distinctStore);
        KeyValueStore<Bytes, byte[]> values = valuesStore == null ? null : context.getStateStore(valuesStore);
        ListElementsReader elements = elementsStore == null ? null
                : ListElementsReader.of(context.getStateStore(elementsStore), step, calls, keySerde, false);
        return new Open(distinct, values, elements, aggregation, keySerde);
    }

    /** One task's helper stores. */
    final class Open {
        private final KeyValueStore<Bytes, byte[]> distinct;
        private final KeyValueStore<Bytes, byte[]> values;
        private final ListElementsReader elements;
        private final Aggregation aggregation;
        private final Serde<Row> keySerde;

        private Open(KeyValueStore<Bytes, byte[]> distinct, KeyValueStore<Bytes, byte[]> values,
                     ListElementsReader elements, Aggregation aggregation, Serde<Row> keySerde) {
            this.distinct = distinct;
            this.values = values;
            this.elements = elements;
            this.aggregation = aggregation;
            this.keySerde = keySerde;
        }

        /**
         * Window [start, end) of {@code group} emits its row {@code out}: the stored elements fill
         * it (and leave the elements store), its counted values leave the values store.
         */
        void emit(Row group, long start, long end, AggregateState state, Object[] out, int prefixWidth) {
            long stored = storedStart(start, end);
            if (elements != null) {
                elements.fill(new Windowed<>(group, new TimeWindow(stored, end)), state, out, prefixWidth);
            }
            if (values != null) {
                MultisetValues.deleteWindow(values, aggregation, keySerde.serializer().serialize(valuesStore, group),
                        stored, end);
            }
        }

        /**
         * Every group of the windows stored under {@code start} ({@link #storedStart}) has emitted: their distinct values
         * (keyed by window start first, across groups) leave the distinct store: one range scan
         * over exactly those entries.
         */
        void emitted(long start) {
            if (distinct != null) {
                DistinctValues.deleteWindow(distinct, start);
            }
        }
    }
}
