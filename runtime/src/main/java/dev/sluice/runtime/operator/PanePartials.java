package dev.sluice.runtime.operator;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.Map;

/**
 * The commit hook of {@link PanePreAggregate}: a store that holds nothing itself (the partials are
 * on the processor's heap) and whose cache flush makes the processor forward them. Kafka Streams
 * flushes every {@link CachedStateStore} of a task in {@code StreamTask#prepareCommit} (through
 * {@code ProcessorStateManager#flushCache}), before it flushes the record collector and takes the
 * offsets to commit, exactly as a caching store's flush listener forwards its dirty entries
 * ({@code CachingKeyValueStore}, {@code TimestampedCacheFlushListener}): so the partials of the
 * records whose offsets a commit covers are produced inside that commit's transaction. A suspended,
 * revoked or cleanly closed task is committed the same way first. {@code clearCache} (a task whose
 * uncommitted work is thrown away) drops them: their records are read again.
 *
 * <p>Not changelogged and on no state backend: nothing in it outlives a commit.
 */
public final class PanePartials implements StateStore, CachedStateStore<Object, Object> {
    /** What the processor does at a flush and at a discard. */
    public interface Holder {
        /** Forwards every partial held, in timestamp order. */
        void forwardAll();

        /** Forgets every partial held without forwarding it. */
        void discardAll();
    }

    private final String name;
    private Holder holder;
    private boolean open;

    PanePartials(String name) {
        this.name = name;
    }

    /** The processor whose partials a commit forwards (the task's one instance of it). */
    void holdFor(Holder holder) {
        this.holder = holder;
    }

    @Override
    public void flushCache() {
        if (holder != null) {
            holder.forwardAll();
        }
    }

    @Override
    public void clearCache() {
        if (holder != null) {
            holder.discardAll();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false; // no DSL operator listens: the processor forwards itself
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            // nothing to restore: no changelog
        });
        open = true;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The store's builder: always without changelog and without record cache (it is a cache of its own). */
    public static StoreBuilder<PanePartials> store(String name) {
        return new Builder(name);
    }

    private record Builder(String name) implements StoreBuilder<PanePartials> {
        @Override
        public StoreBuilder<PanePartials> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<PanePartials> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<PanePartials> withLoggingEnabled(Map<String, String> config) {
            return this;
        }

        @Override
        public StoreBuilder<PanePartials> withLoggingDisabled() {
            return this;
        }

        @Override
        public PanePartials build() {
            return new PanePartials(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
