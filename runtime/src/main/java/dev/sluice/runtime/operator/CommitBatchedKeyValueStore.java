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
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A byte store whose writes wait on the heap until the commit: each key's last value since the last
 * commit is written once, all of them in one {@code putAll} (RocksDB: one write batch instead of one
 * write per put), with one changelog record per key, in key order. A key written several times
 * between two commits (a DISTINCT value whose entry gains a second call's bit, a join key's head
 * that goes from one row to many) costs one store write and one changelog record instead of one
 * per write. Used by the unwindowed DISTINCT store ({@link DistinctValues#store}) and by a regular
 * join's two row stores ({@link JoinRowStores#store}), each with its own bound on the waiting keys.
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
 * <p>Reads see the waiting writes. A store read by key only ({@link Reads#POINT}: the DISTINCT store)
 * keeps them in a hash map and sorts them once at the commit: a sorted map cost q16 a tenth of its
 * stream thread in key comparisons, for an order only the commit's write needs. A store read by key
 * ranges ({@link Reads#RANGES}: a join's row stores) keeps them in the store's byte order (unsigned
 * lexicographic, {@link Bytes#compareTo}, as RocksDB's and the in-memory store's), so a key range
 * ({@code range}, {@code reverseRange}, {@code prefixScan}) is read as a merge of the store's range
 * with the waiting writes of that range ({@link WaitingWritesIterator}): a regular join's every
 * lookup of a join key with many rows is such a range. Whole-store scans ({@code all},
 * {@code reverseAll}) and the entry count write what waits first and then read the store: they are
 * rare (a join's expiry, a key filter's first question after a restore, a format upgrade; and any
 * range of a {@link Reads#POINT} store, which is asked none), and the
 * join's expiry, which then deletes through this layer, thus finds every row written. Whatever is
 * written before the commit, it is all that waits, at once, so the store below always holds the
 * writes up to some point, never a later write without an earlier one. Bounded: past
 * {@code maxWaiting} waiting keys they are all written at once, as without this layer.
 */
public final class CommitBatchedKeyValueStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    /** A delete waiting for the commit (a null value in the map would read as "not waiting"). */
    private static final byte[] DELETED = new byte[0];
    private static final java.util.Comparator<KeyValue<Bytes, byte[]>> BY_KEY = (a, b) -> a.key.compareTo(b.key);

    /** How the store's readers read it, which decides how the waiting writes are kept. */
    public enum Reads {
        /** By key only: the waiting writes in a hash map; a range writes them first. */
        POINT,
        /** By key ranges too: the waiting writes in the store's byte order, merged into ranges. */
        RANGES
    }

    /** Each key's last write since the last commit. */
    private final Map<Bytes, byte[]> waiting;
    /** {@link #waiting} itself, in the store's byte order, for {@link Reads#RANGES}; else null. */
    private final NavigableMap<Bytes, byte[]> sorted;
    private final int maxWaiting;

    CommitBatchedKeyValueStore(KeyValueStore<Bytes, byte[]> inner, int maxWaiting) {
        this(inner, maxWaiting, Reads.RANGES);
    }

    CommitBatchedKeyValueStore(KeyValueStore<Bytes, byte[]> inner, int maxWaiting, Reads reads) {
        super(inner);
        this.maxWaiting = maxWaiting;
        if (reads == Reads.RANGES) {
            this.sorted = new TreeMap<>();
            this.waiting = sorted;
        } else {
            this.sorted = null;
            this.waiting = new HashMap<>();
        }
    }

    /** {@code inner}'s stores, each wrapped in this layer holding at most {@code maxWaiting} keys. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner,
                                                                     int maxWaiting, Reads reads) {
        return new CommitBatchedStoreBuilder(inner, maxWaiting, reads);
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
        if (waiting.size() > maxWaiting) {
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

    /** The store's entries in [from, to] (null: unbounded) with the waiting writes among them. */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        if (sorted == null) {
            writeWaiting();
            return wrapped().range(from, to);
        }
        return merged(wrapped().range(from, to), waitingBetween(from, to), true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        if (sorted == null) {
            writeWaiting();
            return wrapped().reverseRange(from, to);
        }
        return merged(wrapped().reverseRange(from, to), waitingBetween(from, to).descendingMap(), false);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        if (sorted == null) {
            writeWaiting();
        }
        KeyValueIterator<Bytes, byte[]> stored = wrapped().prefixScan(prefix, prefixKeySerializer);
        if (waiting.isEmpty()) {
            return stored;
        }
        // serialized as the backends serialize it (no topic); the keys that start with it follow it
        byte[] start = prefixKeySerializer.serialize(null, prefix);
        List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>();
        for (Map.Entry<Bytes, byte[]> e : sorted.tailMap(Bytes.wrap(start), true).entrySet()) {
            byte[] key = e.getKey().get();
            if (key.length < start.length || !Arrays.equals(key, 0, start.length, start, 0, start.length)) {
                break;
            }
            writes.add(written(e));
        }
        return writes.isEmpty() ? stored : new WaitingWritesIterator(stored, writes, true);
    }

    /** Writes what waits first: a whole-store scan reads the store as if every write had gone through. */
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

    /** The waiting writes in [from, to] (null: unbounded); none when from is past to, as the stores answer. */
    private NavigableMap<Bytes, byte[]> waitingBetween(Bytes from, Bytes to) {
        if (waiting.isEmpty() || from != null && to != null && from.compareTo(to) > 0) {
            return Collections.emptyNavigableMap();
        }
        NavigableMap<Bytes, byte[]> between = sorted;
        if (from != null) {
            between = between.tailMap(from, true);
        }
        return to == null ? between : between.headMap(to, true);
    }

    /**
     * {@code stored} with {@code writes} (in the iterator's order) merged in; the writes are copied
     * now, so that writes while the caller iterates do not disturb it (Kafka Streams' record cache
     * copies its range too).
     */
    private static KeyValueIterator<Bytes, byte[]> merged(KeyValueIterator<Bytes, byte[]> stored,
                                                          NavigableMap<Bytes, byte[]> writes, boolean forward) {
        if (writes.isEmpty()) {
            return stored;
        }
        List<KeyValue<Bytes, byte[]>> copy = new ArrayList<>();
        for (Map.Entry<Bytes, byte[]> e : writes.entrySet()) {
            copy.add(written(e));
        }
        return new WaitingWritesIterator(stored, copy, forward);
    }

    /** A waiting write as the merge takes it: a deletion has a null value. */
    private static KeyValue<Bytes, byte[]> written(Map.Entry<Bytes, byte[]> waiting) {
        byte[] value = waiting.getValue();
        return KeyValue.pair(waiting.getKey(), value == DELETED ? null : value);
    }

    private void writeWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(waiting.size());
        for (Map.Entry<Bytes, byte[]> entry : waiting.entrySet()) {
            entries.add(written(entry));
        }
        if (sorted == null) {
            // RocksDB's memtable takes a batch in key order faster (each insert next to the last);
            // one sort of the batch costs far less than keeping every write sorted
            entries.sort(BY_KEY);
        }
        waiting.clear();
        wrapped().putAll(entries);
    }
}
