package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The collections of a SESSION window aggregate, kept in {@code <step>-values-store} keyed by
 * (group, session, call, value or sequence) ({@link SessionCollectionKeys}) as Flink keeps a
 * MapState per window, instead of inside each session's state, which the session operator reads
 * and rewrites whole on every record:
 * <ul>
 *   <li>PERCENTILE_CONT/DISC and TOPK/TOPKDISTINCT ({@link StoredMultiset}): value → count with a
 *       cursor at the percentile's rank; the state holds the latest result ({@link HeldResult});</li>
 *   <li>COUNT_DISTINCT and ATTR ({@link DistinctCounts}): value → count with a note (distinct
 *       values, NULL rows); and the DISTINCT forms of all of these, each value weighing 1 (state
 *       format 12, {@link SessionStateFormat}); a merge counts a value new to the survivor once;</li>
 *   <li>ARRAY_AGG / COLLECT_LIST (no DISTINCT, no ORDER BY): one entry per element under a
 *       sequence number; the state holds the count ({@link ElementCount}); the array is read when
 *       a row is emitted ({@link #fill}).</li>
 *   <li>COLLECT_SET, HISTOGRAM, ARRAY_AGG with ORDER BY or DISTINCT and FIRST/LAST(DISTINCT):
 *       keyed by (sort key, sequence), sets with an index by value ({@link SessionOrderedElements},
 *       state format 16); their session entry slots follow the ARRAY_AGG calls'.</li>
 * </ul>
 * {@link SessionWindowAggregate} calls it with each record, after deciding which sessions the
 * record merges and before adding it. A record in one session costs O(log n): a seek for the
 * session's anchor, a point read and write per call, and a percentile's one cursor step. When a
 * record bridges sessions, the one with the most rows survives and the others' entries move into
 * it (ARRAY_AGG: the earlier sessions' elements before its own, the later ones' after, so the
 * array is the sessions' arrays in start order, as the state merger gave); a percentile's cursor
 * counts the moved values and walks to its new rank. A merge costs O(smaller sessions), and since
 * a moved entry's session at least doubles its rows, an entry moves at most log2(n) times (union
 * by size). A session's entries are deleted when the operator drops the session from its store.
 */
public final class SessionCollections {
    private final KeyValueStore<Bytes, byte[]> store;
    private final ValueCounts values;
    private final Aggregation aggregation;
    private final int callCount;
    private final int[] multisetCalls;
    private final int[] elementCalls;
    private final List<List<SqlType>> elementTypes;
    /** Sorted and deduplicated collections (state format 16), their slots after the ARRAY_AGG calls' in the session entry. */
    private final SessionOrderedElements ordered;
    /** Slots in a session entry: the ARRAY_AGG calls', then {@link #ordered}'s. */
    private final int slots;

    private SessionCollections(KeyValueStore<Bytes, byte[]> store, List<AggregateCall> calls,
                               Aggregation aggregation) {
        this.store = store;
        this.values = new ValueCounts(store, aggregation);
        this.aggregation = aggregation;
        this.callCount = calls.size();
        this.multisetCalls = java.util.stream.IntStream.range(0, calls.size())
                .filter(i -> aggregation.kept(i) == Aggregation.ValuesKept.MULTISET_IN_STORE).toArray();
        this.elementCalls = ListElements.storedLists(calls);
        List<List<SqlType>> types = new ArrayList<>();
        for (int call : elementCalls) {
            types.add(calls.get(call).arguments().stream().map(Expr::type).toList());
        }
        this.elementTypes = List.copyOf(types);
        this.ordered = new SessionOrderedElements(store, calls, aggregation, elementCalls.length);
        this.slots = elementCalls.length + ordered.size();
    }

    /** Whether a SESSION aggregate of {@code calls} keeps collections here (state format 8, or 12). */
    public static boolean applies(List<AggregateCall> calls, WindowSpec window) {
        return window.kind() == WindowSpec.Kind.SESSION && calls.size() <= Byte.MAX_VALUE
                && (hasMultisets(calls) || calls.stream().anyMatch(ListElements::storableList)
                || SessionOrderedElements.keepsAny(calls));
    }

    /**
     * Whether a SESSION aggregate keeps {@code call}'s values here: PERCENTILE_CONT/DISC,
     * TOPK/TOPKDISTINCT, COUNT_DISTINCT and ATTR over one value of a type with an ordered
     * encoding, with or without DISTINCT ({@link StoredMultiset#ofSession}).
     */
    public static boolean keeps(AggregateCall call) {
        return StoredMultiset.ofSession(call, variable(call)).isPresent();
    }

    private static List<Expr> variable(AggregateCall call) {
        return call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
    }

    /** Whether a step keeps collections here (for the builder, {@code sluice diff} and the start-up guard). */
    public static boolean applies(AggregateStep step) {
        return step.kind() != AggregateStep.Kind.TABLE && step.window().isPresent()
                && applies(step.calls(), step.window().get());
    }

    /** Whether some of {@code calls} is kept here by value (the row then carries their results). */
    public static boolean hasMultisets(List<AggregateCall> calls) {
        return calls.size() <= Byte.MAX_VALUE && calls.stream().anyMatch(SessionCollections::keeps);
    }

    public static String storeName(String step) {
        return ValueCounts.storeName(step);
    }

    /** A changelogged key-value store behind the record cache (its reverse scans: see {@link ValueCounts}). */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step, StateBackend backend) {
        return ValueCounts.store(step, backend);
    }

    /** Makes {@code aggregation} keep only counts for the stored ARRAY_AGG calls. Build time, before its serde. */
    public static void prepare(List<AggregateCall> calls, Aggregation aggregation) {
        // sorted and deduplicated collections: SessionOrderedElements (state format 16)
        SessionOrderedElements.prepare(calls, aggregation);
        for (int call : ListElements.storedLists(calls)) {
            aggregation.keepElementsInStore(call, ElementCount.FACTORY, AggregateStateSerde.VERSION_LISTS_IN_STORE);
        }
        for (int i = 0; i < calls.size(); i++) {
            // a DISTINCT percentile, TOPK, COUNT_DISTINCT or ATTR: each value weighs 1 in its session
            if (aggregation.kept(i) != Aggregation.ValuesKept.MULTISET_IN_STORE && keeps(calls.get(i))) {
                aggregation.keepMultisetInStore(i, StoredMultiset.ofSession(calls.get(i), variable(calls.get(i)))
                        .orElseThrow(), calls.get(i));
            }
        }
    }

    /** What the session operator needs to open the collections in its task. */
    public record Plan(String storeName, List<AggregateCall> calls) {
        public SessionCollections open(KeyValueStore<Bytes, byte[]> store, Aggregation aggregation) {
            return new SessionCollections(store, calls, aggregation);
        }
    }

    /** A session the record merges: its span and its number of rows. */
    record Merging(long start, long end, long rows) {
    }

    /**
     * Moves the entries of the merged sessions into the one that survives (or opens a session for
     * a record that merges none), adds the record's values, and returns the row to hand to the
     * aggregate: with {@link StoredResults} appended when a percentile or TOPK is kept here.
     *
     * @param merged the sessions the record merges, in start order
     * @param ts     the record's time, the anchor of a new session
     */
    Row update(byte[] group, List<Merging> merged, long ts, Row row) {
        Object[] results = multisetCalls.length == 0 ? null : new Object[callCount];
        if (results != null) {
            for (int call : multisetCalls) {
                results[call] = StoredMultiset.UNCHANGED;
            }
        }
        long anchor;
        SessionCollectionKeys.Meta meta;
        boolean changed = false;
        if (merged.isEmpty()) {
            anchor = ts;
            meta = SessionCollectionKeys.Meta.empty(slots);
            changed = true;
        } else {
            long[] anchors = new long[merged.size()];
            int survivor = 0;
            for (int i = 0; i < anchors.length; i++) {
                anchors[i] = anchor(group, merged.get(i).start(), merged.get(i).end());
                if (merged.get(i).rows() > merged.get(survivor).rows()) {
                    survivor = i;
                }
            }
            anchor = anchors[survivor];
            meta = meta(group, anchor);
            if (anchors.length > 1) {
                merge(group, anchors, survivor, meta, results);
                changed = true;
            }
        }
        for (int c = 0; c < elementCalls.length; c++) {
            if (aggregation.passesFilter(elementCalls[c], row)) {
                meta.high()[c]++;
                store.put(SessionCollectionKeys.element(group, anchor, c, meta.high()[c]),
                        encode(elementTypes.get(c), aggregation.arguments(elementCalls[c], row)));
                changed = true;
            }
        }
        changed |= ordered.add(group, anchor, meta, row);
        if (results != null) {
            values.group(SessionCollectionKeys.valuesGroup(group, anchor));
            for (int call : multisetCalls) {
                if (aggregation.passesFilter(call, row)) {
                    Object result = aggregation.multiset(call).update(values, call, aggregation.arguments(call, row)[0], 1);
                    if (result != StoredMultiset.UNCHANGED) {
                        results[call] = result;
                    }
                }
            }
        }
        if (changed) {
            store.put(SessionCollectionKeys.session(group, anchor), meta.bytes());
        }
        if (results == null) {
            return row;
        }
        Object[] out = Arrays.copyOf(row.toArray(), row.size() + 1);
        out[row.size()] = new StoredResults(new Object[][] {results});
        return new Row(out);
    }

    /**
     * Moves every entry of the merged sessions but the survivor's into the survivor's, deletes
     * theirs, and sets each percentile's and TOPK's merged result in {@code results}.
     */
    private void merge(byte[] group, long[] anchors, int survivor, SessionCollectionKeys.Meta meta,
                       Object[] results) {
        long anchor = anchors[survivor];
        SessionCollectionKeys.Meta[] metas = new SessionCollectionKeys.Meta[anchors.length];
        for (int i = 0; i < anchors.length; i++) {
            metas[i] = i == survivor ? meta : meta(group, anchors[i]);
        }
        for (int c = 0; c < elementCalls.length; c++) {
            // earlier sessions go before the survivor's elements, nearest first; later ones after
            for (int i = survivor - 1; i >= 0; i--) {
                List<byte[]> elements = takeElements(group, anchors[i], c, metas[i]);
                for (int e = elements.size() - 1; e >= 0; e--) {
                    meta.low()[c]--;
                    store.put(SessionCollectionKeys.element(group, anchor, c, meta.low()[c]), elements.get(e));
                }
            }
            for (int i = survivor + 1; i < anchors.length; i++) {
                for (byte[] element : takeElements(group, anchors[i], c, metas[i])) {
                    meta.high()[c]++;
                    store.put(SessionCollectionKeys.element(group, anchor, c, meta.high()[c]), element);
                }
            }
        }
        ordered.merge(group, anchors, survivor, metas);
        for (int call : multisetCalls) {
            List<ValueCounts.Counted> moved = new ArrayList<>();
            List<byte[]> notes = new ArrayList<>();
            for (int i = 0; i < anchors.length; i++) {
                if (i != survivor) {
                    values.group(SessionCollectionKeys.valuesGroup(group, anchors[i]));
                    moved.addAll(values.all(call));
                    byte[] note = values.note(call);
                    if (note != null) {
                        notes.add(note);
                    }
                }
            }
            values.group(SessionCollectionKeys.valuesGroup(group, anchor));
            results[call] = aggregation.multiset(call).absorb(values, call, moved, notes);
        }
        for (int i = 0; i < anchors.length; i++) {
            if (i != survivor) {
                if (multisetCalls.length > 0) {
                    values.group(SessionCollectionKeys.valuesGroup(group, anchors[i]));
                    values.deleteGroup();
                }
                store.delete(SessionCollectionKeys.session(group, anchors[i]));
            }
        }
    }

    /** A merged-away session's elements of call {@code c} in order, deleted from the store. */
    private List<byte[]> takeElements(byte[] group, long anchor, int c, SessionCollectionKeys.Meta meta) {
        List<byte[]> out = new ArrayList<>();
        if (meta.low()[c] > meta.high()[c]) {
            return out;
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(
                SessionCollectionKeys.element(group, anchor, c, meta.low()[c]),
                SessionCollectionKeys.element(group, anchor, c, meta.high()[c]))) {
            while (it.hasNext()) {
                out.add(it.next().value);
            }
        }
        for (long s = meta.low()[c]; s <= meta.high()[c]; s++) {
            store.put(SessionCollectionKeys.element(group, anchor, c, s), null);
        }
        return out;
    }

    /** Deletes every entry of the session [start, end] (the operator dropped it from its store). */
    void remove(byte[] group, long start, long end) {
        Long anchor = find(group, start, end);
        if (anchor == null) {
            return;
        }
        SessionCollectionKeys.Meta meta = meta(group, anchor);
        for (int c = 0; c < elementCalls.length; c++) {
            for (long s = meta.low()[c]; s <= meta.high()[c]; s++) {
                store.put(SessionCollectionKeys.element(group, anchor, c, s), null);
            }
        }
        if (multisetCalls.length > 0) {
            values.group(SessionCollectionKeys.valuesGroup(group, anchor));
            values.deleteGroup();
        }
        ordered.remove(group, anchor);
        store.delete(SessionCollectionKeys.session(group, anchor));
    }

    /**
     * Replaces, in the result row {@code out} of session [start, end] (call results after
     * {@code prefixWidth} values), each stored ARRAY_AGG's element count with its elements, read
     * in order by one range scan: O(n) per emitted row, as the row lists them all.
     */
    public void fill(byte[] group, long start, long end, Object[] out, int prefixWidth) {
        if (ordered.size() > 0) {
            Long[] found = {null};
            ordered.fill(group, () -> found[0] != null ? found[0] : (found[0] = anchor(group, start, end)), out,
                    prefixWidth);
        }
        if (elementCalls.length == 0) {
            return;
        }
        SessionCollectionKeys.Meta meta = null;
        long anchor = 0;
        for (int c = 0; c < elementCalls.length; c++) {
            Object count = out[prefixWidth + elementCalls[c]];
            if (count == null) {
                continue; // no element: ARRAY_AGG of no input is NULL
            }
            if (meta == null) {
                anchor = anchor(group, start, end);
                meta = meta(group, anchor);
            }
            List<Object> elements = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.range(
                    SessionCollectionKeys.element(group, anchor, c, meta.low()[c]),
                    SessionCollectionKeys.element(group, anchor, c, meta.high()[c]))) {
                while (it.hasNext()) {
                    elements.add(ValueCodec.readRow(new ByteArrayDataInput(it.next().value), elementTypes.get(c)).get(0));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decode an ARRAY_AGG element", e);
            }
            if (elements.size() != (Long) count) {
                throw new IllegalStateException("session [" + start + ", " + end + "] holds " + elements.size()
                        + " elements of ARRAY_AGG call " + elementCalls[c] + ", its state counts " + count);
            }
            out[prefixWidth + elementCalls[c]] = Collections.unmodifiableList(elements);
        }
    }

    /** The anchor of the live session [start, end]; it has one, or the store lost it. */
    private long anchor(byte[] group, long start, long end) {
        Long anchor = find(group, start, end);
        if (anchor == null) {
            throw new IllegalStateException("no entry for session [" + start + ", " + end + "] in its collections'"
                    + " store (state of another Sluice version?)");
        }
        return anchor;
    }

    private Long find(byte[] group, long start, long end) {
        try (KeyValueIterator<Bytes, byte[]> it = store.range(SessionCollectionKeys.session(group, start),
                SessionCollectionKeys.session(group, end))) {
            while (it.hasNext()) {
                var next = it.next();
                if (next.value != null && SessionCollectionKeys.isSession(next.key.get(), group)) {
                    return SessionCollectionKeys.anchor(next.key.get());
                }
            }
        }
        return null;
    }

    private SessionCollectionKeys.Meta meta(byte[] group, long anchor) {
        byte[] bytes = store.get(SessionCollectionKeys.session(group, anchor));
        return bytes == null ? SessionCollectionKeys.Meta.empty(slots) : SessionCollectionKeys.Meta.of(bytes);
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
