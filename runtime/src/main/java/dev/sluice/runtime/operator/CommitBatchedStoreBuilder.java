package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;

/**
 * A backend's key-value store builder whose stores come wrapped in {@link CommitBatchedKeyValueStore}:
 * the name, changelog and record-cache settings stay the inner builder's, so the topology and the
 * store's bytes are those of the inner store.
 */
final class CommitBatchedStoreBuilder implements StoreBuilder<KeyValueStore<Bytes, byte[]>> {
    private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;
    private final int maxWaiting;

    CommitBatchedStoreBuilder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner, int maxWaiting) {
        this.inner = inner;
        this.maxWaiting = maxWaiting;
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingEnabled() {
        inner.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingDisabled() {
        inner.withCachingDisabled();
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> build() {
        return new CommitBatchedKeyValueStore(inner.build(), maxWaiting);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
