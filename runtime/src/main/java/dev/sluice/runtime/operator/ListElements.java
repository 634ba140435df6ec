package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windows;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The elements of a time window's ARRAY_AGG / COLLECT_LIST calls, kept in a changelogged
 * key-value store keyed by (group, window start, call, sequence) ({@link ListElementKeys}), as
 * Flink keeps a list in a MapState, instead of as a list inside the aggregate's value, which Kafka
 * Streams reads and rewrites whole on every record (O(n) per record in the group's size). Per
 * record, window and call this is one element write, plus one read and one write of the window's
 * entry (its next sequence numbers); the aggregate keeps only a count ({@link ElementCount}), and
 * the array is read back with one range scan when the window's row is emitted
 * ({@link ListElementsReader}), in arrival order.
 *
 * <p>Runs right before the aggregate and after the late guard, in the aggregate's sub-topology, so
 * that the store is partitioned, committed and restored with the aggregate's state, and a late
 * record adds no element. A record goes into the windows {@code Windows#windowsFor} gives that are
 * still open by the aggregate's own rule (end after stream time minus grace), as the aggregate
 * adds it to them.
 *
 * <p>Nothing here expires by time. With the record cache on, the aggregate's update of a window
 * reaches the suppress (EMIT FINAL) or the result (EMIT CHANGES) only when the cache is flushed,
 * after records of one commit interval that may move stream time arbitrarily far; a store trimmed
 * by stream time could drop a window's elements before its row is emitted. Instead windows are
 * deleted explicitly: with EMIT FINAL by the reader, right after it read them for the window's one
 * final row; with EMIT CHANGES here, once the window closed and its last update was emitted (the
 * entry's {@code emitted} count equals its {@code records}), or else by the reader when it emits that
 * waiting update, which it finds marked closed.
 *
 * <p>Applies to append-only streams in TUMBLE, HOP and CUMULATE windows, or without window, whose
 * ARRAY_AGG calls have no constant argument, DISTINCT or not, beside DISTINCT calls or not (since
 * state format 18: a DISTINCT call lists only the values {@link DistinctValues} marked first in the
 * group or window, so its list holds each value once, in first-arrival order); every other case
 * keeps the list in the value. A call with {@code ORDER BY k [DESC], ...} (keys with an ordered encoding) keys its
 * elements by (sort key, sequence) instead of sequence ({@link SortKeyBytes}, state format 11),
 * so one range scan lists them sorted, ties in arrival order, as the in-value list's stable sort. Without window a group is one entry under window start
 * {@link ListElementKeys#NO_WINDOW} that nothing deletes; its result processor reads the group's
 * elements, once per commit and group with the record cache on (once per record without it).
 *
 * <p>COLLECT_SET and HISTOGRAM calls live here too, by value ({@link ValueSets}): a value's first
 * arrival takes the call's next sequence number and an index entry; later arrivals only count
 * (HISTOGRAM). Their windows close and are deleted as the ARRAY_AGG ones, index entries included.
 */
public final class ListElements implements FixedKeyProcessor<Row, Row, Row> {
    private final String storeName;
    private final Aggregation aggregation;
    private final int[] calls;
    private final List<List<SqlType>> types;
    /** Per stored call: COLLECT_SET or HISTOGRAM ({@link ValueSets}), or null for an ARRAY_AGG. */
    private final ValueSets.Kind[] setKinds;
    private final Serde<Row> keySerde;
    private final Windows<TimeWindow> windows;
    private final boolean emitChanges;
    private KeyValueStore<Bytes, byte[]> store;
    private FixedKeyProcessorContext<Row, Row> context;
    private long observedStreamTime = Long.MIN_VALUE;
    /** The earliest close time in the closing index (EMIT CHANGES), read from the store when null. */
    private Long nextClose;

    /** Per stored call: its ORDER BY directions, empty without ORDER BY. */
    private final List<List<Boolean>> orders;

    private ListElements(String storeName, Aggregation aggregation, int[] calls, List<List<SqlType>> types,
                         List<List<Boolean>> orders, ValueSets.Kind[] setKinds, Serde<Row> keySerde,
                         Windows<TimeWindow> windows,
                         boolean emitChanges) {
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.calls = calls;
        this.types = types;
        this.orders = orders;
        this.setKinds = setKinds;
        this.keySerde = keySerde;
        this.windows = windows;
        this.emitChanges = emitChanges;
    }

    /**
     * Whether call {@code call} is an ARRAY_AGG whose elements can live in the store, or a
     * COLLECT_SET / HISTOGRAM whose values can ({@link ValueSets}).
     */
    static boolean storable(AggregateCall call) {
        return storableList(call) || ValueSets.kind(call) != null;
    }

    /** Whether call {@code call} is an ARRAY_AGG whose elements can live in a store (sessions: only these). */
    static boolean storableList(AggregateCall call) {
        return (call.function().equalsIgnoreCase("ARRAY_AGG") || call.function().equalsIgnoreCase("COLLECT_LIST"))
                && !call.distinct() && call.sortDescending().isEmpty() && call.arguments().size() == 1
                && call.arguments().stream().noneMatch(Expr::isConstant);
    }

    /**
     * Whether call {@code call} is an {@code ARRAY_AGG(x ORDER BY k [DESC], ...)} whose elements
     * can live in the store sorted by their keys (not over SESSION windows, whose merges move
     * elements by sequence): no DISTINCT, no constant argument, keys with an ordered encoding.
     */
    static boolean storableSorted(AggregateCall call) {
        return (call.function().equalsIgnoreCase("ARRAY_AGG") || call.function().equalsIgnoreCase("COLLECT_LIST"))
                && !call.distinct() && !call.sortDescending().isEmpty()
                && call.arguments().size() == 1 + call.sortDescending().size()
                && call.arguments().stream().noneMatch(Expr::isConstant)
                && SortKeyBytes.supports(call.arguments().subList(1, call.arguments().size()).stream()
                .map(Expr::type).toList());
    }

    /**
     * Whether {@code call}'s elements or values live in this store: an ARRAY_AGG with or without
     * ORDER BY, a COLLECT_SET or HISTOGRAM, each with or without DISTINCT ({@link DistinctValues}
     * marks a DISTINCT call's first occurrences, and only those become elements: state format 18).
     */
    private static boolean storedHere(AggregateCall call) {
        if (call.distinct()) {
            call = new AggregateCall(call.function(), call.arguments(), false, call.filter(), call.sortDescending(),
                    call.type(), call.retractFirstEqual());
        }
        return storable(call) || storableSorted(call);
    }

    /** The ARRAY_AGG calls among {@code calls} whose elements can live in a store, in call order. */
    static int[] storedLists(List<AggregateCall> calls) {
        return java.util.stream.IntStream.range(0, calls.size()).filter(i -> storableList(calls.get(i))).toArray();
    }

    /** Per stored call (in {@link #callsInStore} order): its {@link ValueSets.Kind}, or null for an ARRAY_AGG. */
    static ValueSets.Kind[] setKinds(List<AggregateCall> calls) {
        int[] stored = callsInStore(calls);
        ValueSets.Kind[] kinds = new ValueSets.Kind[stored.length];
        for (int c = 0; c < stored.length; c++) {
            kinds[c] = ValueSets.kindOf(calls.get(stored[c]));
        }
        return kinds;
    }

    /** Whether a stream step keeps COLLECT_SET or HISTOGRAM values in the store (state format 10). */
    public static boolean setsInStore(AggregateStep step) {
        return applies(step) && step.calls().stream().anyMatch(c -> ValueSets.kindOf(c) != null);
    }

    /** Whether a step's calls use the store: a time window, some storable ARRAY_AGG, COLLECT_SET or HISTOGRAM. */
    public static boolean applies(List<AggregateCall> calls, WindowSpec window) {
        return window.kind() != WindowSpec.Kind.SESSION && appliesWithoutWindow(calls);
    }

    /**
     * Whether a GROUP BY of a stream without window uses the store: some storable ARRAY_AGG,
     * COLLECT_SET or HISTOGRAM; beside a DISTINCT call only if {@link DistinctValues} can mark
     * every call (one bit each), since a DISTINCT collection relies on its marks.
     */
    public static boolean appliesWithoutWindow(List<AggregateCall> calls) {
        return calls.size() <= Byte.MAX_VALUE
                && (calls.size() < Long.SIZE || calls.stream().noneMatch(AggregateCall::distinct))
                && calls.stream().anyMatch(ListElements::storedHere);
    }

    /**
     * The state format of a stream step that {@link #applies}: 14 when both an ORDER BY call and a
     * COLLECT_SET / HISTOGRAM keep their elements here (format 11 held the sets, 10 the ORDER BY
     * list in the value), 11 with ORDER BY calls only (5 or 9 held that call's list in the value),
     * 10 with sets only (5 or 9 held their value → count maps), else 5 with a time window and 9
     * without; 18 whenever the step has a DISTINCT call (older builds kept every collection of such
     * a step in the value).
     */
    public static byte stateFormat(List<AggregateCall> calls, boolean windowed) {
        if (calls.stream().anyMatch(AggregateCall::distinct)) {
            // beside a DISTINCT call every older build kept the step's collections in the value
            return AggregateStateSerde.VERSION_DISTINCT_ELEMENTS;
        }
        boolean sorted = calls.stream().anyMatch(ListElements::storableSorted);
        boolean sets = calls.stream().anyMatch(c -> ValueSets.kind(c) != null);
        return sorted && sets ? AggregateStateSerde.VERSION_SETS_AND_SORTED
                : sorted ? AggregateStateSerde.VERSION_SORTED_ELEMENTS
                : sets ? AggregateStateSerde.VERSION_SETS_IN_STORE
                : windowed ? AggregateStateSerde.VERSION_LISTS_IN_STORE : AggregateStateSerde.VERSION_ELEMENTS_BESIDE;
    }

    /**
     * Whether an aggregation step of a stream keeps ARRAY_AGG elements in the store (its state is
     * then format 5 with a time window, 7 without, which {@code sluice diff} and the start-up guard
     * must tell apart from the lists in the value).
     */
    public static boolean applies(AggregateStep step) {
        return step.kind() != AggregateStep.Kind.TABLE && step.window().map(w -> applies(step.calls(), w))
                .orElseGet(() -> appliesWithoutWindow(step.calls()));
    }

    /** The calls whose elements are in this store (with or without ORDER BY), in call order. */
    static int[] callsInStore(List<AggregateCall> calls) {
        return java.util.stream.IntStream.range(0, calls.size()).filter(i -> storedHere(calls.get(i))).toArray();
    }

    public static String storeName(String step) {
        return step + "-elements-store";
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step, StateBackend backend) {
        return backend.keyValue(storeName(step));
    }

    /**
     * From now on {@code aggregation} keeps only a count for this store's calls (ARRAY_AGG with or
     * without ORDER BY, COLLECT_SET, HISTOGRAM), whose results {@link ListElementsReader} replaces,
     * all under state format {@link #stateFormat}. Call once at build time, before the aggregation's
     * serde is made. (The session store keeps only ARRAY_AGG without ORDER BY: {@link #storedLists}.)
     */
    public static void keepListsInStore(List<AggregateCall> calls, Aggregation aggregation, boolean windowed) {
        byte format = stateFormat(calls, windowed);
        for (int call : callsInStore(calls)) {
            aggregation.keepElementsInStore(call, ElementCount.FACTORY, format);
        }
    }

    /**
     * The form of state format 10 and older (before ORDER BY calls joined the store): only ARRAY_AGG
     * without ORDER BY, COLLECT_SET and HISTOGRAM keep a count, an ORDER BY call its list in the
     * value. Tests build the state an older build wrote with it; the builder uses {@link #keepListsInStore}.
     */
    static void keepElementsInStore(List<AggregateCall> calls, Aggregation aggregation, boolean windowed) {
        boolean sets = calls.stream().anyMatch(c -> ValueSets.kind(c) != null);
        for (int call = 0; call < calls.size(); call++) {
            if (storable(calls.get(call))) {
                aggregation.keepElementsInStore(call, ElementCount.FACTORY, sets ? AggregateStateSerde.VERSION_SETS_IN_STORE
                        : windowed ? AggregateStateSerde.VERSION_LISTS_IN_STORE : AggregateStateSerde.VERSION_ELEMENTS_BESIDE);
            }
        }
    }

    /** Per stored call: its ORDER BY directions (empty: arrival order). */
    static List<List<Boolean>> orders(List<AggregateCall> calls, int[] stored) {
        List<List<Boolean>> orders = new ArrayList<>();
        for (int call : stored) {
            orders.add(calls.get(call).sortDescending());
        }
        return List.copyOf(orders);
    }

    /**
     * The processor (one per task), for an aggregation prepared by {@link #keepElementsInStore};
     * {@code windows} null for a GROUP BY without window, whose elements are never deleted (as
     * Flink keeps a group's state without a TTL).
     */
    public static ListElements of(String step, List<AggregateCall> calls, Aggregation aggregation,
                                  Serde<Row> keySerde, Windows<TimeWindow> windows, boolean emitChanges) {
        int[] stored = callsInStore(calls);
        List<List<SqlType>> types = new ArrayList<>();
        for (int call : stored) {
            types.add(calls.get(call).arguments().stream().map(Expr::type).toList());
        }
        return new ListElements(storeName(step), aggregation, stored, List.copyOf(types), orders(calls, stored),
                setKinds(calls), keySerde, windows, emitChanges);
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.store = context.getStateStore(storeName);
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        long ts = record.timestamp();
        observedStreamTime = Math.max(observedStreamTime, ts);
        if (emitChanges) {
            deleteClosedWindows();
        }
        if (row != null && row != EndOfTime.MARKER) {
            byte[][] elements = new byte[calls.length][];
            // per call: an ORDER BY call's sort key, or a COLLECT_SET / HISTOGRAM value's index bytes
            byte[][] keys = new byte[calls.length][];
            for (int c = 0; c < calls.length; c++) {
                if (aggregation.passesFilter(calls[c], row)) {
                    Object[] arguments = aggregation.arguments(calls[c], row);
                    if (setKinds[c] == null || ValueSets.counts(setKinds[c], arguments[0])) {
                        elements[c] = encode(types.get(c), arguments);
                    }
                    if (setKinds[c] != null && elements[c] != null) {
                        keys[c] = ValueSets.indexBytesOf(types.get(c).get(0), elements[c]);
                    } else if (!orders.get(c).isEmpty()) {
                        keys[c] = SortKeyBytes.of(types.get(c).subList(1, arguments.length), orders.get(c),
                                java.util.Arrays.copyOfRange(arguments, 1, arguments.length));
                    }
                }
            }
            // every record counts, with an element or not: the reader compares the count with the
            // emitted state's rows to know whether an update of the window still waits in the cache
            byte[] group = keySerde.serializer().serialize(storeName, record.key());
            if (windows == null) {
                append(group, ListElementKeys.NO_WINDOW, Long.MAX_VALUE, elements, keys, row, 0);
                context.forward(record);
                return;
            }
            long closeTime = observedStreamTime - windows.gracePeriodMs();
            int open = 0;
            for (Map.Entry<Long, TimeWindow> w : windows.windowsFor(ts).entrySet()) {
                // the aggregate's rule: a window whose end is not after stream time minus grace is closed
                if (w.getValue().end() > closeTime) {
                    append(group, w.getKey(), w.getValue().end() + windows.gracePeriodMs(), elements, keys, row, open++);
                }
            }
            checkMarkedWindows(row, open);
        }
        context.forward(record);
    }

    /**
     * A DISTINCT call's marks cover the windows {@link DistinctValues} saw open, which must be the
     * ones seen here: fail loudly rather than list a value in the wrong window.
     */
    private void checkMarkedWindows(Row row, int open) {
        int marked = aggregation.markedWindows(row);
        if (marked >= 0 && marked != open) {
            throw new IllegalStateException("DistinctValues marked " + marked + " windows, " + storeName + " sees "
                    + open + " open");
        }
    }

    /**
     * {@code keys[c]}: call c's sort key (ORDER BY), its value's index bytes (a set), or null;
     * {@code window}: the window's index among the record's open ones, for a DISTINCT call's marks.
     */
    private void append(byte[] group, long windowStart, long closeTime, byte[][] elements, byte[][] keys, Row row,
                        int window) {
        Bytes entryKey = ListElementKeys.window(group, windowStart);
        byte[] bytes = store.get(entryKey);
        ListElementKeys.Entry entry = bytes == null ? ListElementKeys.Entry.empty(calls.length)
                : ListElementKeys.Entry.of(bytes);
        if (bytes == null && emitChanges) {
            store.put(ListElementKeys.closing(closeTime, group, windowStart), new byte[0]);
            if (nextClose != null && closeTime < nextClose) {
                nextClose = closeTime;
            }
        }
        for (int c = 0; c < calls.length; c++) {
            if (elements[c] == null || !aggregation.firstOccurrence(calls[c], row, window)) {
                continue; // no element, or a DISTINCT call's value already listed in this window
            }
            if (setKinds[c] != null) {
                // a value's first arrival only; HISTOGRAM counts the others in its element
                int call = c;
                if (ValueSets.add(store, ListElementKeys.setScope(group, windowStart, c), keys[c], elements[c],
                        entry.next()[c],
                        s -> ListElementKeys.element(group, windowStart, call, s),
                        setKinds[c] == ValueSets.Kind.HISTOGRAM)) {
                    entry.next()[c]++;
                }
                continue;
            }
            store.put(keys[c] == null ? ListElementKeys.element(group, windowStart, c, entry.next()[c])
                    : ListElementKeys.element(group, windowStart, c, keys[c], entry.next()[c]), elements[c]);
            entry.next()[c]++;
        }
        store.put(entryKey, new ListElementKeys.Entry(false, entry.emitted(), entry.records() + 1, entry.next())
                .bytes());
    }

    /**
     * EMIT CHANGES: the windows that closed by now. One whose last update was emitted goes at once;
     * one whose update still waits in the record cache is marked, and its emission deletes it.
     */
    private void deleteClosedWindows() {
        if (nextClose == null) {
            nextClose = firstCloseTime();
        }
        if (nextClose > observedStreamTime) {
            return;
        }
        List<Bytes> closed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.closingFrom(Long.MIN_VALUE),
                ListElementKeys.closingAfter(observedStreamTime))) {
            while (it.hasNext()) {
                closed.add(it.next().key);
            }
        }
        for (Bytes key : closed) {
            byte[] group = ListElementKeys.closingGroup(key);
            long windowStart = ListElementKeys.closingWindowStart(key);
            Bytes entryKey = ListElementKeys.window(group, windowStart);
            byte[] bytes = store.get(entryKey);
            if (bytes != null) {
                ListElementKeys.Entry entry = ListElementKeys.Entry.of(bytes);
                if (entry.emitted() == entry.records()) {
                    ListElementsReader.delete(store, group, windowStart, entry, orders, setKinds, types);
                } else {
                    store.put(entryKey, new ListElementKeys.Entry(true, entry.emitted(), entry.records(),
                            entry.next()).bytes());
                }
            }
            store.put(key, null);
        }
        nextClose = firstCloseTime();
    }

    private long firstCloseTime() {
        try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.closingFrom(Long.MIN_VALUE),
                ListElementKeys.closingAfter(Long.MAX_VALUE))) {
            return it.hasNext() ? ListElementKeys.closeTime(it.next().key) : Long.MAX_VALUE;
        }
    }

    private static byte[] encode(List<SqlType> types, Object[] element) {
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(16);
            ValueCodec.writeRow(out, types, Row.of(element));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an ARRAY_AGG element", e);
        }
    }
}
