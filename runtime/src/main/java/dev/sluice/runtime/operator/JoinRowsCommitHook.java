package dev.sluice.runtime.operator;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.List;

/**
 * The commit hook of a regular join's row store ({@link JoinRowStore}): the innermost layer of the
 * store (around RocksDB or the in-memory map), which passes every call through and, when Kafka
 * Streams flushes the task's store caches in {@code StreamTask#prepareCommit} (the call reaches it
 * through the metered and change-logging layers, which are {@code CachedStateStore}s that pass the
 * flush down), makes the {@link JoinRowStore} that holds this commit's rows on the heap write them
 * with one {@code putAll}. That write goes in at the top of the store, so its changelog records are
 * sent before the record collector's flush and the offsets: inside the commit's transaction, as
 * {@code CachingKeyValueStore} and {@link PanePartials} do. {@code clearCache} (a task whose
 * uncommitted work is thrown away) drops them: their records are read again.
 *
 * <p>A layer inside the store rather than a store of its own: the topology (stores, names,
 * changelog topics) stays what it was, and so does every byte stored.
 */
public final class JoinRowsCommitHook extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    private JoinRowStore holder;

    JoinRowsCommitHook(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** The hook inside {@code store} (the store a processor got from its context), null if it has none. */
    static JoinRowsCommitHook in(StateStore store) {
        if (store instanceof JoinRowsCommitHook hook) {
            return hook;
        }
        return store instanceof WrappedStateStore<?, ?, ?> wrapped ? wrapped.findInner(JoinRowsCommitHook.class) : null;
    }

    /** The rows a commit writes from now on: the task's current instance over this store. */
    void holdFor(JoinRowStore rows) {
        this.holder = rows;
    }

    @Override
    public void flushCache() {
        if (holder != null) {
            holder.flushPending();
        }
    }

    @Override
    public void clearCache() {
        if (holder != null) {
            holder.discardPending();
        }
    }

    @Override
    public void put(Bytes key, byte[] value) {
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        return wrapped().delete(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /** {@code inner}'s stores, each with this hook around it (same name and metrics scope). */
    public static KeyValueBytesStoreSupplier supplier(KeyValueBytesStoreSupplier inner) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new JoinRowsCommitHook(inner.get());
            }

            @Override
            public String metricsScope() {
                return inner.metricsScope();
            }
        };
    }
}
