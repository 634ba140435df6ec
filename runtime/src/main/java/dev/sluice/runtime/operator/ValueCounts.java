package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The values a table GROUP BY must be able to retract, in a state store keyed by
 * (group, call, value) with the number of live input rows that carry the value, as Flink's
 * MinWithRetract and DISTINCT keep a MapState: adding or retracting a row is one point read and
 * one write per call, and the next MIN/MAX after its extreme leaves is one range seek, where a
 * multiset in the aggregate's value was read, copied and rewritten whole on every update.
 *
 * <p>Key: the group key's bytes (length-prefixed), the call's index (one byte), then the value:
 * for MIN/MAX in {@link OrderedValueBytes} (so the group's values of one call are adjacent and in
 * SQL order), for DISTINCT calls the arguments' ordinary encoding (only equality matters), their
 * {@link EqualityKeyBytes} when a MAP or VARIANT is among them ({@link DistinctArgumentKeys}), for
 * COUNT_DISTINCT and ATTR over a type without an order their {@link EqualityKeyBytes}. A count
 * that reaches 0 is deleted, so an emptied group leaves nothing behind. The store is changelogged
 * and lives in the aggregate's sub-topology, committed and restored with the aggregate's state.
 */
public final class ValueCounts implements Aggregation.StoredValues {
    private final KeyValueStore<Bytes, byte[]> store;
    private final Aggregation aggregation;
    private byte[] group;
    /**
     * While a record is applied ({@link #begin}), each write's key and the value it replaced (null:
     * absent), in order: a record whose aggregation throws (a Java aggregate's accumulate or retract)
     * is dead-lettered, and {@link #rollback} undoes its writes so that it leaves no trace here.
     */
    private final java.util.ArrayList<KeyValue<Bytes, byte[]>> undo = new java.util.ArrayList<>();
    private boolean recording;

    public ValueCounts(KeyValueStore<Bytes, byte[]> store, Aggregation aggregation) {
        this.store = store;
        this.aggregation = aggregation;
    }

    public static String storeName(String step) {
        return step + "-values-store";
    }

    /**
     * A changelogged store, cached as the DSL caches an aggregate's store (its range seeks check what
     * they find: see {@link #extreme}).
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step, StateBackend backend) {
        return backend.keyValue(storeName(step)).withCachingEnabled();
    }

    /** The group the next calls are about (its key's serialized bytes). */
    public void group(byte[] groupKey) {
        this.group = groupKey;
    }

    @Override
    public long count(int call, Object[] values, int delta) {
        Bytes key = key(call, values);
        byte[] held = store.get(key);
        long after = (held == null ? 0 : ByteBuffer.wrap(held).getLong()) + delta;
        if (held == null && delta < 0) {
            return -1;
        }
        if (after <= 0) {
            write(key, held, null);
            return 0;
        }
        write(key, held, ByteBuffer.allocate(Long.BYTES).putLong(after).array());
        return after;
    }

    /**
     * Counts the call's values once (count 1) if absent: whether they were. Append-only input
     * ({@link StoredMultiset} over a stream's DISTINCT call): a value seen before is one point read.
     */
    public boolean addIfAbsent(int call, Object[] values) {
        Bytes key = key(call, values);
        if (store.get(key) != null) {
            return false;
        }
        write(key, null, ByteBuffer.allocate(Long.BYTES).putLong(1).array());
        return true;
    }

    /** Starts recording the writes of one record, so that {@link #rollback} can undo them. */
    public void begin() {
        undo.clear();
        recording = true;
    }

    /** The record was applied: its writes stay. */
    public void commit() {
        undo.clear();
        recording = false;
    }

