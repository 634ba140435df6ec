package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.TargetLags;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ScratchOutput;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import dev.sluice.runtime.plan.WindowSpec;
import org.apache.kafka.streams.kstream.Windows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.time.Duration;
import java.util.List;

/**
 * The distinct values of a GROUP BY's DISTINCT calls, kept in a state store keyed by
 * (group, value) with the bits of the calls that saw it (without a window, state format 22; by
 * (group, call, value) in windows) as Flink keeps them in a MapState, instead of as a set inside the
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
 * late guard runs first).
 *
 * <p>Hopping and cumulating windows put one record in several windows. The same window store is
 * keyed by (group, call, value) at each window's (stored) start, and the record carries one bit
 * set per window it reaches ({@link WindowMarks}): the windows {@code Windows#windowsFor} gives,
 * without those already closed (end at or before stream time minus grace), in that order, which is
 * the order and the rule of Kafka Streams' window aggregate. Stream time is the largest timestamp
 * this processor has seen, as the aggregate's, and held in memory as the aggregate's is. Per record
 * and DISTINCT call this is one lookup per window (size / slide, fixed by the query). Session
 * windows merge, which a store keyed by window start cannot follow: {@link SessionDistinctValues}
 * keys their values by time instead.
 */
public final class DistinctValues implements FixedKeyProcessor<Row, Row, Row> {
    private static final byte[] PRESENT = {1};
    /** Entries of {@link #store} waiting for the commit at most (about 10 MB of q16's). */
    static final int MAX_WAITING = 100_000;

    private final String storeName;
    private final Aggregation aggregation;
    private final int[] calls;
    private final List<List<SqlType>> types;
    /**
     * Per marked call, the earlier marked call (index into {@link #calls}) with the very same
     * arguments, column references only (q16's {@code COUNT(DISTINCT bidder)} and its FILTERed
     * twins), whose value key it reuses; -1 for none. Column values are the same for every call
     * of a record, so the key is too; an expression (RAND()) is evaluated per call, as before.
     */
    private final int[] sameArguments;
    private final Serde<Row> keySerde;
    private FixedKeyProcessorContext<Row, Row> context;
    /** The unwindowed store (state format 22) behind this processor's cache and filter. */
    private CallBitsStore seenPerValue;
    /** Tumbling windows' size in ms, or 0 when the aggregate is not windowed. */
    private final long windowSize;
    private WindowStore<Bytes, byte[]> seenInWindow;
    /** Hopping or cumulating windows (a record in several windows), else null. */
    private final Windows<?> windows;
    private long observedStreamTime = Long.MIN_VALUE;
    /**
     * A processing-time window's store: a key-value store keyed by (window start, group, call,
     * value), so that the aggregate deletes a window's values with one range scan when it emits it
     * ({@link #deleteWindow}), instead of a window store trimmed by retention.
     */
    private boolean startFirst;
    private KeyValueStore<Bytes, byte[]> seenByStart;

