package org.apache.kafka.streams.kstream.internals;

import dev.sluice.runtime.operator.HeapGroupStore;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Initializer;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.Set;

import static org.apache.kafka.streams.processor.internals.metrics.TaskMetrics.droppedRecordsSensor;

/**
 * A non-windowed stream GROUP BY as the DSL's {@code grouped.aggregate(...)} builds it (same
 * processor, store, repartition topic and changelog names; same store bytes), with each changed
 * group's state held on the heap between commits ({@link HeapGroupStore}) instead of serialized into
 * the record cache on every record and read back, with its old state, at the commit's flush.
 *
 * <p>With the record cache on, the store is a {@link HeapGroupStore} over the DSL's store without its
 * caching layer ({@link HeapGroupStoreMaterializer}); the first change of a group in a commit
 * interval works on a copy of the committed state when a downstream table asks for old states (the
 * committed one is sent as the old state at the flush), every later change of the interval in place.
 * With the cache off ({@code statestore.cache.max.bytes} 0, where Kafka Streams strips caching
 * layers) the store is the DSL's and the processor is Kafka Streams' own {@link KStreamAggregate}
 * with the DSL's aggregator: it writes and forwards every record, as before.
 *
 * <p>It lives in the DSL's package for {@link GroupedStreamAggregateBuilder} and
 * {@link KStreamAggProcessorSupplier}, as {@link GroupRowsTable}; {@code HeapGroupAggregateTest}
 * fails if a Kafka Streams upgrade changes what it relies on.
 */
public final class HeapGroupAggregate<K, V, S> implements KStreamAggProcessorSupplier<K, V, K, S> {
    /** How a group's state takes a record: a copy of the state, or the state itself. */
    public interface StateAdder<V, S> {
        /** A new state with {@code value} added; {@code state} itself stays as it was. */
        S add(V value, S state);

        /** {@code state} with {@code value} added in place (returned; null deletes the group). */
        S addInPlace(V value, S state);
    }

    private final KStreamAggregate<K, V, S> dsl;
    private final String storeName;
    private final Initializer<S> initializer;
    private final StateAdder<V, S> adder;
    private boolean sendOldValues;

    private HeapGroupAggregate(KStreamAggregate<K, V, S> dsl, String storeName, Initializer<S> initializer,
                               StateAdder<V, S> adder) {
        this.dsl = dsl;
        this.storeName = storeName;
        this.initializer = initializer;
        this.adder = adder;
    }

    /**
     * {@code grouped.aggregate(initializer, dslAggregator, named, materialized)}, with the heap path
     * when the record cache is on. {@code dslAggregator}: the aggregator Kafka Streams' processor uses
     * with the cache off (the caller's choice of {@code adder}'s two, as for the DSL).
     */
    @SuppressWarnings("unchecked")
    public static <K, V, S> KTable<K, S> aggregate(KGroupedStream<K, V> grouped, Initializer<S> initializer,
                                                   Aggregator<K, V, S> dslAggregator, StateAdder<V, S> adder,
                                                   Named named,
                                                   Materialized<K, S, KeyValueStore<Bytes, byte[]>> materialized) {
        KGroupedStreamImpl<K, V> impl = (KGroupedStreamImpl<K, V>) grouped;
        MaterializedInternal<K, S, KeyValueStore<Bytes, byte[]>> materializedInternal =
                new MaterializedInternal<>(materialized, impl.builder, KGroupedStreamImpl.AGGREGATE_NAME);
        if (materializedInternal.keySerde() == null) {
            materializedInternal.withKeySerde(impl.keySerde);
        }
        String name = new NamedInternal(named).orElseGenerateWithPrefix(impl.builder, KGroupedStreamImpl.AGGREGATE_NAME);
        HeapGroupStoreMaterializer<K, S> storeFactory = new HeapGroupStoreMaterializer<>(materializedInternal);
        HeapGroupAggregate<K, V, S> supplier = new HeapGroupAggregate<>(
                new KStreamAggregate<>(storeFactory, initializer, dslAggregator), storeFactory.storeName(), initializer,
                adder);
        // the builder the grouped stream's own aggregate would use (the repartition topic, if any, as named there)
        GroupedStreamAggregateBuilder<K, V> builder = new GroupedStreamAggregateBuilder<>(impl.builder,
                new GroupedInternal<>(Grouped.with(impl.userProvidedRepartitionTopicName, impl.keySerde, impl.valueSerde)),
                impl.repartitionRequired, impl.subTopologySourceNodes, impl.name, impl.graphNode);
        return builder.buildNonWindowed(new NamedInternal(name), storeFactory.storeName(), supplier,
                storeFactory.queryableStoreName(), storeFactory.keySerde(), storeFactory.valueSerde(), false);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return dsl.stores();
    }

