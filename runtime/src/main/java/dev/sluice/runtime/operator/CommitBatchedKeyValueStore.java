package dev.sluice.runtime.operator;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte store whose writes wait on the heap until the commit: each key's last value since the last
 * commit is written once, all of them in one {@code putAll} (RocksDB: one write batch instead of one
 * write per put), with one changelog record per key. Reads see the waiting writes. A key written
 * several times between two commits (a DISTINCT value whose entry gains a second call's bit, a
 * rollback) costs one store write and one changelog record instead of one per write.
 *
 * <p>Exactly-once: Kafka Streams flushes every {@link CachedStateStore} of a task in
 * {@code StreamTask#prepareCommit} ({@code ProcessorStateManager#flushCache}) before it flushes the
 * record collector and takes the offsets to commit, as it flushes {@code CachingKeyValueStore}'s dirty
 * entries, so the changelog records of a commit's writes are produced inside that commit's
 * transaction, and the store holds them before its offsets are checkpointed. {@link #clearCache} (a
 * task whose uncommitted work is thrown away) and a close drop the waiting writes: their records
 * are read again. The store is outermost (the processor's read-write decorator wraps it), so the
 * state manager, which flushes the store it was registered with, reaches it.
 *
 * <p>Scans ({@code range}, {@code all}, {@code prefixScan}) and the entry count first write what
 * waits, so they read the store as if every write had gone through. Bounded: more than
 * {@link #MAX_WAITING} waiting keys are written at once, as without this layer.
 */
public final class CommitBatchedKeyValueStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    /** Waiting keys beyond which the writes go to the store before the commit (about 10 MB of q16's). */
    static final int MAX_WAITING = 100_000;
    /** A delete waiting for the commit (a null value in the map would read as "not waiting"). */
    private static final byte[] DELETED = new byte[0];

    /** Each key's last write since the last commit, in first-write order. */
    private final LinkedHashMap<Bytes, byte[]> waiting = new LinkedHashMap<>();

    CommitBatchedKeyValueStore(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** {@code inner}'s stores, each wrapped in this layer. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
        return new CommitBatchedStoreBuilder(inner);
    }

    /** How many keys wait for the commit (tests). */
    int waitingKeys() {
        return waiting.size();
    }

    @Override
    public byte[] get(Bytes key) {
        byte[] value = waiting.get(key);
        if (value != null) {
            return value == DELETED ? null : value;
        }
        return wrapped().get(key);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        waiting.put(key, value == null ? DELETED : value);
        if (waiting.size() > MAX_WAITING) {
            writeWaiting();
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] current = get(key);
        put(key, null);
        return current;
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        writeWaiting();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        writeWaiting();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        writeWaiting();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        writeWaiting();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        writeWaiting();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        writeWaiting();
        return wrapped().approximateNumEntries();
    }

    /** The commit: the waiting writes go to the store (and its changelog) before the offsets. */
    @Override
    public void flushCache() {
        writeWaiting();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        waiting.clear();
        super.clearCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeWaiting(); // empty after flushCache; a commit without it must not lose writes
        super.commit(changelogOffsets);
    }

    @Override
    public void close() {
        // a clean close comes after the commit's flush; a dirty one must not write what it discards
        waiting.clear();
        super.close();
    }

    private void writeWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(waiting.size());
        for (Map.Entry<Bytes, byte[]> entry : waiting.entrySet()) {
            byte[] value = entry.getValue();
            entries.add(KeyValue.pair(entry.getKey(), value == DELETED ? null : value));
        }
        waiting.clear();
        wrapped().putAll(entries);
    }
}
