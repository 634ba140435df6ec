package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.expr.WindowAssignment;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A window over processing time (Flink's windows on a {@code PROCTIME()} column, Nexmark q12): each
 * row joins the windows holding the wall-clock time it is processed at
 * ({@code currentSystemTimeMs()}: the stream thread's clock, the test driver's mock clock under
 * TopologyTestDriver), and a {@link PunctuationType#WALL_CLOCK_TIME} punctuator emits every window
 * whose end the wall clock has passed, once, and deletes it. No watermark, no grace, nothing late:
 * a row always lands in windows that are still open.
 *
 * <p>State: one entry per open (window, group) in {@code <step>-store}, keyed by the window end and
 * start (8 bytes each, big-endian, so the store iterates in the order windows close) and the group
 * key's bytes; the value is the {@link Aggregation}'s state. With {@link ProcessingTimeWindowHelpers}
 * (TUMBLE, HOP and CUMULATE), DISTINCT values, percentile / TOPK / COUNT_DISTINCT / ATTR values
 * and ARRAY_AGG / COLLECT_SET / HISTOGRAM elements are in the event-time window's helper stores, which the
 * processors before this one fill for the windows of the record's timestamp ({@link WallClockStamp}
 * set it to the wall clock); this aggregate visits those windows in their order (ascending start,
 * then end), and deletes a window's helper entries when it emits it. Without such calls every
 * accumulator is in the state. The punctuator reads only the entries that are due. Under exactly-once the store's changelog and the emitted rows commit in one
 * transaction; rows re-read after a crash are stamped with the new wall clock, so the windows they
 * land in differ from the first attempt: processing-time results are not repeatable (Flink calls
 * them non-deterministic too).
 *
 * <p>The punctuator runs every {@link #tickMs} (a tenth of the interval at which windows end, at
 * most {@value #MAX_TICK_MS} ms): a window is emitted at most one tick after its end. A window whose
 * end passed while the application was down is emitted at the first tick after the restart.
 * {@link EndOfTime#MARKER} (replay's end of input) emits every open window.
 *
 * <p>Output: as an event-time window's final rows: key = group key and window start; value = group
 * key, window start, window end, results; timestamp = window end - 1 ms.
 */
public final class ProcessingTimeWindowAggregate extends ContextualProcessor<Row, Row, Row, Row> {
    public static final long MAX_TICK_MS = 1000;

    private final String storeName;
    private final Aggregation aggregation;
    private final Serde<Row> keySerde;
    private final WindowSpec window;
    private final int keyWidth;
    private final Serializer<AggregateState> stateWriter;
    private final Deserializer<AggregateState> stateReader;
    private KeyValueStore<Bytes, byte[]> store;
    /** The helper stores, or null: every accumulator is in the state. */
    private final ProcessingTimeWindowHelpers helpers;
    private ProcessingTimeWindowHelpers.Open helperStores;

    public ProcessingTimeWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde,
                                         WindowSpec window, int keyWidth) {
        this(storeName, aggregation, keySerde, window, keyWidth, null);
    }

    /** {@code helpers}: the helper stores the processors before this one fill (see the class comment), or null. */
    public ProcessingTimeWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde,
                                         WindowSpec window, int keyWidth, ProcessingTimeWindowHelpers helpers) {
        this.helpers = helpers;
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.keySerde = keySerde;
        this.window = window;
        this.keyWidth = keyWidth;
        AggregateStateSerde stateSerde = aggregation.serde();
        this.stateWriter = stateSerde.serializer();
        this.stateReader = stateSerde.deserializer();
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, StateBackend backend) {
        return backend.keyValue(name).withCachingEnabled();
    }

    /** How often the punctuator looks for due windows: a tenth of the window step, 1 ms to 1 s. */
    public static long tickMs(WindowSpec window) {
        long step = window.kind() == WindowSpec.Kind.TUMBLE ? window.sizeMs() : window.advanceMs();
        return Math.max(1, Math.min(MAX_TICK_MS, step / 10));
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        if (helpers != null) {
            helperStores = helpers.open(context, aggregation, keySerde);
        }
        context.schedule(Duration.ofMillis(tickMs(window)), PunctuationType.WALL_CLOCK_TIME, this::emitDue);
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (record.value() == EndOfTime.MARKER) {
            emitDue(Long.MAX_VALUE);
            return;
        }
        if (record.key() == null || record.value() == null) {
            return; // as the DSL's grouped aggregate: no group, no row
        }
        // with helpers, the wall clock WallClockStamp wrote: the helpers placed the row by it
        long now = helpers != null ? record.timestamp() : context().currentSystemTimeMs();
        byte[] group = keyWidth == 0 ? new byte[0] : keySerde.serializer().serialize(storeName, record.key());
        List<long[]> windows = WindowAssignment.windows(window.kind(), now, window.sizeMs(), window.advanceMs());
        // the helpers' order (Kafka Streams' windowsFor): their marks and results are per window, in turn
        windows.sort(java.util.Comparator.<long[]>comparingLong(w -> w[0]).thenComparingLong(w -> w[1]));
        for (long[] w : windows) {
            Bytes key = key(w[0], w[1], group);
            byte[] stored = store.get(key);
            AggregateState state = stored == null ? aggregation.initial() : stateReader.deserialize(storeName, stored);
            // state is this window's own fresh copy, used once: no second copy to add to
            store.put(key, stateWriter.serialize(storeName, aggregation.addInPlace(record.value(), state)));
        }
    }

    /** Emits and deletes every window that ends at or before {@code now}, in the order they end. */
    private void emitDue(long now) {
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (ByteBuffer.wrap(entry.key.get()).getLong(0) > now) {
                    break;
                }
                due.add(entry);
            }
        }
        java.util.Set<Long> emittedStarts = new java.util.TreeSet<>();
        for (KeyValue<Bytes, byte[]> entry : due) {
            ByteBuffer key = ByteBuffer.wrap(entry.key.get());
            long end = key.getLong(0);
            long start = key.getLong(Long.BYTES);
            Row group = keyWidth == 0 ? new Row(new Object[0]) : keySerde.deserializer().deserialize(storeName,
                    Arrays.copyOfRange(entry.key.get(), 2 * Long.BYTES, entry.key.get().length));
            AggregateState state = stateReader.deserialize(storeName, entry.value);
            Object[] out = aggregation.results(state, keyWidth + 2);
            if (helperStores != null) {
                helperStores.emit(group, start, end, state, out, keyWidth + 2);
                emittedStarts.add(helpers.storedStart(start, end));
            }
            Object[] outKey = new Object[keyWidth + 1];
            for (int i = 0; i < keyWidth; i++) {
                out[i] = group.get(i);
                outKey[i] = group.get(i);
            }
            out[keyWidth] = start;
            out[keyWidth + 1] = end;
            outKey[keyWidth] = start;
            store.delete(entry.key);
            context().forward(new Record<>(new Row(outKey), new Row(out), end - 1));
        }
        if (helperStores != null) {
            // every due window emitted all its groups: the distinct values are per window start
            emittedStarts.forEach(helperStores::emitted);
        }
    }

    /** Window end, window start, group key: the store's order is the order windows close in. */
    private static Bytes key(long start, long end, byte[] group) {
        return Bytes.wrap(ByteBuffer.allocate(2 * Long.BYTES + group.length).putLong(end).putLong(start).put(group)
                .array());
    }
}
