package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The values of a stream GROUP BY's PERCENTILE_CONT/DISC and TOPK/TOPKDISTINCT calls, counted in
 * {@link ValueCounts}' {@code <step>-values-store} keyed by (group[, window], call, value in SQL
 * order) as Flink keeps a MapState, instead of as a multiset in the aggregate's value, which Kafka
 * Streams reads and rewrites whole on every record. Per record and call: one read and one write of
 * the value's count and of the call's cursor, plus at most two range seeks ({@link StoredMultiset}).
 * The results it computes travel to the aggregate with the row ({@link StoredResults}), which holds
 * them in its state, so the aggregate's emission (each update, a cache flush, or a window's close
 * with EMIT FINAL) reads nothing from this store.
 *
 * <p>Runs right before the aggregate, after the late guard and {@link DistinctValues}, in the same
 * sub-topology, so the store is partitioned, committed and restored with the aggregate's state.
 * Time windows (tumbling, hopping, cumulating): the store's group is (group, window start) for each
 * window {@code Windows#windowsFor} gives that is not closed yet, in that order (the aggregate's);
 * stream time is the largest timestamp seen here, as the aggregate's. A window's entries are
 * deleted once it closes (its end at or before stream time minus grace; the aggregate never updates
 * it again and holds its last results), found through an index of windows by end in the same store
 * (keys starting with 0xFF, which no group key starts with). Not windowed: never trimmed, as Flink
 * without a state TTL. Sessions merge and keep their multisets in the state.
 */
public final class MultisetValues implements FixedKeyProcessor<Row, Row, Row> {
    private static final byte INDEX = (byte) 0xFF;
    private static final byte[] PRESENT = {1};

    private final String storeName;
    private final Aggregation aggregation;
    private final int[] calls;
    private final int callCount;
    private final Serde<Row> keySerde;
    /** Time windows, or null when the aggregate is not windowed. */
    private final Windows<? extends Window> windows;
    private FixedKeyProcessorContext<Row, Row> context;
    private KeyValueStore<Bytes, byte[]> store;
    private ValueCounts values;
    private long observedStreamTime = Long.MIN_VALUE;
    /**
     * Windows whose end is at or before this are deleted (no new window can end there: it would be
     * closed already). The next sweep starts after it, so it never seeks over the index entries it
     * deleted (RocksDB tombstones until compaction). In memory: after a restart the first sweep
     * starts from the beginning.
     */
    private long sweptUpTo = Long.MIN_VALUE;

    private MultisetValues(String step, List<AggregateCall> calls, Aggregation aggregation, Serde<Row> keySerde,
                           Windows<? extends Window> windows) {
        this.storeName = ValueCounts.storeName(step);
        this.aggregation = aggregation;
        this.calls = java.util.stream.IntStream.range(0, calls.size())
                .filter(i -> aggregation.kept(i) == Aggregation.ValuesKept.MULTISET_IN_STORE).toArray();
        this.callCount = calls.size();
        this.keySerde = keySerde;
        this.windows = windows;
    }

    /** For a GROUP BY without windows. */
    public static MultisetValues of(String step, List<AggregateCall> calls, Aggregation aggregation,
                                    Serde<Row> keySerde) {
        return new MultisetValues(step, calls, aggregation, keySerde, null);
    }

    /** For a GROUP BY over {@code windows}, the very windows the aggregate uses. */
    public static MultisetValues of(String step, List<AggregateCall> calls, Aggregation aggregation,
                                    Serde<Row> keySerde, Windows<? extends Window> windows) {
        return new MultisetValues(step, calls, aggregation, keySerde, windows);
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.values = new ValueCounts(store, aggregation);
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        if (row != null) {
            // as the window aggregate's stream time: every record with a value, heartbeats included
            observedStreamTime = Math.max(observedStreamTime, record.timestamp());
        }
        if (windows != null && observedStreamTime != Long.MIN_VALUE) {
            deleteClosedWindows(observedStreamTime - windows.gracePeriodMs());
        }
        if (row == null || row == EndOfTime.MARKER) {
            context.forward(record);
            return;
        }
        byte[] group = keySerde.serializer().serialize(storeName, record.key());
        Object[][] results;
        if (windows == null) {
            values.group(group);
            results = new Object[][] {update(row)};
        } else {
            long closeTime = observedStreamTime - windows.gracePeriodMs();
            List<Object[]> perWindow = new ArrayList<>();
            for (Map.Entry<Long, ? extends Window> window : windows.windowsFor(record.timestamp()).entrySet()) {
                long end = window.getValue().end();
                if (end <= closeTime) {
                    continue;
                }
                byte[] windowGroup = ByteBuffer.allocate(group.length + Long.BYTES).put(group)
                        .putLong(window.getKey()).array();
                Bytes indexKey = indexKey(end, windowGroup);
                if (store.get(indexKey) == null) {
                    store.put(indexKey, PRESENT);
                }
                values.group(windowGroup);
                perWindow.add(update(row));
            }
            results = perWindow.toArray(Object[][]::new);
        }
        Object[] out = Arrays.copyOf(row.toArray(), row.size() + 1);
        out[row.size()] = new StoredResults(results);
        context.forward(record.withValue(new Row(out)));
    }

    private Object[] update(Row row) {
        Object[] results = new Object[callCount];
        for (int call : calls) {
            results[call] = aggregation.passesFilter(call, row)
                    ? aggregation.multiset(call).update(values, call, aggregation.arguments(call, row)[0], 1)
                    : StoredMultiset.UNCHANGED;
        }
        return results;
    }

    /** Deletes the entries of every window whose end is at or before {@code closeTime}. */
    private void deleteClosedWindows(long closeTime) {
        if (closeTime <= sweptUpTo || closeTime == Long.MAX_VALUE) {
            return;
        }
        long from = sweptUpTo == Long.MIN_VALUE ? Long.MIN_VALUE : sweptUpTo + 1;
        sweptUpTo = closeTime;
        List<Bytes> closed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(indexKey(from, new byte[0]),
                indexKey(closeTime + 1, new byte[0]))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.key.get()[0] == INDEX && endOf(next.key.get()) <= closeTime) {
                    closed.add(next.key);
                }
            }
        }
        for (Bytes key : closed) {
            values.group(Arrays.copyOfRange(key.get(), 1 + Long.BYTES, key.get().length));
            values.deleteGroup();
            store.delete(key);
        }
    }

    /**
     * Deletes one window's values and its index entry at once: a processing-time window
     * ({@link ProcessingTimeWindowAggregate}) when it emits the window's row, which it does not
     * wait for a later record to trigger.
     */
    public static void deleteWindow(KeyValueStore<Bytes, byte[]> store, Aggregation aggregation, byte[] group,
                                    long start, long end) {
        byte[] windowGroup = ByteBuffer.allocate(group.length + Long.BYTES).put(group).putLong(start).array();
        ValueCounts values = new ValueCounts(store, aggregation);
        values.group(windowGroup);
        values.deleteGroup();
        store.delete(indexKey(end, windowGroup));
    }

    /** 0xFF, the window's end (sign bit flipped, so the bytes sort as the numbers), the (group, window) bytes. */
    private static Bytes indexKey(long end, byte[] windowGroup) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + windowGroup.length).put(INDEX)
                .putLong(end ^ Long.MIN_VALUE).put(windowGroup).array());
    }

    private static long endOf(byte[] indexKey) {
        return ByteBuffer.wrap(indexKey, 1, Long.BYTES).getLong() ^ Long.MIN_VALUE;
    }
}
