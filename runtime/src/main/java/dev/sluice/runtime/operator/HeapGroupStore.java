package dev.sluice.runtime.operator;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.internals.Change;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorContextUtils;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream GROUP BY's store with each changed group's state kept as an object on the heap until the
 * commit, in place of the record cache: the aggregate ({@code HeapGroupAggregate}) takes a group's
 * {@link Group} out, changes its state without serializing it, and gives it back; at the commit each
 * dirty group is serialized once, all of them written in one {@code putAll} (RocksDB: one write
 * batch) with one changelog record each, and forwarded once as {@code Change(new, old)}, where old is
 * the state the group had at the previous commit, kept from the read that first loaded it in this
 * interval: no read of the old state at the flush, which the caching layer does.
 *
 * <p>What the caching layer it replaces did, it does: emission once per commit and changed group, in
 * the order of each group's last change (the cache's dirty-key order), each record with the record
 * context of the group's last update and the state's timestamp; reads ({@link #get}, a join's value
 * getter) see the dirty states; more than {@link #MAX_DIRTY} dirty groups are flushed at once, as a
 * full cache evicts. Exactly-once: Kafka Streams flushes every {@code CachedStateStore} of a task in
 * {@code StreamTask#prepareCommit} before it flushes the record collector and takes the offsets, so
 * the changelog records and the forwarded rows are in the commit's transaction; {@link #clearCache}
 * (a task whose uncommitted work is discarded) and a close drop the dirty states. The wrapped store
 * (metered, change-logging, RocksDB or in-memory; the record cache stripped) keeps the layout the
 * DSL wrote: same name, bytes and changelog.
 *
 * <p>Scans and the entry count flush first (as an early cache eviction would), so they read every
 * change; the aggregate is the only writer, so {@link #put} and the other writes are for completeness.
 */
public final class HeapGroupStore<K, S> extends WrappedStateStore<TimestampedKeyValueStore<K, S>, K, ValueAndTimestamp<S>>
        implements TimestampedKeyValueStore<K, S> {
    /** Dirty groups beyond which they are flushed before the commit (a full cache evicts too). */
    static final int MAX_DIRTY = 50_000;
    /** Committed states kept decoded after their flush, the most recently used (the cache keeps clean entries too). */
    static final int MAX_CLEAN = 30_000;

    /**
     * A group changed since the last commit. {@code committed}: its state at the last commit (null:
     * a new group); {@code state} and {@code timestamp}: its current state (null: deleted);
     * {@code owned}: whether {@code state} is an object of its own, which the aggregate may change in
     * place, rather than {@code committed}'s, which must stay as it was to be sent as the old state.
     */
    public static final class Group<S> {
        final ValueAndTimestamp<S> committed;
        S state;
        long timestamp;
        boolean owned;
        ProcessorRecordContext context;
        /** Its key, and its neighbours in the order of last change, while it is among the dirty groups. */
        Object key;
        Group<S> older;
        Group<S> newer;
        boolean dirty;

        Group(ValueAndTimestamp<S> committed) {
            this.committed = committed;
            if (committed != null) {
                this.state = committed.value();
                this.timestamp = committed.timestamp();
            }
        }

        /** The state at the last commit, or null for a group that was not in the store. */
        public ValueAndTimestamp<S> committed() {
            return committed;
        }

        /** The group's current state (null: absent). */
        public S state() {
            return state;
        }

        public long timestamp() {
            return timestamp;
        }

        /** Whether {@link #state} may be changed in place (it is not the committed state's object). */
        public boolean owned() {
            return owned;
        }

        /** The group's new state, its timestamp, and whether the state is the group's own object. */
        public void update(S next, long nextTimestamp, boolean nextOwned) {
            state = next;
            timestamp = nextTimestamp;
            owned = nextOwned;
        }
    }

    /**
     * The dirty groups by key. Their order, that of each group's last change (the cache's dirty-key
     * order), is a list through the groups from {@link #oldest} to {@link #newest}: a group changed
     * again moves to the end without a second hash lookup, where a map in insertion order took a
     * remove and a put (and a new map entry) per record.
     */
    private HashMap<K, Group<S>> dirty = new HashMap<>();
    private Group<S> oldest;
    private Group<S> newest;
    /**
     * States as the store holds them, kept after their group's flush, in access order: a group
     * changed again in a later interval (a hot one) is not read and decoded from the store again.
     */
    private final LinkedHashMap<K, ValueAndTimestamp<S>> clean = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, ValueAndTimestamp<S>> eldest) {
            return size() > MAX_CLEAN;
        }
    };
    private InternalProcessorContext<?, ?> context;
    private CacheFlushListener<K, ValueAndTimestamp<S>> listener;
    private boolean sendOldValues;

    public HeapGroupStore(TimestampedKeyValueStore<K, S> inner) {
        super(inner);
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        context = ProcessorContextUtils.asInternalProcessorContext(stateStoreContext);
        dropDirty();
        clean.clear(); // a restore writes below this layer
        super.init(stateStoreContext, root);
    }

    /** The aggregate's flush: it forwards each flushed group downstream from its own processor node. */
    @Override
    public boolean setFlushListener(CacheFlushListener<K, ValueAndTimestamp<S>> flushListener, boolean sendOld) {
        this.listener = flushListener;
        this.sendOldValues = sendOld;
        return true;
    }

    /**
     * The group of {@code key}, a dirty one (or loaded from the store) to be changed and handed back
     * with {@link #putBack}.
     */
    public Group<S> take(K key) {
        Group<S> group = dirty.get(key);
        if (group != null) {
            return group;
        }
        ValueAndTimestamp<S> committed = clean.remove(key);
        return new Group<>(committed != null ? committed : wrapped().get(key));
    }

    /** A group {@link #take}n and changed by the current record: dirty until the commit. */
    public void putBack(K key, Group<S> group) {
        group.context = context.recordContext();
        if (group.dirty) {
            unlink(group);
        } else {
            group.key = key;
            group.dirty = true;
            dirty.put(key, group);
        }
        append(group);
        if (dirty.size() > MAX_DIRTY) {
            flushDirty();
        }
    }

    @Override
    public ValueAndTimestamp<S> get(K key) {
        Group<S> group = dirty.get(key);
        if (group == null) {
            ValueAndTimestamp<S> committed = clean.get(key);
            return committed != null ? committed : wrapped().get(key);
        }
        return group.state == null ? null : ValueAndTimestamp.make(group.state, group.timestamp);
    }

    @Override
    public void put(K key, ValueAndTimestamp<S> value) {
        Group<S> group = dirty.remove(key);
        if (group != null) {
            unlink(group);
            group.dirty = false;
        }
        clean.remove(key);
        wrapped().put(key, value);
    }

    @Override
    public ValueAndTimestamp<S> putIfAbsent(K key, ValueAndTimestamp<S> value) {
        ValueAndTimestamp<S> current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, ValueAndTimestamp<S>>> entries) {
        for (KeyValue<K, ValueAndTimestamp<S>> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public ValueAndTimestamp<S> delete(K key) {
        ValueAndTimestamp<S> current = get(key);
        put(key, null);
        return current;
    }

    @Override
    public KeyValueIterator<K, ValueAndTimestamp<S>> range(K from, K to) {
        flushDirty();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, ValueAndTimestamp<S>> reverseRange(K from, K to) {
        flushDirty();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, ValueAndTimestamp<S>> all() {
        flushDirty();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<K, ValueAndTimestamp<S>> reverseAll() {
        flushDirty();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, ValueAndTimestamp<S>> prefixScan(P prefix,
                                                                                          PS prefixKeySerializer) {
        flushDirty();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        flushDirty();
        return wrapped().approximateNumEntries();
    }

    /** The commit: each dirty group written (one putAll) and forwarded once, before the offsets. */
    @Override
    public void flushCache() {
        flushDirty();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        dropDirty();
        clean.clear();
        super.clearCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        flushDirty(); // empty after flushCache; as the caching layer's, a commit without it loses nothing
        super.commit(changelogOffsets);
    }

    @Override
    public void close() {
        // a clean close comes after the commit's flush; a dirty one must not write what it discards
        dropDirty();
        clean.clear();
        super.close();
    }

    private void flushDirty() {
        if (dirty.isEmpty()) {
            return;
        }
        // a forwarded row may lead back here (a downstream read, a scan): the groups are out of the map first
        int count = dirty.size();
        Group<S> first = oldest;
        dirty = new HashMap<>();
        oldest = null;
        newest = null;
        List<KeyValue<K, ValueAndTimestamp<S>>> writes = new ArrayList<>(count);
        List<Group<S>> groups = new ArrayList<>(count);
        for (Group<S> group = first; group != null; group = group.newer) {
            group.dirty = false;
            // as the cache: a group neither stored before nor left now is no write and no change
            if (group.state != null || group.committed != null) {
                @SuppressWarnings("unchecked")
                K key = (K) group.key;
                writes.add(KeyValue.pair(key, current(group)));
                groups.add(group);
            }
        }
        wrapped().putAll(writes);
        for (KeyValue<K, ValueAndTimestamp<S>> write : writes) {
            if (write.value == null) {
                clean.remove(write.key);
            } else {
                clean.put(write.key, write.value);
            }
        }
        if (listener == null) {
            return;
        }
        ProcessorRecordContext current = context.recordContext();
        try {
            for (int i = 0; i < writes.size(); i++) {
                KeyValue<K, ValueAndTimestamp<S>> write = writes.get(i);
                Group<S> group = groups.get(i);
                context.setRecordContext(group.context);
                listener.apply(new Record<>(write.key,
                        new Change<>(write.value, sendOldValues ? group.committed : null),
                        group.context.timestamp(), group.context.headers()));
            }
        } finally {
            context.setRecordContext(current);
        }
    }

    /** Forgets the dirty groups (a discarded task, a close, a new init). */
    private void dropDirty() {
        dirty.clear();
        oldest = null;
        newest = null;
    }

    private void append(Group<S> group) {
        group.older = newest;
        group.newer = null;
        if (newest == null) {
            oldest = group;
        } else {
            newest.newer = group;
        }
        newest = group;
    }

    private void unlink(Group<S> group) {
        if (group.older == null) {
            oldest = group.newer;
        } else {
            group.older.newer = group.newer;
        }
        if (group.newer == null) {
            newest = group.older;
        } else {
            group.newer.older = group.older;
        }
        group.older = null;
        group.newer = null;
    }

    private static <S> ValueAndTimestamp<S> current(Group<S> group) {
        return group.state == null ? null : ValueAndTimestamp.make(group.state, group.timestamp);
    }
}
