package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side's rows of a regular inner join ({@link RegularInnerJoinProcessor}) in its key-value
 * store, state format {@link #FORMAT}: every join key that has rows has a head entry under its
 * prefix ({@link JoinRowKeys#prefix}). While the key has one row, the head holds that row (its
 * event time, arrival number and bytes), so a lookup is one point read, which RocksDB's bloom
 * filters answer cheaply for a key without rows. From the second row on, the head says "many" and
 * the rows are row entries ({@link JoinRowKeys#rowKey}) after it, read with a range scan as before.
 * A join key like q4's auction id, with one row on one side, is thus read without an iterator.
 * The heads of recently used keys are also kept on the heap ({@link JoinHeadCache}), so a hit
 * reads nothing from RocksDB; both sides' processors share this instance ({@link JoinRowStores}).
 * A key that misses the cache is looked for in a membership filter of the keys that have had a
 * head ({@link KnownStoreKeys}) before the store: a key never written (most of q7's bid prices, new
 * on their own side and absent on the other) is answered "no rows" without a RocksDB read.
 *
 * <p>The store {@link JoinRowStores#store} builds is written behind ({@link CommitBatchedKeyValueStore}):
 * the rows and heads written since the last commit wait on the heap, in the store's byte order, and
 * every lookup reads them with the store (a head from the waiting writes before the store, a range
 * as a merge of their sub-range with the store's); the commit writes them with one {@code putAll}
 * (one RocksDB write batch instead of a write per row; the same entries and changelog records as
 * written through). This class only reads and writes a key-value store.
 *
 * <p>Format 23 replaced the layout without heads (row entries only); a store of that layout, known
 * by the arrival counter without the format entry, is upgraded in place on the first record.
 */
final class JoinRowStore {
    /** The state format of this layout (the number reserved for it among Sluice's stored forms). */
    static final byte FORMAT = 23;
    /** The format entry's key: one byte, like the arrival counter's, so no row or head equals it. */
    static final Bytes FORMAT_KEY = Bytes.wrap(new byte[] {1});
    private static final byte SINGLE = 1;
    private static final byte MANY = 2;
    private static final int SINGLE_HEADER = 17;

    /** Receives one stored row of a lookup: its event time and serialized row. */
    interface Match {
        void accept(long timestamp, byte[] row);
    }

    /** Receives one stored row of a lookup with its arrival number (the order rows of one time arrived in). */
    interface ArrivalMatch {
        void accept(long timestamp, long arrival, byte[] row);
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private final String name;
    private boolean formatChecked;
    /** The heads of recently used join keys, kept equal to the store: every write goes through here. */
    private final JoinHeadCache heads;
    /**
     * The join keys that have had a head: filled by one scan of the store's heads at the first
     * question (after a restart or restore, from the store as it is), then by every head written.
     * A key whose rows expired stays in it, which only costs the read it would have cost anyway.
     */
    private final KnownStoreKeys<Bytes> knownHeads;
    private static final byte[] MANY_HEAD = {MANY};

    JoinRowStore(KeyValueStore<Bytes, byte[]> store, String name) {
        this(store, name, new JoinHeadCache());
    }

    JoinRowStore(KeyValueStore<Bytes, byte[]> store, String name, JoinHeadCache heads) {
        this.store = store;
        this.name = name;
        this.heads = heads;
        this.knownHeads = KnownStoreKeys.ofBytes(store, key -> JoinRowKeys.isHead(key.get()));
    }

    /**
     * Makes sure this store is of {@link #FORMAT}: a store written before the format entry existed
     * (it has the arrival counter) is upgraded, one of a later format is refused. Run on the first
     * record, not in {@code init}: a store write needs a record context for its changelog record.
     */
    void checkFormat() {
        if (formatChecked) {
            return;
        }
        formatChecked = true;
        byte[] format = store.get(FORMAT_KEY);
        if (format == null) {
            if (store.get(ArrivalSequence.KEY) != null) {
                upgradeRowsWithoutHeads();
            }
            store.put(FORMAT_KEY, new byte[] {FORMAT});
        } else if (format.length != 1 || format[0] != FORMAT) {
            throw new IllegalStateException("The regular join store " + name + " holds state format "
                    + (format.length == 1 ? format[0] : "?") + ", which this Sluice (format " + FORMAT
                    + ") cannot read: run the version that wrote it, or reset the application's state");
        }
    }

    /** Stores a row of the join key {@code prefix}. */
    void add(byte[] prefix, long timestamp, long arrival, byte[] row) {
        add(new JoinHeadCache.Key(prefix), timestamp, arrival, row);
    }

    /** Stores a row of the join key {@code key}. */
    void add(JoinHeadCache.Key key, long timestamp, long arrival, byte[] row) {
        byte[] prefix = key.prefix;
        byte[] current = head(key);
        if (current == null) {
            byte[] single = single(timestamp, arrival, row);
            Bytes head = Bytes.wrap(prefix);
            knownHeads.add(head);
            store.put(head, single);
            heads.put(key, single);
            return;
        }
        if (current[0] == SINGLE) {
            store.put(JoinRowKeys.rowKey(prefix, singleTimestamp(current), singleArrival(current)), singleRow(current));
            store.put(Bytes.wrap(prefix), MANY_HEAD);
            heads.put(key, MANY_HEAD);
        }
        store.put(JoinRowKeys.rowKey(prefix, timestamp, arrival), row);
    }

    /**
     * The stored head of {@code key} (null if it has no rows), from the cache when it holds it, and
     * null without a read for a key that never had a head (not cached: the filter answers it again).
     */
    private byte[] head(JoinHeadCache.Key key) {
        byte[] cached = heads.get(key);
        if (cached != null) {
            return cached == JoinHeadCache.ABSENT ? null : cached;
        }
        Bytes prefix = Bytes.wrap(key.prefix);
        if (!knownHeads.mightContain(prefix)) {
            return null;
        }
        byte[] stored = store.get(prefix);
        heads.put(key, stored == null ? JoinHeadCache.ABSENT : stored);
        return stored;
    }

    /** Hands over the rows of {@code prefix} with event times in [from, to], in (time, arrival) order. */
    void forEach(byte[] prefix, long from, long to, Match match) {
        forEach(new JoinHeadCache.Key(prefix), from, to, match);
    }

    /** Hands over the rows of {@code key} with event times in [from, to], in (time, arrival) order. */
    void forEach(JoinHeadCache.Key key, long from, long to, Match match) {
        forEach(key, from, to, (ArrivalMatch) (timestamp, arrival, row) -> match.accept(timestamp, row));
    }

    /** As {@link #forEach(JoinHeadCache.Key, long, long, Match)}, with each row's arrival number. */
    void forEach(JoinHeadCache.Key key, long from, long to, ArrivalMatch match) {
        byte[] prefix = key.prefix;
        byte[] head = head(key);
        if (head == null) {
            return;
        }
        if (head[0] == SINGLE) {
            long ts = singleTimestamp(head);
            if (ts >= from && ts <= to) {
                match.accept(ts, singleArrival(head), singleRow(head));
            }
            return;
        }
        try (KeyValueIterator<Bytes, byte[]> rows = store.range(JoinRowKeys.lowerBound(prefix, from),
                JoinRowKeys.upperBound(prefix, to))) {
            while (rows.hasNext()) {
                KeyValue<Bytes, byte[]> row = rows.next();
                byte[] rowKey = row.key.get();
                match.accept(JoinRowKeys.timestamp(rowKey), JoinRowKeys.arrival(rowKey), row.value);
            }
        }
    }

    /**
     * Deletes the rows older than {@code before}. A key left with no row loses its head; one left
     * with a single row gets it back into its head, so its lookups are point reads again. The scan
     * reads the whole store, which {@link CommitBatchedKeyValueStore} answers by writing the rows
     * waiting for the commit first, as a store written through would hold them: the scan meets
     * every row. Its deletions and heads are then written as one {@code putAll} (a deletion is a
     * null value: no read of the old value per key), which waits for the commit like any write.
     */
    void expire(long before) {
        heads.clear();
        List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>();
        ManyGroup group = null;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> e = all.next();
                byte[] key = e.key.get();
                if (JoinRowKeys.isRow(key) && group != null) {
                    if (JoinRowKeys.timestamp(key) < before) {
                        writes.add(KeyValue.pair(e.key, null));
                    } else {
                        group.survived(e);
                    }
                    continue;
                }
                if (group != null) {
                    group.finish(writes);
                    group = null;
                }
                if (!JoinRowKeys.isHead(key)) {
                    continue; // the arrival counter or the format entry
                }
                if (e.value[0] == MANY) {
                    group = new ManyGroup(e.key);
                } else if (singleTimestamp(e.value) < before) {
                    writes.add(KeyValue.pair(e.key, null));
                }
            }
        }
        if (group != null) {
            group.finish(writes);
        }
        // the heads written are of keys that had one (a lone survivor back in its head): already known
        store.putAll(writes);
    }

    /** A "many" head met while expiring, and the rows of its key that stay. */
    private static final class ManyGroup {
        private final Bytes head;
        private int survivors;
        private KeyValue<Bytes, byte[]> last;

        ManyGroup(Bytes head) {
            this.head = head;
        }

        void survived(KeyValue<Bytes, byte[]> row) {
            survivors++;
            last = row;
        }

        /** Adds the group's writes: its head deleted (no survivor), or its lone survivor moved into it. */
        void finish(List<KeyValue<Bytes, byte[]>> writes) {
            if (survivors == 0) {
                writes.add(KeyValue.pair(head, null));
            } else if (survivors == 1) {
                byte[] key = last.key.get();
                writes.add(KeyValue.pair(last.key, null));
                byte[] lone = single(JoinRowKeys.timestamp(key), JoinRowKeys.arrival(key), last.value);
                writes.add(KeyValue.pair(head, lone));
            }
        }
    }

    /** Gives the row entries of the layout before format 23 their heads (a lone row moves into it). */
    private void upgradeRowsWithoutHeads() {
        List<KeyValue<Bytes, byte[]>> puts = new ArrayList<>();
        List<Bytes> deletes = new ArrayList<>();
        byte[] prefix = null;
        List<KeyValue<Bytes, byte[]>> rows = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> e = all.next();
                byte[] key = e.key.get();
                if (!JoinRowKeys.isRow(key)) {
                    continue;
                }
                byte[] keyPrefix = Arrays.copyOf(key, key.length - JoinRowKeys.SUFFIX);
                if (prefix != null && !Arrays.equals(prefix, keyPrefix)) {
                    headFor(prefix, rows, puts, deletes);
                    rows.clear();
                }
                prefix = keyPrefix;
                rows.add(e);
            }
        }
        if (prefix != null) {
            headFor(prefix, rows, puts, deletes);
        }
        deletes.forEach(store::delete);
        puts.forEach(p -> {
            knownHeads.add(p.key); // every head here is new
            store.put(p.key, p.value);
        });
        heads.clear();
    }

    private static void headFor(byte[] prefix, List<KeyValue<Bytes, byte[]>> rows, List<KeyValue<Bytes, byte[]>> puts,
                                List<Bytes> deletes) {
        if (rows.size() == 1) {
            byte[] key = rows.get(0).key.get();
            deletes.add(rows.get(0).key);
            puts.add(KeyValue.pair(Bytes.wrap(prefix),
                    single(JoinRowKeys.timestamp(key), JoinRowKeys.arrival(key), rows.get(0).value)));
        } else {
            puts.add(KeyValue.pair(Bytes.wrap(prefix), new byte[] {MANY}));
        }
    }

    private static byte[] single(long timestamp, long arrival, byte[] row) {
        return ByteBuffer.allocate(SINGLE_HEADER + row.length).put(SINGLE).putLong(timestamp).putLong(arrival).put(row)
                .array();
    }

    private static long singleTimestamp(byte[] head) {
        return ByteBuffer.wrap(head, 1, 8).getLong();
    }

    private static long singleArrival(byte[] head) {
        return ByteBuffer.wrap(head, 9, 8).getLong();
    }

    private static byte[] singleRow(byte[] head) {
        return Arrays.copyOfRange(head, SINGLE_HEADER, head.length);
    }
}
