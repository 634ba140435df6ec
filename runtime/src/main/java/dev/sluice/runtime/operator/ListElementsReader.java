package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The emitting side of {@link ListElements}: in a window's result row, replaces each stored
 * ARRAY_AGG call's element count ({@link ElementCount}) with its elements in arrival order, read
 * with one range scan per call, and deletes the window's elements once no row of it can follow.
 *
 * <p>Cost per emitted row: O(n) in the window's (or group's) elements, as the row lists them all. With EMIT
 * FINAL a window is read once, when it closes. With EMIT CHANGES each update is a whole array: with
 * the record cache on, once per window and commit; without it, once per record. The per-record
 * state update stays O(1) either way ({@link ListElements}).
 */
public final class ListElementsReader {
    private final KeyValueStore<Bytes, byte[]> store;
    private final Serde<Row> keySerde;
    private final String storeName;
    private final int[] calls;
    private final List<List<SqlType>> types;
    /** Per stored call: COLLECT_SET or HISTOGRAM ({@link ValueSets}), or null for an ARRAY_AGG. */
    private final ValueSets.Kind[] setKinds;
    private final boolean emitChanges;
    /** Per stored call: its ORDER BY directions, empty without ORDER BY. */
    private final List<List<Boolean>> orders;

    private ListElementsReader(KeyValueStore<Bytes, byte[]> store, Serde<Row> keySerde, String storeName, int[] calls,
                               List<List<SqlType>> types, List<List<Boolean>> orders, ValueSets.Kind[] setKinds,
                               boolean emitChanges) {
        this.orders = orders;
        this.store = store;
        this.keySerde = keySerde;
        this.storeName = storeName;
        this.calls = calls;
        this.types = types;
        this.setKinds = setKinds;
        this.emitChanges = emitChanges;
    }

    /** The reader of step {@code step}'s store, as its result processor gets it from its context. */
    public static ListElementsReader of(KeyValueStore<Bytes, byte[]> store, String step, List<AggregateCall> calls,
                                        Serde<Row> keySerde, boolean emitChanges) {
        int[] stored = ListElements.callsInStore(calls);
        List<List<SqlType>> types = new ArrayList<>();
        for (int call : stored) {
            types.add(calls.get(call).arguments().stream().map(Expr::type).toList());
        }
        return new ListElementsReader(store, keySerde, ListElements.storeName(step), stored, List.copyOf(types),
                ListElements.orders(calls, stored), ListElements.setKinds(calls), emitChanges);
    }

    /**
     * Fills window {@code window}'s result row {@code out} (call results after {@code prefixWidth}
     * values, computed from {@code state}) with the stored calls' elements, then deletes them if this is the window's last row:
     * always with EMIT FINAL; with EMIT CHANGES when the window closed while this update waited.
     */
    public void fill(Windowed<Row> window, AggregateState state, Object[] out, int prefixWidth) {
        byte[] group = keySerde.serializer().serialize(storeName, window.key());
        long start = window.window().start();
        ListElementKeys.Entry entry = fill(group, start, window, out, prefixWidth);
        if (entry == null) {
            return;
        }
        Bytes entryKey = ListElementKeys.window(group, start);
        if (!emitChanges || entry.closed()) {
            delete(store, group, start, entry, orders, setKinds, types);
        } else if (entry.emitted() != state.rows) {
            store.put(entryKey, new ListElementKeys.Entry(false, state.rows, entry.records(), entry.next()).bytes());
        }
    }

    /**
     * Fills the result row {@code out} of group {@code key} of a GROUP BY without window: its
     * elements stay (a later row of the group lists them again), and no count of emitted records is kept.
     */
    public void fillGroup(Row key, Object[] out, int prefixWidth) {
        if (prefixes == null) {
            prefixes = new ListPrefixes(GROUP_ELEMENTS_HELD);
        }
        fill(keySerde.serializer().serialize(storeName, key), ListElementKeys.NO_WINDOW, key, out, prefixWidth);
    }

    /**
     * How many decoded elements a reader of a GROUP BY without window keeps of the rows it emitted
     * ({@link ListPrefixes}), per task: a row then reads only its group's new elements.
     */
    private static final long GROUP_ELEMENTS_HELD = 1 << 18;
    /** A GROUP BY without window's last emitted lists, else null (windows are read once, or deleted). */
    private ListPrefixes prefixes;

    private ListElementKeys.Entry fill(byte[] group, long start, Object window, Object[] out, int prefixWidth) {
        Bytes entryKey = ListElementKeys.window(group, start);
        byte[] bytes = store.get(entryKey);
        ListElementKeys.Entry entry = bytes == null ? null : ListElementKeys.Entry.of(bytes);
        for (int c = 0; c < calls.length; c++) {
            Object count = out[prefixWidth + calls[c]];
            if (setKinds[c] != null) {
                out[prefixWidth + calls[c]] = readSet(group, start, c, count != null, entry, window);
                continue;
            }
            if (count == null) {
                continue; // no element: ARRAY_AGG of no input is NULL
            }
            long n = (Long) count;
            if (entry == null || entry.next()[c] < n) {
                throw new IllegalStateException("the elements of ARRAY_AGG call " + calls[c] + " of " + window
                        + " are missing from " + storeName + " (" + n + " expected)");
            }
            out[prefixWidth + calls[c]] = read(group, start, c, n);
        }
        return entry;
    }

