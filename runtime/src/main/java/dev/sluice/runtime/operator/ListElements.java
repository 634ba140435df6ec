package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The elements of a tumbling window's ARRAY_AGG / COLLECT_LIST calls, kept in a changelogged
 * window store keyed by (group, window start, call, sequence) as Flink keeps a list in a
 * MapState, instead of as a list inside the aggregate's value, which Kafka Streams reads and
 * rewrites whole on every record (O(n) per record in the group's size). Per record and call this
 * is one lookup and two writes (the window's next sequence number, then the element); the
 * aggregate keeps only a count ({@link ElementCount}), and the array is read back with one range
 * scan only when the window's row is emitted ({@link #elements}), in arrival order.
 *
 * <p>Runs right before the aggregate and after the late guard, in the aggregate's sub-topology, so
 * that the store is partitioned, committed and restored with the aggregate's state, and a late
 * record adds no element. Applies to append-only streams in tumbling windows whose ARRAY_AGG calls
 * have no DISTINCT, no ORDER BY and no constant argument, in a GROUP BY without DISTINCT calls
 * (whose marks column this processor does not carry); every other case keeps the list in the value.
 * The store keeps a window one window size longer than the aggregate's store does, so that its
 * elements are still there when the aggregate emits the window at close.
 */
public final class ListElements implements FixedKeyProcessor<Row, Row, Row> {
    private static final byte NEXT_SEQUENCE = 0;
    private static final byte ELEMENT = 1;

    private final String storeName;
    private final Aggregation aggregation;
    private final int[] calls;
    private final List<List<SqlType>> types;
    private final Serde<Row> keySerde;
    private final long windowSize;
    /**
     * EMIT FINAL: the record goes on to the aggregate before its element is written. The windows
     * it closes are emitted (and read from this store) during the forward, and the write can then
     * no longer expire their elements, whatever jump in time the record makes; its own window is
     * open and not read. EMIT CHANGES writes first: the record's own row lists its element.
     */
    private final boolean writeAfterForward;
    private WindowStore<Bytes, byte[]> store;

    private ListElements(String storeName, Aggregation aggregation, int[] calls, List<List<SqlType>> types,
                         Serde<Row> keySerde, long windowSize, boolean writeAfterForward) {
        this.writeAfterForward = writeAfterForward;
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.calls = calls;
        this.types = types;
        this.keySerde = keySerde;
        this.windowSize = windowSize;
    }

    /** Whether call {@code call} is an ARRAY_AGG whose elements can live in the store. */
    private static boolean storable(AggregateCall call) {
        return (call.function().equalsIgnoreCase("ARRAY_AGG") || call.function().equalsIgnoreCase("COLLECT_LIST"))
                && !call.distinct() && call.sortDescending().isEmpty() && call.arguments().size() == 1
                && call.arguments().stream().noneMatch(Expr::isConstant);
    }

    /** Whether a step's calls use the store: a tumbling window, no DISTINCT call, some storable ARRAY_AGG. */
    public static boolean applies(List<AggregateCall> calls, WindowSpec window) {
        return window.kind() == WindowSpec.Kind.TUMBLE && calls.size() <= Byte.MAX_VALUE && calls.stream().noneMatch(AggregateCall::distinct)
                && calls.stream().anyMatch(ListElements::storable);
    }

    /** The calls whose elements are in the store, in call order. */
    public static int[] storedCalls(List<AggregateCall> calls) {
        return java.util.stream.IntStream.range(0, calls.size()).filter(i -> storable(calls.get(i))).toArray();
    }

    public static String storeName(String step) {
        return step + "-elements-store";
    }

    /** Kept a window size longer than the aggregate's windows, so that a closing window's elements are there. */
    public static StoreBuilder<WindowStore<Bytes, byte[]>> store(String step, WindowSpec window) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(storeName(step),
                        WindowStoreRetention.of(window).plusMillis(window.sizeMs()), Duration.ofMillis(window.sizeMs()),
                        false),
                Serdes.Bytes(), Serdes.ByteArray());
    }

    /**
     * From now on {@code aggregation} keeps only a count for the stored calls, whose results
     * {@link #elements} replaces. Call once at build time, before the aggregation's serde is made.
     */
    public static void keepElementsInStore(List<AggregateCall> calls, Aggregation aggregation) {
        for (int call : storedCalls(calls)) {
            aggregation.keepElementsInStore(call);
        }
    }

    /** The processor (one per task), for an aggregation prepared by {@link #keepElementsInStore}. */
    public static ListElements of(String step, List<AggregateCall> calls, Aggregation aggregation,
                                  Serde<Row> keySerde, long windowSize, boolean emitFinal) {
        int[] stored = storedCalls(calls);
        List<List<SqlType>> types = new ArrayList<>();
        for (int call : stored) {
            types.add(calls.get(call).arguments().stream().map(Expr::type).toList());
        }
        return new ListElements(storeName(step), aggregation, stored, List.copyOf(types), keySerde, windowSize, emitFinal);
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.store = context.getStateStore(storeName);
        this.context = context;
    }

    private FixedKeyProcessorContext<Row, Row> context;

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        if (writeAfterForward) {
            context.forward(record);
        }
        if (row != null && row != EndOfTime.MARKER) {
            byte[] group = keySerde.serializer().serialize(storeName, record.key());
            // Kafka Streams' tumbling window start for the record (timestamps are never negative)
            long windowStart = record.timestamp() - record.timestamp() % windowSize;
            for (int c = 0; c < calls.length; c++) {
                int call = calls[c];
                if (aggregation.passesFilter(call, row)) {
                    append(group, windowStart, call, types.get(c), aggregation.arguments(call, row));
                }
            }
        }
        if (!writeAfterForward) {
            context.forward(record);
        }
    }

    private void append(byte[] group, long windowStart, int call, List<SqlType> types, Object[] element) {
        Bytes counter = key(group, windowStart, call, NEXT_SEQUENCE, 0);
        byte[] next = store.fetch(counter, windowStart);
        long sequence = next == null ? 0 : ByteBuffer.wrap(next).getLong();
        store.put(counter, ByteBuffer.allocate(Long.BYTES).putLong(sequence + 1).array(), windowStart);
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(16);
            ValueCodec.writeRow(out, types, Row.of(element));
            store.put(key(group, windowStart, call, ELEMENT, sequence), out.toByteArray(), windowStart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an ARRAY_AGG element", e);
        }
    }

    /**
     * Replaces, in a window's result row {@code out} (results after {@code prefixWidth} values),
     * each stored call's count with its elements in arrival order, read with one range scan each.
     */
    public static void elements(WindowStore<Bytes, byte[]> store, Serde<Row> keySerde, String storeName,
                                List<AggregateCall> calls, Windowed<Row> window, Object[] out, int prefixWidth) {
        byte[] group = keySerde.serializer().serialize(storeName, window.key());
        long start = window.window().start();
        for (int call : storedCalls(calls)) {
            if (out[prefixWidth + call] == null) {
                continue; // no element: ARRAY_AGG of no input is NULL
            }
            List<SqlType> types = calls.get(call).arguments().stream().map(Expr::type).toList();
            List<Object> elements = new ArrayList<>();
            try (KeyValueIterator<Windowed<Bytes>, byte[]> it = store.fetch(key(group, start, call, ELEMENT, 0),
                    key(group, start, call, ELEMENT, Long.MAX_VALUE), start, start)) {
                while (it.hasNext()) {
                    Row element = ValueCodec.readRow(new ByteArrayDataInput(it.next().value), types);
                    elements.add(element.get(0));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decode an ARRAY_AGG element", e);
            }
            out[prefixWidth + call] = Collections.unmodifiableList(elements);
        }
    }

    /** Group key bytes (length-prefixed), window start, call, tag, then the sequence (big-endian: arrival order). */
    private static Bytes key(byte[] group, long windowStart, int call, byte tag, long sequence) {
        ByteBuffer key = ByteBuffer.allocate(Integer.BYTES + group.length + Long.BYTES + 2 + Long.BYTES);
        key.putInt(group.length).put(group).putLong(windowStart).put((byte) call).put(tag).putLong(sequence);
        return Bytes.wrap(key.array());
    }
}
