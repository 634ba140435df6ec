package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link JoinRowStore} of each of one regular join's two stores, per task. A side's processor
 * writes its own store and reads the other side's, so both processors must go through one instance
 * per store for its heap cache of heads ({@link JoinHeadCache}) to see every write. A processor
 * opens its own store's instance in {@code init} (a fresh one, with an empty cache, each time: a
 * restarted or revived task may hold other rows than the cache saw) and finds the other side's once
 * both are initialised, which Kafka Streams does for all of a task's processors before its first record.
 * A fresh instance also forgets the heads of writes a task threw away (the store layer's
 * {@code clearCache}): Kafka Streams initialises the processors again before the task's next record.
 */
public final class JoinRowStores {
    /** Entries of a join's store waiting for the commit at most: past it they are written at once. */
    static final int MAX_WAITING = 10_000;

    private record Slot(TaskId task, String store) {
    }

    private final Map<Slot, JoinRowStore> open = new ConcurrentHashMap<>();
    private final int cacheEntries;

    public JoinRowStores() {
        this(JoinHeadCache.MAX_ENTRIES);
    }

    /** With head caches of at most {@code cacheEntries} keys (tests make them tiny, to evict often). */
    JoinRowStores(int cacheEntries) {
        this.cacheEntries = cacheEntries;
    }

    /**
     * One side's row store of a regular join: the backend's changelogged store without record cache
     * (nearly every key is new: a cache would absorb almost no write and turn each range scan into
     * a merge), written behind until each commit ({@link CommitBatchedKeyValueStore}): a commit
     * writes the rows and heads of its interval with one {@code putAll}.
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, StateBackend backend) {
        return CommitBatchedKeyValueStore.builder(backend.keyValue(name).withCachingDisabled(), MAX_WAITING,
                CommitBatchedKeyValueStore.Reads.RANGES);
    }

    /** A new instance over {@code store}, the one both processors of {@code task} use from now on. */
    JoinRowStore open(TaskId task, String name, KeyValueStore<Bytes, byte[]> store) {
        JoinRowStore rows = new JoinRowStore(store, name, new JoinHeadCache(cacheEntries, JoinHeadCache.MAX_BYTES));
        open.put(new Slot(task, name), rows);
        return rows;
    }

    /** The instance {@link #open} made last for {@code task}'s store {@code name}. */
    JoinRowStore of(TaskId task, String name) {
        JoinRowStore rows = open.get(new Slot(task, name));
        if (rows == null) {
            throw new IllegalStateException("The regular join store " + name + " of task " + task
                    + " was not opened by its side's processor");
        }
        return rows;
    }

    /** Forgets {@code rows} when its processor closes (unless a newer instance replaced it). */
    void close(TaskId task, String name, JoinRowStore rows) {
        open.remove(new Slot(task, name), rows);
    }
}
