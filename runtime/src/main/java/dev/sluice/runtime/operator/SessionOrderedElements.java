package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SESSION window collections that are sorted or deduplicated, kept per session in
 * {@link SessionCollections}' store (state format 16, keys in {@link SessionOrderedKeys}) instead
 * of in each session's state: ARRAY_AGG / COLLECT_LIST with ORDER BY and/or DISTINCT,
 * COLLECT_SET and HISTOGRAM (with or without DISTINCT), and FIRST / LAST with DISTINCT (with or
 * without ORDER BY). Each element is keyed by (sort key, sequence), so one range scan lists them
 * as the in-value accumulator gave them: sorted by the ORDER BY keys ({@link SortKeyBytes}, none:
 * sequence order alone) with ties in sequence order. A set (every call here but the plain ORDER BY
 * list) also has an index entry per value (its {@link ValueSets#indexBytes}, the ORDER BY keys
 * included, as {@code agg(DISTINCT x ORDER BY k)} deduplicates (x, k)) → (sequence, sort key).
 *
 * <p><b>Sequence order is the in-value order.</b> The session operator merges the sessions' states
 * in start order into the initializer's, then adds the record: the in-value list is the sessions'
 * lists in start order and then the record, and a set (a {@code LinkedHashMap}) lists each value
 * where it first occurs in that concatenation, holding the first such occurrence's value object
 * (HISTOGRAM: the counts added). Here a record takes the session's next sequence (above its
 * highest); a merge keeps the sessions' own sequences in order and shifts the smaller sessions'
 * whole ranges below the survivor's lowest (sessions that start before it, nearest first) or above
 * its highest (those after it). A moved set value the survivor already holds stays where it is
 * when it comes from a later session (its count added), and moves to the moved element's sequence
 * (its bytes, the counts added) when it comes from an earlier one: so the value ends at its
 * earliest occurrence in start order, whatever order the records arrived in. "Arrival order" of
 * ORDER BY ties is therefore the in-value one: session start order, then arrival within a session.
 *
 * <p>Costs: a record is one point read of the index (sets) and an element write, O(log n); a
 * merge reads and rewrites the smaller sessions' entries (a point read of the survivor's index
 * each), amortized O(log n) per entry as {@link SessionCollections}' other moves. Emission reads the
 * whole collection by one range scan (the row is the collection), FIRST / LAST one entry from
 * either end. A session's entries are deleted with the session.
 */
final class SessionOrderedElements {
    /** How a call's elements become its result, and whether equal values are one element. */
    enum Kind {
        /** ARRAY_AGG(x ORDER BY ...): every arrival an element. */
        SORTED_LIST(false),
        /** ARRAY_AGG(DISTINCT x [ORDER BY ...]): each (x, keys) once, NULL x included. */
        DISTINCT_LIST(true),
        /** COLLECT_SET([DISTINCT] x): each value once, NULL included. */
        SET(true),
        /** HISTOGRAM(x): value → count, NULL skipped. */
        HISTOGRAM(true),
        /** HISTOGRAM(DISTINCT x): each value counts 1. */
        DISTINCT_HISTOGRAM(true),
        /** FIRST(DISTINCT x [ORDER BY ...]): the first non-NULL x of the set (the first element: NULL x is not kept). */
        FIRST(true),
        /** LAST(DISTINCT x [ORDER BY ...]): the last non-NULL x of the set. */
        LAST(true);

        final boolean set;

        Kind(boolean set) {
            this.set = set;
        }

        /** Whether an element whose x is NULL is left out (it never shows in the result). */
        boolean skipsNull() {
            return this == HISTOGRAM || this == DISTINCT_HISTOGRAM || this == FIRST || this == LAST;
        }
    }

    private static final byte[] NO_SORT_KEY = {};

    private final KeyValueStore<Bytes, byte[]> store;
    private final Aggregation aggregation;
    /** The calls kept here, in call order. */
    private final int[] calls;
    private final Kind[] kinds;
    /** Per kept call: the types of its arguments (x, then the ORDER BY keys). */
    private final List<List<SqlType>> types;
    private final List<List<Boolean>> descending;
    /** The first slot of these calls in the session entry's {@link SessionCollectionKeys.Meta}. */
    private final int firstSlot;

