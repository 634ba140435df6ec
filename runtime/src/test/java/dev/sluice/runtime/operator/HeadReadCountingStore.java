package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.List;
import java.util.function.Supplier;

/**
 * A regular join's bytes store (RocksDB or in-memory) that counts the point reads of join keys'
 * heads ({@link JoinRowKeys#isHead}) that reach it: what the heap cache and the key filter of
 * {@link JoinRowStore} are there to save.
 */
final class HeadReadCountingStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    private long headReads;

    HeadReadCountingStore(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** A supplier of one counting store over the store {@code inner} supplies (asked once per driver). */
    static KeyValueBytesStoreSupplier supplier(KeyValueBytesStoreSupplier inner, Supplier<HeadReadCountingStore[]> slot) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                HeadReadCountingStore store = new HeadReadCountingStore(inner.get());
                slot.get()[0] = store;
                return store;
            }

            @Override
            public String metricsScope() {
                return inner.metricsScope();
            }
        };
    }

    long headReads() {
        return headReads;
    }

    @Override
    public byte[] get(Bytes key) {
        if (JoinRowKeys.isHead(key.get())) {
            headReads++;
        }
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
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
}