    @Override
    public Processor<K, V, K, Change<S>> get() {
        return new Switch(dsl.get());
    }

    @Override
    public void enableSendingOldValues() {
        sendOldValues = true;
        dsl.enableSendingOldValues();
    }

    @Override
    public KTableValueGetterSupplier<K, S> view() {
        // reads the store through its outermost layer: a HeapGroupStore answers with the dirty states
        return dsl.view();
    }

    /** The heap path over a {@link HeapGroupStore}, else Kafka Streams' processor (the cache is off). */
    private final class Switch implements Processor<K, V, K, Change<S>> {
        private final Processor<K, V, K, Change<S>> dslProcessor;
        private HeapProcessor heap;

        Switch(Processor<K, V, K, Change<S>> dslProcessor) {
            this.dslProcessor = dslProcessor;
        }

        @Override
        public void init(ProcessorContext<K, Change<S>> context) {
            HeapGroupStore<K, S> store = heapStore(context.getStateStore(storeName));
            if (store == null) {
                dslProcessor.init(context);
            } else {
                heap = new HeapProcessor(context, store);
            }
        }

        @Override
        public void process(Record<K, V> record) {
            if (heap != null) {
                heap.process(record);
            } else {
                dslProcessor.process(record);
            }
        }

        @Override
        public void close() {
            if (heap == null) {
                dslProcessor.close();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, S> HeapGroupStore<K, S> heapStore(StateStore store) {
        // the processor context hands the store in a read-write decorator
        StateStore layer = store;
        while (!(layer instanceof HeapGroupStore) && layer instanceof WrappedStateStore<?, ?, ?> wrapped) {
            layer = wrapped.wrapped();
        }
        return layer instanceof HeapGroupStore ? (HeapGroupStore<K, S>) layer : null;
    }

    private final class HeapProcessor {
        private final HeapGroupStore<K, S> store;
        private final Sensor droppedRecords;

        HeapProcessor(ProcessorContext<K, Change<S>> context, HeapGroupStore<K, S> store) {
            this.store = store;
            this.droppedRecords = droppedRecordsSensor(Thread.currentThread().getName(), context.taskId().toString(),
                    (StreamsMetricsImpl) context.metrics());
            // the store forwards each flushed group from this processor's node, as the cache's flush does
            store.setFlushListener(new TimestampedCacheFlushListener<>(context), sendOldValues);
        }

        void process(Record<K, V> record) {
            if (record.key() == null || record.value() == null) {
                droppedRecords.record(); // as KStreamAggregate (which also logs it)
                return;
            }
            HeapGroupStore.Group<S> group = store.take(record.key());
            S next;
            long timestamp;
            boolean owned;
            if (group.state() == null) {
                next = adder.addInPlace(record.value(), initializer.apply());
                timestamp = record.timestamp();
                owned = true;
            } else {
                timestamp = Math.max(record.timestamp(), group.timestamp());
                if (group.owned()) {
                    next = adder.addInPlace(record.value(), group.state());
                } else if (sendOldValues) {
                    // the committed state is the old state the flush sends: change a copy
                    next = adder.add(record.value(), group.state());
                } else {
                    next = adder.addInPlace(record.value(), group.state());
                }
                // add may hand back its input unchanged (the end-of-time marker): still the committed object
                owned = group.committed() == null || next != group.committed().value();
            }
            group.update(next, timestamp, owned);
            store.putBack(record.key(), group);
        }
    }
}
