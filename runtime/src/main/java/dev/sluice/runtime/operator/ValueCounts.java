package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * SQL order), for DISTINCT calls the arguments' ordinary encoding (only equality matters). A count
 * that reaches 0 is deleted, so an emptied group leaves nothing behind. The store is changelogged
 * and lives in the aggregate's sub-topology, committed and restored with the aggregate's state.
 */
public final class ValueCounts implements Aggregation.StoredValues {
    private final KeyValueStore<Bytes, byte[]> store;
    private final Aggregation aggregation;
    private byte[] group;

    public ValueCounts(KeyValueStore<Bytes, byte[]> store, Aggregation aggregation) {
        this.store = store;
        this.aggregation = aggregation;
    }

    public static String storeName(String step) {
        return step + "-values-store";
    }

    /**
     * A persistent, changelogged store, cached as the DSL caches an aggregate's store (its range
     * seeks check what they find: see {@link #extreme}).
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(step)), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingEnabled();
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
            store.delete(key);
            return 0;
        }
        store.put(key, ByteBuffer.allocate(Long.BYTES).putLong(after).array());
        return after;
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
        if (aggregation.kept(call) == Aggregation.ValuesKept.EXTREME_IN_STORE) {
            OrderedValueBytes.write(out, aggregation.argumentTypes(call).get(0), values[0]);
        } else {
            try {
                ValueCodec.writeRow(out, aggregation.argumentTypes(call), Row.of(values));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode a value of call " + call, e);
            }
        }
        return Bytes.wrap(out.toByteArray());
    }
}
