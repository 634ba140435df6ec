package dev.sluice.runtime.operator;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;

/**
 * A store builder whose stores are another builder's, wrapped in a layer of Sluice's: the name and
 * the changelog settings stay the inner builder's, so the topology, the changelog topic and the
 * store's bytes are the inner store's. Caching goes to the inner builder too unless a subclass says
 * otherwise (a layer that is itself the cache).
 */
public abstract class WrappingStoreBuilder<I extends StateStore, T extends StateStore> implements StoreBuilder<T> {
    protected final StoreBuilder<I> inner;

    protected WrappingStoreBuilder(StoreBuilder<I> inner) {
        this.inner = inner;
    }

    /** The layer around one store the inner builder built. */
    protected abstract T wrap(I store);

    @Override
    public final T build() {
        return wrap(inner.build());
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        inner.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        inner.withCachingDisabled();
        return this;
    }

    @Override
    public final StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public final StoreBuilder<T> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public final Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public final boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public final String name() {
        return inner.name();
    }
}
