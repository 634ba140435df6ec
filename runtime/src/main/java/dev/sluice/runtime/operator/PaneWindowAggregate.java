package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TUMBLE or HOP window aggregate with EMIT FINAL over {@link WindowPanes}' store, with the rows of
 * Kafka Streams' {@code windowedBy(...).aggregate(...)} followed by {@code suppress(untilWindowCloses)}:
 * <ul>
 *   <li>windows start at multiples of the slide from 0 (none before 0, as Kafka Streams'); a record
 *       at {@code ts} adds to the one pane of gcd(size, slide) holding it: one store read and write,
 *       where the window store read and wrote each of the size / slide windows holding it, and the
 *       suppress buffer wrote each again;</li>
 *   <li>a window [start, end) is emitted once stream time - grace reaches its end, as the merge of
 *       its panes per key; windows due together come out in the order of (end, key bytes + start),
 *       as the suppress buffer evicted them. A record that moves stream time first emits what it
 *       closes, then is added: Kafka Streams skipped the windows it closed;</li>
 *   <li>a pane leaves the store with the last window holding it.</li>
 * </ul>
 * Only calls whose pane accumulators merge to exactly what adding the rows one by one gave
 * ({@link WindowPanes#applies}). Late records are stopped before this by {@link LateRecordGuard};
 * one that still got here fails the same way (counted, logged, dead-lettered). Nothing is kept on
 * the heap but the stream time, which the store keeps too: a restarted task emits exactly what the
 * old one had not.
 */
public final class PaneWindowAggregate implements Processor<Row, Row, Windowed<Row>, AggregateState> {
    private final String storeName;
    private final Aggregation aggregation;
    private final Serde<Row> keySerde;
    private final Serde<AggregateState> stateSerde;
    private final long size;
    private final long slide;
    private final long pane;
    private final long grace;
    /** Whether the records are {@link PanePartial}s of {@link PanePreAggregate}, merged rather than added. */
    private final boolean partials;
    private ProcessorContext<Windowed<Row>, AggregateState> context;
    private KeyValueStore<Bytes, byte[]> store;
    /** Whether {@link #streamTime} was read from the store (lazily: a restore may follow init). */
    private boolean loaded;
    private long streamTime;
    /** Every window ending at or before this was emitted (stream time - grace). */
    private long emittedThrough;

    public PaneWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde, WindowSpec window) {
        this(storeName, aggregation, keySerde, window, false);
    }

    /** {@code partials}: the input is {@link PanePreAggregate}'s partials (a record is a partial of one). */
    public PaneWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde, WindowSpec window,
                               boolean partials) {
        this.partials = partials;
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.keySerde = keySerde;
        this.stateSerde = aggregation.serde();
        this.size = window.sizeMs();
        this.slide = window.advanceMs();
        this.pane = WindowPanes.gcd(size, slide);
        this.grace = window.graceMs();
    }

    @Override
    public void init(ProcessorContext<Windowed<Row>, AggregateState> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // init runs again on the same instance when a task is revived: start from the store alone
        loaded = false;
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (record.key() == null) {
            return; // as Kafka Streams' aggregate: a window needs a key (and the time stays)
        }
        if (!loaded) {
            streamTime = WindowPanes.streamTime(store);
            emittedThrough = closeTime(streamTime);
            loaded = true;
        }
        long ts = record.timestamp();
        boolean marker = record.value() == EndOfTime.MARKER;
        if (ts < 0 && !marker) {
            // Kafka Streams gives a negative timestamp no window, so nothing of it reached the suppress
            // buffer, whose stream time decided the emissions: no window can end before 0 either
            return;
        }
        if (ts > streamTime) {
            streamTime = ts;
            WindowPanes.putStreamTime(store, streamTime);
            emitClosed(closeTime(streamTime));
        }
        if (!marker) {
            add(record, ts);
        }
    }

    private long closeTime(long time) {
        return time == Long.MIN_VALUE ? Long.MIN_VALUE : time - grace;
    }

    private void add(Record<Row, Row> record, long ts) {
        long lastWindowEnd = Math.floorDiv(ts, slide) * slide + size;
        if (lastWindowEnd <= emittedThrough) {
            throw new LateRecordException("late record at " + Instant.ofEpochMilli(ts) + ": its last window closed at "
                    + Instant.ofEpochMilli(lastWindowEnd + grace) + " (grace " + grace + " ms) and stream time is "
                    + Instant.ofEpochMilli(streamTime));
        }
        long paneEnd = Math.floorDiv(ts, pane) * pane + pane;
        Bytes key = WindowPanes.key(paneEnd, keySerde.serializer().serialize(storeName, record.key()));
        byte[] stored = store.get(key);
        AggregateState state = stored == null ? aggregation.initial() : stateSerde.deserializer().deserialize(storeName, stored);
        state = partials && record.value() != null
                ? aggregation.mergeInto(state, PanePartial.state(record.value()))
                : aggregation.addInPlace(record.value(), state);
        store.put(key, stateSerde.serializer().serialize(storeName, state));
    }

    /** The first window end at or after {@code time}: windows end at size + k * slide, k >= 0. */
    private long firstWindowEndFrom(long time) {
        if (time <= size) {
            return size;
        }
        return size + Math.floorDiv(time - size + slide - 1, slide) * slide;
    }

    /** Emits every window with data that ends after {@link #emittedThrough} and at or before {@code close}. */
    private void emitClosed(long close) {
        if (close == Long.MIN_VALUE || close < firstWindowEndFrom(emittedThrough == Long.MIN_VALUE
                ? Long.MIN_VALUE : emittedThrough + 1)) {
            emittedThrough = Math.max(emittedThrough, close);
            return; // no window ends in between: nothing to look up
        }
        long done = emittedThrough;
        while (true) {
            // every pane left belongs to a window ending after done, so it ends after done - size
            long lowest = firstPaneEnd(done == Long.MIN_VALUE ? 1 : Math.max(1, done - size + 1));
            if (lowest == Long.MIN_VALUE) {
                break;
            }
            long end = firstWindowEndFrom(done == Long.MIN_VALUE ? lowest : Math.max(lowest, done + 1));
            if (end > close) {
                break;
            }
            if (end - size >= lowest) {
                // cannot happen: a pane leaves with the last window holding it; drop one that did not
                deletePanesThrough(lowest);
                continue;
            }
            emitWindow(end - size, end);
            done = end;
        }
        emittedThrough = close;
    }

    /** The end of the earliest pane ending at or after {@code from}, or {@code Long.MIN_VALUE}. */
    private long firstPaneEnd(long from) {
        try (KeyValueIterator<Bytes, byte[]> it = store.range(WindowPanes.first(from), WindowPanes.first(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (WindowPanes.isPane(key)) {
                    return WindowPanes.paneEnd(key);
                }
            }
        }
        return Long.MIN_VALUE;
    }

    private void deletePanesThrough(long paneEnd) {
        List<Bytes> gone = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(WindowPanes.first(paneEnd), WindowPanes.first(paneEnd + 1))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (WindowPanes.isPane(key) && WindowPanes.paneEnd(key) == paneEnd) {
                    gone.add(key);
                }
            }
        }
        gone.forEach(store::delete);
    }

    /**
     * Emits window [start, end): each key's panes merged in time order, the keys in the order of
     * their windowed bytes (key bytes + start, as the suppress buffer's key serde wrote them); then
     * deletes the panes no later window holds (those ending at or before start + slide).
     */
    private void emitWindow(long start, long end) {
        Map<Bytes, AggregateState> byKey = new TreeMap<>();
        List<Bytes> gone = new ArrayList<>();
        byte[] startBytes = ByteBuffer.allocate(Long.BYTES).putLong(start).array();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(WindowPanes.first(start + 1), WindowPanes.first(end + 1))) {
            while (it.hasNext()) {
                var entry = it.next();
                if (!WindowPanes.isPane(entry.key)) {
                    continue;
                }
                long paneEnd = WindowPanes.paneEnd(entry.key);
                if (paneEnd > end) {
                    break;
                }
                byte[] group = WindowPanes.group(entry.key);
                byte[] windowed = new byte[group.length + Long.BYTES];
                System.arraycopy(group, 0, windowed, 0, group.length);
                System.arraycopy(startBytes, 0, windowed, group.length, Long.BYTES);
                AggregateState state = stateSerde.deserializer().deserialize(storeName, entry.value);
                byKey.merge(Bytes.wrap(windowed), state, aggregation::mergeInto);
                if (paneEnd <= start + slide) {
                    gone.add(entry.key);
                }
            }
        }
        gone.forEach(store::delete);
        TimeWindow window = new TimeWindow(start, end);
        for (var e : byKey.entrySet()) {
            byte[] windowed = e.getKey().get();
            byte[] group = java.util.Arrays.copyOf(windowed, windowed.length - Long.BYTES);
            Row key = keySerde.deserializer().deserialize(storeName, group);
            context.forward(new Record<>(new Windowed<>(key, window), e.getValue(), end - 1));
        }
    }
}
