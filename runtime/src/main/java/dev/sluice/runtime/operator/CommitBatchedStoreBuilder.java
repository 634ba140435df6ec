package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A backend's key-value store builder whose stores come wrapped in {@link CommitBatchedKeyValueStore}:
 * the name, changelog and record-cache settings stay the inner builder's, so the topology and the
 * store's bytes are those of the inner store.
 */
final class CommitBatchedStoreBuilder extends WrappingStoreBuilder<KeyValueStore<Bytes, byte[]>, KeyValueStore<Bytes, byte[]>> {
    private final int maxWaiting;
    private final CommitBatchedKeyValueStore.Reads reads;

    CommitBatchedStoreBuilder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner, int maxWaiting,
                              CommitBatchedKeyValueStore.Reads reads) {
        super(inner);
        this.maxWaiting = maxWaiting;
        this.reads = reads;
    }

    @Override
    protected KeyValueStore<Bytes, byte[]> wrap(KeyValueStore<Bytes, byte[]> store) {
        return new CommitBatchedKeyValueStore(store, maxWaiting, reads);
    }
}