    SessionOrderedElements(KeyValueStore<Bytes, byte[]> store, List<AggregateCall> calls, Aggregation aggregation,
                           int firstSlot) {
        this.store = store;
        this.aggregation = aggregation;
        this.calls = kept(calls);
        this.kinds = new Kind[this.calls.length];
        List<List<SqlType>> argumentTypes = new ArrayList<>();
        List<List<Boolean>> directions = new ArrayList<>();
        for (int c = 0; c < this.calls.length; c++) {
            AggregateCall call = calls.get(this.calls[c]);
            kinds[c] = kind(call);
            argumentTypes.add(call.arguments().stream().map(Expr::type).toList());
            directions.add(call.sortDescending());
        }
        this.types = List.copyOf(argumentTypes);
        this.descending = List.copyOf(directions);
        this.firstSlot = firstSlot;
    }

    /**
     * The call's kind when a session keeps it here, else null: no constant argument, ORDER BY keys
     * with an ordered encoding, and one of the forms above (COLLECT_SET and HISTOGRAM without ORDER BY).
     */
    static Kind kind(AggregateCall call) {
        if (call.arguments().size() != 1 + call.sortDescending().size()
                || call.arguments().stream().anyMatch(Expr::isConstant)
                || !SortKeyBytes.supports(call.arguments().subList(1, call.arguments().size()).stream()
                .map(Expr::type).toList())) {
            return null;
        }
        boolean sorted = !call.sortDescending().isEmpty();
        return switch (call.function().toUpperCase(Locale.ROOT)) {
            case "ARRAY_AGG", "COLLECT_LIST" -> call.distinct() ? Kind.DISTINCT_LIST : sorted ? Kind.SORTED_LIST : null;
            case "COLLECT_SET" -> sorted ? null : Kind.SET;
            case "HISTOGRAM" -> sorted ? null : call.distinct() ? Kind.DISTINCT_HISTOGRAM : Kind.HISTOGRAM;
            case "FIRST", "FIRST_VALUE" -> call.distinct() ? Kind.FIRST : null;
            case "LAST", "LAST_VALUE" -> call.distinct() ? Kind.LAST : null;
            default -> null;
        };
    }

    /** The calls a session keeps here, in call order. */
    static int[] kept(List<AggregateCall> calls) {
        return java.util.stream.IntStream.range(0, calls.size()).filter(i -> kind(calls.get(i)) != null).toArray();
    }

    /** Whether a session aggregate of {@code calls} keeps some call here (state format 16). */
    static boolean keepsAny(List<AggregateCall> calls) {
        return calls.size() <= Byte.MAX_VALUE && kept(calls).length > 0;
    }

    /** Makes {@code aggregation} keep only a row count for these calls (their result is read here). Build time. */
    static void prepare(List<AggregateCall> calls, Aggregation aggregation) {
        for (int call : kept(calls)) {
            aggregation.keepSessionElementsInStore(call);
        }
    }

    int size() {
        return calls.length;
    }

    /** Adds the record's elements to the session anchored at {@code anchor}; returns whether {@code meta} changed. */
    boolean add(byte[] group, long anchor, SessionCollectionKeys.Meta meta, Row row) {
        boolean changed = false;
        for (int c = 0; c < calls.length; c++) {
            if (!aggregation.passesFilter(calls[c], row)) {
                continue;
            }
            Object[] arguments = aggregation.arguments(calls[c], row);
            if (arguments[0] == null && kinds[c].skipsNull()) {
                continue;
            }
            int slot = firstSlot + c;
            byte[] sortKey = sortKey(c, arguments);
            byte[] tuple = encode(types.get(c), arguments);
            if (!kinds[c].set) {
                meta.high()[slot]++;
                store.put(SessionOrderedKeys.element(group, anchor, slot, sortKey, meta.high()[slot]), counted(1, tuple));
                changed = true;
                continue;
            }
            Bytes index = SessionOrderedKeys.index(group, anchor, slot, indexBytes(c, arguments));
            byte[] held = store.get(index);
            if (held == null) {
                meta.high()[slot]++;
                store.put(index, SessionOrderedKeys.indexValue(meta.high()[slot], sortKey));
                store.put(SessionOrderedKeys.element(group, anchor, slot, sortKey, meta.high()[slot]), counted(1, tuple));
                changed = true;
            } else if (kinds[c] == Kind.HISTOGRAM) {
                Bytes element = SessionOrderedKeys.element(group, anchor, slot, SessionOrderedKeys.sortKeyOfIndex(held),
                        SessionOrderedKeys.sequenceOfIndex(held));
                byte[] bytes = store.get(element);
                store.put(element, counted(countOf(bytes) + 1, tupleOf(bytes)));
            }
        }
        return changed;
    }

