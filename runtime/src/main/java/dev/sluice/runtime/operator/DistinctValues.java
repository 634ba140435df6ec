package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.TargetLags;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import dev.sluice.runtime.plan.WindowSpec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The distinct values of a GROUP BY's DISTINCT calls, kept in a state store keyed by
 * (group, call, value) as Flink keeps them in a MapState, instead of as a set inside the
 * aggregate's value, which Kafka Streams reads and rewrites whole on every record. Per record and
 * DISTINCT call this is one point lookup, plus one write for a value not seen before: the cost no
 * longer grows with the number of distinct values in the group.
 *
 * <p>Runs right before the aggregate, in the same sub-topology (its input is already partitioned
 * by the group key), so the store and the aggregate's state are partitioned, committed and restored
 * together. It appends one BIGINT to the row: bit i is set when call i's FILTER keeps the row and
 * its argument values are the first of their group; {@link Aggregation} feeds only those to call
 * i's plain accumulator. Append-only input only: nothing is ever retracted, so presence is all the
 * store records. The store is changelogged; like Flink without a state TTL, it is never trimmed.
 *
 * <p>Tumbling windows: a record belongs to exactly one window, so "first in its group" becomes
 * "first in its group and window", and the store is a window store keyed by (group, call, value)
 * at the window's start, as Flink keys its MapState by window. Its retention is the window's size
 * plus grace, so it is trimmed as the aggregate's own store is. Late records never get here (the
 * late guard runs first). Hopping, cumulating and session windows put one record in several
 * windows or merge windows, which one bit per call cannot say; they keep their sets in the value.
 */
public final class DistinctValues implements FixedKeyProcessor<Row, Row, Row> {
    private static final byte[] PRESENT = {1};

    private final String storeName;
    private final Aggregation aggregation;
    private final int[] calls;
    private final List<List<SqlType>> types;
    private final Serde<Row> keySerde;
    private FixedKeyProcessorContext<Row, Row> context;
    private KeyValueStore<Bytes, byte[]> seen;
    /** Tumbling windows' size in ms, or 0 when the aggregate is not windowed. */
    private final long windowSize;
    private WindowStore<Bytes, byte[]> seenInWindow;

    private DistinctValues(String storeName, Aggregation aggregation, int[] calls, List<List<SqlType>> types,
                           Serde<Row> keySerde, long windowSize) {
        this.windowSize = windowSize;
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.calls = calls;
        this.types = types;
        this.keySerde = keySerde;
    }

    /** Whether a step's DISTINCT calls can use the store: there are some, and one bit each fits. */
    public static boolean applies(List<AggregateCall> calls) {
        return calls.size() < Long.SIZE && calls.stream().anyMatch(AggregateCall::distinct);
    }

    public static String storeName(String step) {
        return step + "-distinct-store";
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(step)), Serdes.Bytes(),
                Serdes.ByteArray());
    }

    /** Whether a windowed step's DISTINCT calls can use a window store: tumbling windows only. */
    public static boolean appliesToWindow(List<AggregateCall> calls, WindowSpec window) {
        return window.kind() == WindowSpec.Kind.TUMBLE && applies(calls);
    }

    /** The store of a tumbling window's distinct values: trimmed with the window's own store. */
    public static StoreBuilder<WindowStore<Bytes, byte[]>> windowStore(String step, WindowSpec window) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(storeName(step),
                        WindowStoreRetention.of(window), Duration.ofMillis(window.sizeMs()), false),
                Serdes.Bytes(), Serdes.ByteArray());
    }

    /** The processor for {@code calls}' DISTINCT calls; {@code keySerde} writes the group key. */
    public static DistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation, Serde<Row> keySerde) {
        return of(step, calls, aggregation, keySerde, 0);
    }

    /** As {@link #of(String, List, Aggregation, Serde)}, per tumbling window of {@code windowSize} ms. */
    public static DistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation, Serde<Row> keySerde,
                             long windowSize) {
        int[] distinct = new int[(int) calls.stream().filter(AggregateCall::distinct).count()];
        List<List<SqlType>> types = new java.util.ArrayList<>();
        int d = 0;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).distinct()) {
                distinct[d++] = i;
                types.add(calls.get(i).arguments().stream().filter(e -> !Expr.isConstant(e)).map(Expr::type).toList());
            }
        }
        return new DistinctValues(storeName(step), aggregation, distinct, List.copyOf(types), keySerde, windowSize);
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        if (windowSize > 0) {
            this.seenInWindow = context.getStateStore(storeName);
        } else {
            this.seen = context.getStateStore(storeName);
        }
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        if (row == null || row == EndOfTime.MARKER) {
            context.forward(record);
            return;
        }
        byte[] group = keySerde.serializer().serialize(storeName, record.key());
        long firstOccurrences = 0;
        for (int d = 0; d < calls.length; d++) {
            int call = calls[d];
            if (!aggregation.passesFilter(call, row)) {
                continue;
            }
            Bytes key = key(group, call, types.get(d), aggregation.arguments(call, row));
            if (windowSize > 0) {
                // Kafka Streams' tumbling window start for the record (timestamps are never negative)
                long windowStart = record.timestamp() - record.timestamp() % windowSize;
                if (seenInWindow.fetch(key, windowStart) == null) {
                    seenInWindow.put(key, PRESENT, windowStart);
                    firstOccurrences |= 1L << call;
                }
            } else if (seen.get(key) == null) {
                seen.put(key, PRESENT);
                firstOccurrences |= 1L << call;
            }
        }
        Object[] out = new Object[row.size() + 1];
        System.arraycopy(row.toArray(), 0, out, 0, row.size());
        out[row.size()] = firstOccurrences;
        context.forward(record.withValue(new Row(out)));
    }

    /** Group key bytes (length-prefixed), the call's index, then the argument values. */
    private static Bytes key(byte[] group, int call, List<SqlType> types, Object[] values) {
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(group.length + 32);
            out.writeInt(group.length);
            out.write(group);
            out.writeByte(call);
            ValueCodec.writeRow(out, types, Row.of(values));
            return Bytes.wrap(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a distinct value", e);
        }
    }
}