    /**
     * The record failed: puts back what each of its writes replaced, latest first, so the store holds
     * what it held before {@link #begin} (its changelog gets the writes and their undoing).
     */
    public void rollback() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            KeyValue<Bytes, byte[]> replaced = undo.get(i);
            if (replaced.value == null) {
                store.delete(replaced.key);
            } else {
                store.put(replaced.key, replaced.value);
            }
        }
        commit();
    }

    /** Writes {@code value} (null: deletes) over {@code held}, the key's current value, noting it for a rollback. */
    private void write(Bytes key, byte[] held, byte[] value) {
        if (recording) {
            undo.add(KeyValue.pair(key, held));
        }
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, value);
        }
    }

    @Override
    public Object multiset(int call, Object value, int delta) {
        return aggregation.multiset(call).update(this, call, value, delta);
    }

    @Override
    public Object extreme(int call, boolean max) {
        byte[] from = prefix(call);
        byte[] to = prefix(call + 1);
        // A key equal to the next call's prefix (an empty VARCHAR of call + 1) can fall in the
        // inclusive range: only keys that start with this call's prefix count.
        try (KeyValueIterator<Bytes, byte[]> it = max
                ? store.reverseRange(Bytes.wrap(from), Bytes.wrap(to))
                : store.range(Bytes.wrap(from), Bytes.wrap(to))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                byte[] key = next.key.get();
                if (key.length >= from.length && Arrays.equals(key, 0, from.length, from, 0, from.length)
                        && live(next)) {
                    return OrderedValueBytes.read(key, from.length, aggregation.argumentTypes(call).get(0));
                }
            }
        }
        return null;
    }

    /**
     * Whether an entry a range scan returned is still in the store. With the record cache on, Kafka
     * Streams (4.0 to at least 4.3.1) merges the cache and RocksDB in a reverse scan as if it went
     * forward when the cache holds a deletion (its fix of KAFKA-18326,
     * https://issues.apache.org/jira/browse/KAFKA-18326, compares the keys without the direction):
     * a key deleted since the last commit comes back, with a null value when RocksDB never held it,
     * or with RocksDB's old value when the scan passed over the cache's deletion first. It never
     * drops a live key nor reorders them, so the first scanned key that a point read (which the
     * cache answers right) still finds is the extreme. Costs one point read per MIN/MAX fall-back.
     */
    private boolean live(KeyValue<Bytes, byte[]> entry) {
        return entry.value != null && store.get(entry.key) != null;
    }

    /** A value of a call kept in value order and how many live rows carry it. */
    public record Counted(Object value, long count) {
    }

    /**
     * The call's next value after {@code value} ({@code above}) or before it, with its count, or
     * null when there is none; {@code value} itself need not be present. One range seek.
     */
    public Counted neighbour(int call, Object value, boolean above) {
        byte[] from = prefix(call);
        Bytes at = key(call, new Object[] {value});
        try (KeyValueIterator<Bytes, byte[]> it = above
                ? store.range(at, Bytes.wrap(prefix(call + 1)))
                : store.reverseRange(Bytes.wrap(from), at)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.key.equals(at) || !startsWith(next.key.get(), from)) {
                    continue;
                }
                if (!above) {
                    // a cached reverse scan can return deleted keys or old counts (see live)
                    byte[] count = next.value == null ? null : store.get(next.key);
                    if (count == null) {
                        continue;
                    }
                    next = KeyValue.pair(next.key, count);
                }
                return counted(call, next, from.length);
            }
        }
        return null;
    }

    /** Up to {@code limit} of the call's largest values, largest first, each with its count. */
    public java.util.List<Counted> largest(int call, long limit) {
        byte[] from = prefix(call);
        java.util.List<Counted> out = new java.util.ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(Bytes.wrap(from), Bytes.wrap(prefix(call + 1)))) {
            while (it.hasNext() && out.size() < limit) {
                KeyValue<Bytes, byte[]> next = it.next();
                // a cached reverse scan can return deleted keys or old counts (see live)
                byte[] count = next.value == null ? null : store.get(next.key);
                if (count != null && startsWith(next.key.get(), from)) {
                    out.add(counted(call, KeyValue.pair(next.key, count), from.length));
                }
            }
        }
        return out;
    }

    /** The call's smallest value with its count, or null when it has none: one range seek. */
    public Counted first(int call) {
        byte[] from = prefix(call);
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(from), Bytes.wrap(prefix(call + 1)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value != null && startsWith(next.key.get(), from)) {
                    return counted(call, next, from.length);
                }
            }
        }
        return null;
    }

    /** Every value of the call in ascending order with its count (a walk of the group: rare paths only). */
    public java.util.List<Counted> all(int call) {
        byte[] from = prefix(call);
        java.util.List<Counted> out = new java.util.ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(from), Bytes.wrap(prefix(call + 1)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (startsWith(next.key.get(), from)) {
                    out.add(counted(call, next, from.length));
                }
            }
        }
        return out;
    }

    private Counted counted(int call, KeyValue<Bytes, byte[]> entry, int prefixLength) {
        return new Counted(value(call, entry.key.get(), prefixLength), ByteBuffer.wrap(entry.value).getLong());
    }

    /** Whether call {@code call}'s values are keyed by {@link EqualityKeyBytes} rather than in SQL order. */
    private boolean byEquality(int call) {
        StoredMultiset multiset = aggregation.multiset(call);
        return multiset != null && multiset.keyedByEquality();
    }

    /** The value whose bytes end {@code key} from {@code offset}. */
    private Object value(int call, byte[] key, int offset) {
        SqlType type = aggregation.argumentTypes(call).get(0);
        return byEquality(call) ? EqualityKeyBytes.read(key, offset, type) : OrderedValueBytes.read(key, offset, type);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Per (group, call), a few bytes beside the call's values ({@link StoredMultiset}'s cursor),
     * or null. Their key is the group's with the call's index + 128, which no value key has.
     */
    public byte[] note(int call) {
        return store.get(noteKey(call));
    }

    /** Sets (or, null, deletes) the call's {@link #note}. */
    public void note(int call, byte[] bytes) {
        Bytes key = noteKey(call);
        write(key, recording ? store.get(key) : null, bytes);
    }

    private Bytes noteKey(int call) {
        byte[] key = prefix(call);
        key[key.length - 1] = (byte) (call | 0x80);
        return Bytes.wrap(key);
    }

    /** Deletes every entry of the current group (values and notes of every call). */
    public void deleteGroup() {
        byte[] from = prefix(0);
        byte[] groupPrefix = Arrays.copyOf(from, from.length - 1);
        byte[] to = Arrays.copyOf(groupPrefix, groupPrefix.length + 1);
        to[to.length - 1] = (byte) 0xFF;
        java.util.List<Bytes> keys = new java.util.ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(groupPrefix), Bytes.wrap(to))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (startsWith(key.get(), groupPrefix) && key.get().length > groupPrefix.length) {
                    keys.add(key);
                }
            }
        }
        keys.forEach(key -> write(key, recording ? store.get(key) : null, null));
    }

    private byte[] prefix(int call) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(group.length + 5);
        out.writeInt(group.length);
        out.write(group, 0, group.length);
        out.writeByte(call);
        return out.toByteArray();
    }

    private Bytes key(int call, Object[] values) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(group.length + 32);
        out.writeInt(group.length);
        out.write(group, 0, group.length);
        out.writeByte(call);
        if (byEquality(call)) {
            EqualityKeyBytes.write(out, aggregation.argumentTypes(call).get(0), values[0]);
        } else if (aggregation.kept(call) != Aggregation.ValuesKept.DISTINCT_IN_STORE) {
            OrderedValueBytes.write(out, aggregation.argumentTypes(call).get(0), values[0]);
        } else {
            DistinctArgumentKeys.write(out, aggregation.argumentTypes(call), values);
        }
        return Bytes.wrap(out.toByteArray());
    }
}
