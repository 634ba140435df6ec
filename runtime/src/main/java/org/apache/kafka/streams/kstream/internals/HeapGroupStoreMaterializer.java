package org.apache.kafka.streams.kstream.internals;

import dev.sluice.runtime.operator.WrappingStoreBuilder;
import dev.sluice.runtime.operator.HeapGroupStore;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;


/**
 * The DSL's store of a stream aggregate ({@link KeyValueStoreMaterializer}: same name, supplier,
 * serdes and changelog), with a {@link HeapGroupStore} in place of its record cache when caching is
 * on. Kafka Streams turns caching off on every store factory when {@code statestore.cache.max.bytes}
 * is 0 ({@code InternalTopologyBuilder#rewriteTopology}): the store is then the DSL's, uncached, and
 * {@link HeapGroupAggregate} runs Kafka Streams' own processor over it. A store that is not a
 * timestamped key-value store (versioned, with headers) keeps the DSL's layers as they are.
 */
final class HeapGroupStoreMaterializer<K, S> extends KeyValueStoreMaterializer<K, S> {
    HeapGroupStoreMaterializer(MaterializedInternal<K, S, KeyValueStore<Bytes, byte[]>> materialized) {
        super(materialized);
    }

    @Override
    public StoreBuilder<?> builder() {
        StoreBuilder<?> dsl = super.builder();
        if (!materialized.cachingEnabled() || !(dsl instanceof org.apache.kafka.streams.state.internals.TimestampedKeyValueStoreBuilder<?, ?>)) {
            return dsl;
        }
        dsl.withCachingDisabled();
        return new HeapBuilder<>(dsl);
    }

    /** Builds the DSL's uncached store inside a {@link HeapGroupStore}. */
    private static final class HeapBuilder<T extends StateStore> extends WrappingStoreBuilder<T, StateStore> {
        HeapBuilder(StoreBuilder<T> inner) {
            super(inner);
        }

        @Override
        public StoreBuilder<StateStore> withCachingEnabled() {
            return this; // the heap layer is the cache
        }

        @Override
        public StoreBuilder<StateStore> withCachingDisabled() {
            throw new IllegalStateException("caching is decided before the heap layer is built");
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected StateStore wrap(T store) {
            return new HeapGroupStore<>((TimestampedKeyValueStore) store);
        }
    }
}