    private DistinctValues(String storeName, Aggregation aggregation, int[] calls, List<List<SqlType>> types,
                           Serde<Row> keySerde, long windowSize, Windows<?> windows, int[] sameArguments) {
        this.sameArguments = sameArguments;
        this.windowSize = windowSize;
        this.windows = windows;
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

    /**
     * Whether a stream step without window or with a time window needs this processor: one bit per
     * call fits, and some DISTINCT call is not a percentile, TOPK, COUNT_DISTINCT or ATTR counted
     * in {@code <step>-values-store} ({@link StoredMultiset}), which tells its first arrivals itself.
     */
    public static boolean appliesBesideMultisets(List<AggregateCall> calls) {
        return calls.size() < Long.SIZE && calls.stream().anyMatch(DistinctValues::marked);
    }

    /** Whether this processor marks {@code call}'s first occurrences (see {@link #appliesBesideMultisets}). */
    private static boolean marked(AggregateCall call) {
        return call.distinct() && StoredMultiset.of(call,
                call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList(), false, true).isEmpty();
    }

    public static String storeName(String step) {
        return step + "-distinct-store";
    }

    /**
     * The store of a GROUP BY's distinct values, without Kafka Streams' record cache: its entries
     * are written once per new value (and once more per call that first sees it), so the record
     * cache saved few writes while its sorted map cost a lookup per read and a copy per write and
     * flush. Reads of repeated and of new values are served by {@link CallBitsStore}'s cache and
     * filter instead. A write waits on the heap until the commit ({@link CommitBatchedKeyValueStore}),
     * which writes each entry changed since the last one once, all in one batch, with one changelog
     * record each, inside the commit's transaction under exactly-once: an entry that gains a second
     * call's bit in the same commit interval (q16's {@code COUNT(DISTINCT bidder)} over a bid of
     * another price band) is written once.
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step, StateBackend backend) {
        return CommitBatchedKeyValueStore.builder(backend.keyValue(storeName(step)).withCachingDisabled(), MAX_WAITING,
                CommitBatchedKeyValueStore.Reads.POINT);
    }

    /**
     * The key-value store of a processing-time window's distinct values ({@link #ofProcessingTime}),
     * with the record cache as before: its reads do not go through {@link CallBitsStore}.
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> processingTimeStore(String step, StateBackend backend) {
        return backend.keyValue(storeName(step)).withCachingEnabled();
    }

    /**
     * Whether a windowed step's DISTINCT calls can use a window store: time windows (tumbling,
     * hopping, cumulating), not sessions, which merge.
     */
    public static boolean appliesToWindow(List<AggregateCall> calls, WindowSpec window) {
        return window.kind() != WindowSpec.Kind.SESSION && appliesBesideMultisets(calls);
    }

    /** The store of a tumbling window's distinct values: trimmed with the window's own store. */
    public static StoreBuilder<WindowStore<Bytes, byte[]>> windowStore(String step, WindowSpec window,
                                                                       StateBackend backend) {
        return backend.window(storeName(step), WindowStoreRetention.of(window), Duration.ofMillis(window.sizeMs()));
    }

    /** The processor for {@code calls}' DISTINCT calls; {@code keySerde} writes the group key. */
    public static DistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation, Serde<Row> keySerde) {
        return of(step, calls, aggregation, keySerde, 0);
    }