    /**
     * Moves every merged-away session's entries into the survivor's ({@code metas[survivor]}, whose
     * ranges it widens), as the class comment describes, and deletes theirs.
     */
    void merge(byte[] group, long[] anchors, int survivor, SessionCollectionKeys.Meta[] metas) {
        for (int c = 0; c < calls.length; c++) {
            for (int i = survivor - 1; i >= 0; i--) {
                move(group, anchors[i], metas[i], anchors[survivor], metas[survivor], c, true);
            }
            for (int i = survivor + 1; i < anchors.length; i++) {
                move(group, anchors[i], metas[i], anchors[survivor], metas[survivor], c, false);
            }
        }
    }

    private void move(byte[] group, long from, SessionCollectionKeys.Meta fromMeta, long to,
                      SessionCollectionKeys.Meta toMeta, int c, boolean earlier) {
        int slot = firstSlot + c;
        long low = fromMeta.low()[slot];
        long high = fromMeta.high()[slot];
        if (low > high) {
            return;
        }
        // earlier: the moved range ends right below the survivor's lowest; later: starts above its highest
        long shift = earlier ? toMeta.low()[slot] - 1 - high : toMeta.high()[slot] + 1 - low;
        for (KeyValue<Bytes, byte[]> entry : elements(group, from, slot)) {
            byte[] key = entry.key.get();
            byte[] sortKey = SessionOrderedKeys.sortKeyOf(key, group);
            long sequence = SessionOrderedKeys.sequenceOf(key) + shift;
            store.delete(entry.key);
            if (!kinds[c].set) {
                store.put(SessionOrderedKeys.element(group, to, slot, sortKey, sequence), entry.value);
                continue;
            }
            byte[] value = indexBytes(c, decode(types.get(c), tupleOf(entry.value)));
            store.delete(SessionOrderedKeys.index(group, from, slot, value));
            Bytes index = SessionOrderedKeys.index(group, to, slot, value);
            byte[] held = store.get(index);
            if (held == null) {
                store.put(index, SessionOrderedKeys.indexValue(sequence, sortKey));
                store.put(SessionOrderedKeys.element(group, to, slot, sortKey, sequence), entry.value);
                continue;
            }
            Bytes there = SessionOrderedKeys.element(group, to, slot, SessionOrderedKeys.sortKeyOfIndex(held),
                    SessionOrderedKeys.sequenceOfIndex(held));
            byte[] thereBytes = store.get(there);
            long count = countOf(thereBytes) + countOf(entry.value);
            if (earlier) {
                // the value first occurs in the earlier session: it takes that element's place and bytes
                store.delete(there);
                store.put(index, SessionOrderedKeys.indexValue(sequence, sortKey));
                store.put(SessionOrderedKeys.element(group, to, slot, sortKey, sequence), counted(count, tupleOf(entry.value)));
            } else if (kinds[c] == Kind.HISTOGRAM) {
                store.put(there, counted(count, tupleOf(thereBytes)));
            }
        }
        long moved = high - low + 1;
        if (earlier) {
            toMeta.low()[slot] -= moved;
        } else {
            toMeta.high()[slot] += moved;
        }
    }

    /** Deletes every entry of the session anchored at {@code anchor}. */
    void remove(byte[] group, long anchor) {
        for (int c = 0; c < calls.length; c++) {
            int slot = firstSlot + c;
            for (KeyValue<Bytes, byte[]> entry : elements(group, anchor, slot)) {
                store.delete(entry.key);
            }
            if (kinds[c].set) {
                List<Bytes> index = new ArrayList<>();
                try (KeyValueIterator<Bytes, byte[]> it = store.range(SessionOrderedKeys.indexFrom(group, anchor, slot),
                        SessionOrderedKeys.indexTo(group, anchor, slot))) {
                    while (it.hasNext()) {
                        index.add(it.next().key);
                    }
                }
                index.forEach(store::delete);
            }
        }
    }