    /**
     * A COLLECT_SET's or HISTOGRAM's result: every value the store holds for the call, in first-seen
     * order. The state counts rows, not values, so the store's entry says how many there are: the
     * store and the state have seen the same records whenever a row is made (the same task, one
     * record at a time). COLLECT_SET's values only grow, so a group's held prefix stays valid;
     * HISTOGRAM's counts change, so it is read whole.
     */
    private Object readSet(byte[] group, long start, int c, boolean anyRow, ListElementKeys.Entry entry, Object window) {
        long n = entry == null ? 0 : entry.next()[c];
        if (setKinds[c] == ValueSets.Kind.SET) {
            if (!anyRow) {
                return null;
            }
            if (n == 0) {
                throw new IllegalStateException("the values of COLLECT_SET call " + calls[c] + " of " + window
                        + " are missing from " + storeName);
            }
            return read(group, start, c, n);
        }
        ValueSets.Result result = new ValueSets.Result(ValueSets.Kind.HISTOGRAM, types.get(c).get(0));
        if (n > 0) {
            try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.element(group, start, c, 0),
                    ListElementKeys.element(group, start, c, n - 1))) {
                while (it.hasNext()) {
                    result.add(it.next().value);
                }
            }
        }
        return result.result();
    }

    private List<Object> read(byte[] group, long start, int c, long n) {
        if (!orders.get(c).isEmpty()) {
            return readSorted(group, start, c, n);
        }
        List<Object> elements = new ArrayList<>((int) Math.min(n, 1 << 16));
        List<Object> known = prefixes == null ? null : prefixes.get(group, c);
        int from = known == null ? 0 : (int) Math.min(known.size(), n);
        elements.addAll(known == null ? List.of() : known.subList(0, from));
        if (from < n) {
            readInto(elements, group, start, c, from, n);
        }
        if (prefixes != null) {
            prefixes.put(group, c, elements);
        }
        return Collections.unmodifiableList(elements);
    }

    /** Appends the call's elements {@code from} to {@code n - 1}, one range scan. */
    private void readInto(List<Object> elements, byte[] group, long start, int c, long from, long n) {
        try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.element(group, start, c, from),
                ListElementKeys.element(group, start, c, n - 1))) {
            while (it.hasNext()) {
                elements.add(ValueCodec.readRow(new ByteArrayDataInput(it.next().value), types.get(c)).get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode an ARRAY_AGG element", e);
        }
    }

    /**
     * An ORDER BY call's elements, sorted (ties in arrival order): one range scan over all of
     * them, keeping the first {@code n} arrivals (sequence below {@code n}), which the emitted
     * state counted; later ones may sort anywhere in the range. No prefix is kept: an arrival can
     * land before elements already emitted.
     */
    private List<Object> readSorted(byte[] group, long start, int c, long n) {
        List<Object> elements = new ArrayList<>((int) Math.min(n, 1 << 16));
        try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.elementsOf(group, start, c),
                ListElementKeys.elementsOf(group, start, c + 1))) {
            while (it.hasNext()) {
                var next = it.next();
                if (ListElementKeys.sequenceOf(next.key) < n) {
                    elements.add(ValueCodec.readRow(new ByteArrayDataInput(next.value), types.get(c)).get(0));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode an ARRAY_AGG element", e);
        }
        return Collections.unmodifiableList(elements);
    }

    /**
     * Deletes a window's elements and entry: one delete per element, each paid for by its write
     * (a put of null: a delete would read the old value first); an ORDER BY call's keys, which hold
     * sort keys, are found with one range scan.
     */
    static void delete(KeyValueStore<Bytes, byte[]> store, byte[] group, long windowStart,
                       ListElementKeys.Entry entry, List<List<Boolean>> orders, ValueSets.Kind[] setKinds,
                       List<List<SqlType>> types) {
        for (int c = 0; c < entry.next().length; c++) {
            if (!orders.get(c).isEmpty()) {
                List<Bytes> keys = new ArrayList<>();
                try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.elementsOf(group, windowStart, c),
                        ListElementKeys.elementsOf(group, windowStart, c + 1))) {
                    while (it.hasNext()) {
                        keys.add(it.next().key);
                    }
                }
                keys.forEach(k -> store.put(k, null));
                continue;
            }
            if (setKinds[c] != null && entry.next()[c] > 0) {
                // a COLLECT_SET / HISTOGRAM value's index entry goes with its element
                List<byte[]> values = new ArrayList<>();
                try (KeyValueIterator<Bytes, byte[]> it = store.range(ListElementKeys.element(group, windowStart, c, 0),
                        ListElementKeys.element(group, windowStart, c, entry.next()[c] - 1))) {
                    while (it.hasNext()) {
                        byte[] element = it.next().value;
                        values.add(setKinds[c] == ValueSets.Kind.HISTOGRAM ? ValueSets.valueOf(element) : element);
                    }
                }
                byte[] scope = ListElementKeys.setScope(group, windowStart, c);
                for (byte[] value : values) {
                    store.put(ValueSets.indexKey(scope, ValueSets.indexBytesOf(types.get(c).get(0), value)), null);
                }
            }
            for (long s = 0; s < entry.next()[c]; s++) {
                store.put(ListElementKeys.element(group, windowStart, c, s), null);
            }
        }
        store.put(ListElementKeys.window(group, windowStart), null);
    }
}