    /** As {@link #of(String, List, Aggregation, Serde)}, per tumbling window of {@code windowSize} ms. */
    public static DistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation, Serde<Row> keySerde,
                             long windowSize) {
        return of(step, calls, aggregation, keySerde, windowSize, null);
    }

    /**
     * As {@link #of(String, List, Aggregation, Serde)}, per window of {@code windows}, the very
     * windows the aggregate uses (hopping or cumulating: a record in several windows); the rows
     * then carry {@link WindowMarks}.
     */
    public static DistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation, Serde<Row> keySerde,
                                    Windows<?> windows) {
        return of(step, calls, aggregation, keySerde, windows.size(), windows);
    }

    private static DistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation,
                                     Serde<Row> keySerde, long windowSize, Windows<?> windows) {
        // a call counted in <step>-values-store needs no mark: MultisetValues sees its first arrivals
        List<Integer> distinct = new java.util.ArrayList<>();
        List<List<SqlType>> types = new java.util.ArrayList<>();
        List<List<Expr>> arguments = new java.util.ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).distinct() && aggregation.kept(i) != Aggregation.ValuesKept.MULTISET_IN_STORE) {
                distinct.add(i);
                List<Expr> variable = calls.get(i).arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
                arguments.add(variable);
                types.add(variable.stream().map(Expr::type).toList());
            }
        }
        int[] sameArguments = new int[distinct.size()];
        for (int d = 0; d < sameArguments.length; d++) {
            sameArguments[d] = -1;
            boolean columns = !arguments.get(d).isEmpty()
                    && arguments.get(d).stream().allMatch(e -> e instanceof Expr.InputRef);
            for (int earlier = 0; columns && earlier < d; earlier++) {
                if (arguments.get(earlier).equals(arguments.get(d))) {
                    sameArguments[d] = earlier;
                    break;
                }
            }
        }
        return new DistinctValues(storeName(step), aggregation, distinct.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(types), keySerde, windowSize, windows, sameArguments);
    }

    /**
     * As {@link #of(String, List, Aggregation, Serde, Windows)} for a processing-time window, whose
     * rows carry the wall clock as timestamp, over {@link #store}'s key-value store keyed by window
     * start first (see {@link #deleteWindow}).
     */
    public static DistinctValues ofProcessingTime(String step, List<AggregateCall> calls, Aggregation aggregation,
                                                  Serde<Row> keySerde, Windows<?> windows) {
        DistinctValues processor = of(step, calls, aggregation, keySerde, windows);
        processor.startFirst = true;
        return processor;
    }

    /** Deletes the values of every group's window stored under {@code start} (a processing-time store). */
    public static void deleteWindow(KeyValueStore<Bytes, byte[]> store, long start) {
        List<Bytes> keys = new java.util.ArrayList<>();
        try (var it = store.range(Bytes.wrap(startPrefix(start)), Bytes.wrap(startPrefix(start + 1)))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (java.nio.ByteBuffer.wrap(key.get()).getLong() == (start ^ Long.MIN_VALUE)) {
                    keys.add(key);
                }
            }
        }
        keys.forEach(store::delete);
    }

    /** The window start with its sign bit flipped, so that the bytes sort as the numbers. */
    private static byte[] startPrefix(long start) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(start ^ Long.MIN_VALUE).array();
    }

    /** Whether {@code key} is new in the window at {@code start}; records it. */
    private boolean firstInWindow(Bytes key, long start) {
        if (startFirst) {
            Bytes stored = Bytes.wrap(java.nio.ByteBuffer.allocate(Long.BYTES + key.get().length)
                    .put(startPrefix(start)).put(key.get()).array());
            if (seenByStart.get(stored) != null) {
                return false;
            }
            seenByStart.put(stored, PRESENT);
            return true;
        }
        if (seenInWindow.fetch(key, start) != null) {
            return false;
        }
        seenInWindow.put(key, PRESENT, start);
        return true;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        if (startFirst) {
            this.seenByStart = context.getStateStore(storeName);
        } else if (windowSize > 0) {
            this.seenInWindow = context.getStateStore(storeName);
        } else {
            // after the store's restore; a revived or moved task comes here again and starts empty
            this.seenPerValue = CallBitsStore.open(context.getStateStore(storeName),
                    CallBitsStore.cacheBytes(context.appConfigs()));
        }
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        if (row != null) {
            // as the window aggregate's stream time: every record with a value, heartbeats included
            observedStreamTime = Math.max(observedStreamTime, record.timestamp());
        }
        if (row == null || row == EndOfTime.MARKER) {
            context.forward(record);
            return;
        }
        byte[] group = keySerde.serializer().serialize(storeName, record.key());
        if (windows != null) {
            context.forward(record.withValue(append(row, marksPerWindow(group, row, record.timestamp()))));
            return;
        }
        if (windowSize == 0 && !startFirst) {
            forwardMarkedPerValue(record, row, group);
            return;
        }
        // a tumbling window (windowSize > 0): hopping, cumulating and processing-time ones took the branch above
        long firstOccurrences = 0;
        List<Bytes> marked = null; // the keys this record marked seen, to take back should the aggregate fail it
        // Kafka Streams' tumbling window start for the record; timestamps are never negative
        long windowStart = record.timestamp() - record.timestamp() % windowSize;
        for (int d = 0; d < calls.length; d++) {
            int call = calls[d];
            if (!aggregation.passesFilter(call, row)) {
                continue;
            }
            Bytes key = key(group, call, types.get(d), aggregation.arguments(call, row));
            if (seenInWindow.fetch(key, windowStart) == null) {
                seenInWindow.put(key, PRESENT, windowStart);
                firstOccurrences |= 1L << call;
                marked = marked(marked, key);
            }
        }
        AggregationFailure.clear();
        try {
            context.forward(record.withValue(append(row, firstOccurrences)));
        } finally {
            if (marked != null && AggregationFailure.failed()) {
                // the aggregate dead-lettered the record: its values were never counted, so they are not seen
                for (Bytes key : marked) {
                    seenInWindow.put(key, null, windowStart);
                }
            }
        }
    }

    /**
     * Without a window (state format 22): one entry per (group, argument values) whose value holds
     * the bits of the calls that have seen them ({@link CallBits}), as Flink's distinct MapView keeps
     * one map entry per value for every call over the same argument, instead of one entry per
     * (group, call, value). The calls of a record whose argument values encode alike (q16's
     * {@code COUNT(DISTINCT bidder)} and its FILTERed twin) read and write one entry: per record one
     * lookup per distinct argument, and at most one write. The bits are per call, so two calls whose
     * different values happen to encode alike (other types) share an entry without mixing their marks.
     */
    private void forwardMarkedPerValue(FixedKeyRecord<Row, Row> record, Row row, byte[] group) {
        Bytes[] keys = new Bytes[calls.length];
        for (int d = 0; d < calls.length; d++) {
            if (aggregation.passesFilter(calls[d], row)) {
                int same = sameArguments[d];
                keys[d] = same >= 0 && keys[same] != null ? keys[same]
                        : valueKey(group, types.get(d), aggregation.arguments(calls[d], row));
            }
        }
        long firstOccurrences = 0;
        List<Bytes> written = null; // the entries this record changed and what they held, to take back on failure
        List<Long> before = null;
        for (int d = 0; d < calls.length; d++) {
            Bytes key = keys[d];
            if (key == null) {
                continue;
            }
            long bits = seenPerValue.read(key);
            long updated = bits;
            for (int e = d; e < calls.length; e++) {
                if (keys[e] != null && (e == d || keys[e].equals(key))) {
                    updated |= 1L << calls[e];
                    keys[e] = null;
                }
            }
            if (updated != bits) {
                seenPerValue.write(key, updated);
                firstOccurrences |= updated & ~bits;
                if (written == null) {
                    written = new java.util.ArrayList<>(2);
                    before = new java.util.ArrayList<>(2);
                }
                written.add(key);
                before.add(bits);
            }
        }
        AggregationFailure.clear();
        try {
            context.forward(record.withValue(append(row, firstOccurrences)));
        } finally {
            if (written != null && AggregationFailure.failed()) {
                // the aggregate dead-lettered the record: its values were never counted, so the
                // entries go back to what they held (0: none), through the local cache
                for (int i = written.size() - 1; i >= 0; i--) {
                    seenPerValue.write(written.get(i), before.get(i));
                }
            }
        }
    }

    private static List<Bytes> marked(List<Bytes> marked, Bytes key) {
        List<Bytes> keys = marked == null ? new java.util.ArrayList<>(2) : marked;
        keys.add(key);
        return keys;
    }

    /** One bit set per window the aggregate will update with this record, in its order. */
    private WindowMarks marksPerWindow(byte[] group, Row row, long timestamp) {
        long closeTime = observedStreamTime - windows.gracePeriodMs();
        List<Long> open = new java.util.ArrayList<>();
        for (var window : windows.windowsFor(timestamp).entrySet()) {
            if (window.getValue().end() > closeTime) {
                open.add(window.getKey());
            }
        }
        long[] marks = new long[open.size()];
        for (int d = 0; d < calls.length; d++) {
            int call = calls[d];
            if (!aggregation.passesFilter(call, row)) {
                continue;
            }
            Bytes key = key(group, call, types.get(d), aggregation.arguments(call, row));
            for (int w = 0; w < marks.length; w++) {
                long start = open.get(w);
                if (firstInWindow(key, start)) {
                    marks[w] |= 1L << call;
                }
            }
        }
        return new WindowMarks(marks);
    }

    private static Row append(Row row, Object marks) {
        Object[] out = row.toArray(1); // one copy, the mark's slot after the values
        out[row.size()] = marks;
        return new Row(out);
    }

    /**
     * Group key bytes (length-prefixed), the call's index, then the argument values
     * ({@link DistinctArgumentKeys}: by equality key when a MAP or VARIANT is among them).
     */
    /** Group key bytes (length-prefixed), then the argument values as {@link #key} writes them (format 22). */
    private static Bytes valueKey(byte[] group, List<SqlType> types, Object[] values) {
        return key(group, -1, types, values);
    }

    /** As {@link #valueKey} with the call's index ({@code call} >= 0) after the group. */
    private static Bytes key(byte[] group, int call, List<SqlType> types, Object[] values) {
        // the thread's reused buffer: the only allocation is the exact-length key
        ByteArrayDataOutput out = ScratchOutput.take();
        try {
            out.writeInt(group.length);
            out.write(group);
            if (call >= 0) {
                out.writeByte(call);
            }
            DistinctArgumentKeys.write(out, types, values);
            return Bytes.wrap(out.copyBytes());
        } finally {
            ScratchOutput.give(out);
        }
    }
}