    /**
     * Replaces, in the result row {@code out} (call results after {@code prefixWidth} values), each
     * kept call's row count with its result read from the session anchored at {@code anchor}.
     */
    void fill(byte[] group, java.util.function.LongSupplier anchor, Object[] out, int prefixWidth) {
        for (int c = 0; c < calls.length; c++) {
            int at = prefixWidth + calls[c];
            Kind kind = kinds[c];
            if (out[at] == null) {
                // no row passed the FILTER: HISTOGRAM is an empty map, the others NULL
                out[at] = kind == Kind.HISTOGRAM || kind == Kind.DISTINCT_HISTOGRAM ? Collections.emptyMap() : null;
                continue;
            }
            int slot = firstSlot + c;
            long session = anchor.getAsLong();
            if (kind == Kind.FIRST || kind == Kind.LAST) {
                out[at] = end(group, session, slot, c, kind == Kind.LAST);
                continue;
            }
            List<Object> list = new ArrayList<>();
            Map<Object, Long> histogram = new LinkedHashMap<>();
            for (KeyValue<Bytes, byte[]> entry : elements(group, session, slot)) {
                Object x = decode(types.get(c), tupleOf(entry.value))[0];
                if (kind == Kind.HISTOGRAM || kind == Kind.DISTINCT_HISTOGRAM) {
                    histogram.put(x, kind == Kind.HISTOGRAM ? countOf(entry.value) : 1L);
                } else {
                    list.add(x);
                }
            }
            if (kind == Kind.HISTOGRAM || kind == Kind.DISTINCT_HISTOGRAM) {
                out[at] = Collections.unmodifiableMap(histogram);
            } else {
                out[at] = list.isEmpty() ? null : Collections.unmodifiableList(list);
            }
        }
    }

    /** x of the first (or last) element, or NULL for none: one seek from either end. */
    private Object end(byte[] group, long anchor, int slot, int c, boolean last) {
        Bytes from = SessionOrderedKeys.elementsFrom(group, anchor, slot);
        Bytes to = SessionOrderedKeys.elementsTo(group, anchor, slot);
        try (KeyValueIterator<Bytes, byte[]> it = last ? store.reverseRange(from, to) : store.range(from, to)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                // a cached reverse scan can return deleted keys or old values (see ValueCounts#live)
                byte[] bytes = next.value == null ? null : last ? store.get(next.key) : next.value;
                if (bytes != null && SessionOrderedKeys.isElementOf(next.key.get(), group, anchor, slot)) {
                    return decode(types.get(c), tupleOf(bytes))[0];
                }
            }
        }
        return null;
    }

    /** A session's elements of one call, read whole before the caller changes the store. */
    private List<KeyValue<Bytes, byte[]>> elements(byte[] group, long anchor, int slot) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(SessionOrderedKeys.elementsFrom(group, anchor, slot),
                SessionOrderedKeys.elementsTo(group, anchor, slot))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (next.value != null) {
                    out.add(next);
                }
            }
        }
        return out;
    }

    private byte[] sortKey(int c, Object[] arguments) {
        if (descending.get(c).isEmpty()) {
            return NO_SORT_KEY;
        }
        return SortKeyBytes.of(types.get(c).subList(1, arguments.length), descending.get(c),
                java.util.Arrays.copyOfRange(arguments, 1, arguments.length));
    }

    /** The bytes equal values share: each argument's {@link ValueSets#indexBytes}, one after the other. */
    private byte[] indexBytes(int c, Object[] arguments) {
        if (arguments.length == 1) {
            return ValueSets.indexBytes(types.get(c).get(0), arguments[0]);
        }
        ByteArrayDataOutput out = new ByteArrayDataOutput(16);
        for (int a = 0; a < arguments.length; a++) {
            // each encoding is self-delimiting (a row of one value), so the concatenation is too
            out.write(ValueSets.indexBytes(types.get(c).get(a), arguments[a]));
        }
        return out.toByteArray();
    }

    private static byte[] counted(long count, byte[] tuple) {
        return ByteBuffer.allocate(Long.BYTES + tuple.length).putLong(count).put(tuple).array();
    }

    private static long countOf(byte[] counted) {
        return ByteBuffer.wrap(counted).getLong();
    }

    private static byte[] tupleOf(byte[] counted) {
        return java.util.Arrays.copyOfRange(counted, Long.BYTES, counted.length);
    }

    private static byte[] encode(List<SqlType> types, Object[] values) {
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(16);
            ValueCodec.writeRow(out, types, Row.of(values));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a session element", e);
        }
    }

    private static Object[] decode(List<SqlType> types, byte[] bytes) {
        try {
            return ValueCodec.readRow(new ByteArrayDataInput(bytes), types).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a session element", e);
        }
    }
}
