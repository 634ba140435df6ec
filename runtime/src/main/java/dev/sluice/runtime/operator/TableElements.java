package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A table GROUP BY's ARRAY_AGG / COLLECT_LIST elements and FIRST/LAST candidates, kept in
 * {@code <step>-elements-store} ({@link TableElementKeys}) instead of in the aggregate's value,
 * which is read, copied and rewritten whole on every update (O(n) in the group's rows), as Flink's
 * ListAggWithRetract and FIRST_VALUE/LAST_VALUE with retraction keep a MapState.
 *
 * <p>Same results as the in-value accumulators ({@code ArrayAggAccumulator},
 * {@code FirstLastOverChangelog}): every arrival takes the group's next sequence number; a
 * retraction removes the latest arrival of an equal element (equal encodings), found with one
 * reverse seek in the by-value index. ARRAY_AGG lists the group's live elements in arrival order
 * (one range scan, when the row is emitted: {@link #fill}); FIRST is the candidate with the
 * earliest event time, first arrival on ties, LAST the latest event time, last arrival on ties:
 * the first or last key of the call's candidate range, read after each update and held in the
 * state ({@link ChosenCandidate}). Per update and call: O(log n) store work; an ARRAY_AGG row still
 * lists its n elements (the result is the whole array), a FIRST/LAST row is one value.
 *
 * <p>Applies to calls without DISTINCT, ORDER BY or a constant argument. The store is not behind
 * the record cache (see ValueCounts on reverse scans over a cache's deleted entries).
 */
public final class TableElements {
    /** SET, HISTOGRAM: COLLECT_SET and HISTOGRAM by value ({@link ValueSets}). */
    private enum Kind { LIST, FIRST, LAST, SET, HISTOGRAM }

    private final KeyValueStore<Bytes, byte[]> store;
    private final Aggregation aggregation;
    private final String storeName;
    private final Serializer<Row> keySerializer;
    private final int rowtimeColumn;
    /** Per call: null when its value is in the state, else how the store keeps it. */
    private final Kind[] kinds;
    private final List<List<SqlType>> types;

    private TableElements(KeyValueStore<Bytes, byte[]> store, Aggregation aggregation, String storeName,
                          Serializer<Row> keySerializer, int rowtimeColumn, Kind[] kinds, List<List<SqlType>> types) {
        this.store = store;
        this.aggregation = aggregation;
        this.storeName = storeName;
        this.keySerializer = keySerializer;
        this.rowtimeColumn = rowtimeColumn;
        this.kinds = kinds;
        this.types = types;
    }

    private static Kind kind(AggregateCall call) {
        ValueSets.Kind set = ValueSets.kind(call);
        if (set != null) {
            return set == ValueSets.Kind.SET ? Kind.SET : Kind.HISTOGRAM;
        }
        if (call.distinct() || !call.sortDescending().isEmpty() || call.arguments().size() != 1
                || call.arguments().stream().anyMatch(Expr::isConstant)) {
            return null;
        }
        return switch (call.function().toUpperCase(Locale.ROOT)) {
            case "ARRAY_AGG", "COLLECT_LIST" -> Kind.LIST;
            case "FIRST" -> Kind.FIRST;
            case "LAST" -> Kind.LAST;
            default -> null;
        };
    }

    /** Whether a table GROUP BY keeps some call's elements in the store (state format 9). */
    public static boolean applies(AggregateStep step) {
        return step.kind() == AggregateStep.Kind.TABLE && step.calls().size() <= Byte.MAX_VALUE
                && step.calls().stream().anyMatch(c -> kind(c) != null);
    }

    /** Whether a table GROUP BY keeps COLLECT_SET or HISTOGRAM values in the store (state format 10). */
    public static boolean setsInStore(AggregateStep step) {
        return applies(step) && step.calls().stream().anyMatch(c -> ValueSets.kind(c) != null);
    }

    public static String storeName(String step) {
        return ListElements.storeName(step);
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(step)), Serdes.Bytes(),
                Serdes.ByteArray());
    }

    /**
     * From now on {@code aggregation} keeps only an element count for the stored ARRAY_AGG calls
     * (replaced by {@link #fill}) and the chosen candidate of FIRST/LAST (set by {@link #update}).
     * Build time only, before the aggregation's serde is made.
     */
    public static void keepElementsInStore(List<AggregateCall> calls, Aggregation aggregation) {
        for (int i = 0; i < calls.size(); i++) {
            Kind kind = kind(calls.get(i));
            if (kind != null) {
                boolean set = kind == Kind.SET || kind == Kind.HISTOGRAM;
                aggregation.keepElementsInStore(i, kind == Kind.LIST || set ? ElementCount.FACTORY
                        : ChosenCandidate.factory(calls.get(i).type()), set ? AggregateStateSerde.VERSION_SETS_IN_STORE
                        : AggregateStateSerde.VERSION_ELEMENTS_BESIDE);
            }
        }
    }

    /** Step {@code step}'s elements over {@code store}, one per processor and task. */
    public static TableElements of(KeyValueStore<Bytes, byte[]> store, String step, List<AggregateCall> calls,
                                   Aggregation aggregation, Serializer<Row> keySerializer, int rowtimeColumn) {
        Kind[] kinds = new Kind[calls.size()];
        List<List<SqlType>> types = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = kind(calls.get(i));
            types.add(calls.get(i).arguments().stream().map(Expr::type).toList());
        }
        return new TableElements(store, aggregation, storeName(step), keySerializer, rowtimeColumn, kinds,
                List.copyOf(types));
    }

    /**
     * Applies a change of group {@code key} (retract {@code old}, add {@code now}, either may be
     * null) to the store, then sets each FIRST/LAST result of {@code state}, the group's state
     * after the change (null: the group is gone, and so are its entries but the sequence counter,
     * deleted here).
     */
    public void update(Row key, Row old, Row now, AggregateState state) {
        byte[] group = keySerializer.serialize(storeName, key);
        if (old != null) {
            for (int c = 0; c < kinds.length; c++) {
                if (kinds[c] != null && aggregation.passesFilter(c, old)) {
                    retract(group, c, old);
                }
            }
        }
        if (now != null) {
            Bytes sequenceKey = TableElementKeys.sequence(group);
            byte[] held = store.get(sequenceKey);
            long sequence = held == null ? 0 : ByteBuffer.wrap(held).getLong();
            for (int c = 0; c < kinds.length; c++) {
                if (kinds[c] != null && aggregation.passesFilter(c, now)) {
                    add(group, c, now, sequence);
                }
            }
            store.put(sequenceKey, ByteBuffer.allocate(Long.BYTES).putLong(sequence + 1).array());
        }
        if (state == null) {
            store.put(TableElementKeys.sequence(group), null);
            return;
        }
        for (int c = 0; c < kinds.length; c++) {
            if (kinds[c] == Kind.FIRST || kinds[c] == Kind.LAST) {
                ((ChosenCandidate) state.accumulators[c]).set(chosen(group, c, kinds[c] == Kind.LAST));
            }
        }
    }

    private long time(Row row) {
        return rowtimeColumn >= 0 && row.get(rowtimeColumn) instanceof Long ts ? ts : 0L;
    }

    private boolean isSet(int c) {
        return kinds[c] == Kind.SET || kinds[c] == Kind.HISTOGRAM;
    }

    private ValueSets.Kind setKind(int c) {
        return kinds[c] == Kind.SET ? ValueSets.Kind.SET : ValueSets.Kind.HISTOGRAM;
    }

    /** A COLLECT_SET / HISTOGRAM call's index scope: (group, call). */
    private static byte[] setScope(byte[] group, int c) {
        return ByteBuffer.allocate(Integer.BYTES + group.length + 1).putInt(group.length).put(group).put((byte) c)
                .array();
    }

    private void add(byte[] group, int c, Row row, long sequence) {
        Object[] values = aggregation.arguments(c, row);
        if (isSet(c)) {
            // a new value is listed at this row's arrival; one already there is counted in its element
            if (ValueSets.counts(setKind(c), values[0])) {
                ValueSets.add(store, setScope(group, c), ValueSets.indexBytes(types.get(c).get(0), values[0]),
                        encode(types.get(c), values), sequence,
                        s -> TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, s), true);
            }
            return;
        }
        if (kinds[c] != Kind.LIST && values[0] == null) {
            return; // FIRST/LAST skip NULL
        }
        byte[] value = encode(types.get(c), values);
        if (kinds[c] == Kind.LIST) {
            store.put(TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, sequence), value);
            store.put(TableElementKeys.key(TableElementKeys.ELEMENT_BY_VALUE, group, c, 0, value, sequence), new byte[0]);
        } else {
            long time = time(row);
            store.put(TableElementKeys.key(TableElementKeys.CANDIDATE, group, c, time, null, sequence), value);
            store.put(TableElementKeys.key(TableElementKeys.CANDIDATE_BY_VALUE, group, c, time, value, sequence),
                    new byte[0]);
        }
    }

    /** Removes the latest arrival of the row's element (or candidate), if the group holds one. */
    private void retract(byte[] group, int c, Row row) {
        Object[] values = aggregation.arguments(c, row);
        if (isSet(c)) {
            if (ValueSets.counts(setKind(c), values[0])) {
                ValueSets.retract(store, setScope(group, c), ValueSets.indexBytes(types.get(c).get(0), values[0]),
                        s -> TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, s));
            }
            return;
        }
        if (kinds[c] != Kind.LIST && values[0] == null) {
            return;
        }
        byte[] value = encode(types.get(c), values);
        boolean list = kinds[c] == Kind.LIST;
        long time = list ? 0 : time(row);
        byte index = list ? TableElementKeys.ELEMENT_BY_VALUE : TableElementKeys.CANDIDATE_BY_VALUE;
        Bytes latest = null;
        try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(
                TableElementKeys.key(index, group, c, time, value, 0),
                TableElementKeys.key(index, group, c, time, value, Long.MAX_VALUE))) {
            if (it.hasNext()) {
                latest = it.next().key;
            }
        }
        if (latest == null) {
            return; // never added (ArrayAggAccumulator ignores such a retraction too)
        }
        long sequence = TableElementKeys.sequenceOf(latest);
        store.put(latest, null);
        store.put(TableElementKeys.key(list ? TableElementKeys.ELEMENT : TableElementKeys.CANDIDATE, group, c, time,
                null, sequence), null);
    }

    /** FIRST: the call's first candidate (earliest time, first arrival); LAST: its last. */
    private Object chosen(byte[] group, int c, boolean last) {
        Bytes from = TableElementKeys.key(TableElementKeys.CANDIDATE, group, c, Long.MIN_VALUE, null, 0);
        Bytes to = TableElementKeys.key(TableElementKeys.CANDIDATE, group, c, Long.MAX_VALUE, null, Long.MAX_VALUE);
        try (KeyValueIterator<Bytes, byte[]> it = last ? store.reverseRange(from, to) : store.range(from, to)) {
            return it.hasNext() ? decode(types.get(c), it.next().value) : null;
        }
    }

    /**
     * Fills group {@code key}'s result row {@code out} (call results after {@code prefixWidth}
     * values) with each stored ARRAY_AGG call's live elements in arrival order, one range scan each.
     */
    public void fill(Row key, Object[] out, int prefixWidth) {
        byte[] group = keySerializer.serialize(storeName, key);
        for (int c = 0; c < kinds.length; c++) {
            if (isSet(c)) {
                out[prefixWidth + c] = out[prefixWidth + c] == null && kinds[c] == Kind.SET ? null : readSet(group, c);
                continue;
            }
            if (kinds[c] != Kind.LIST || out[prefixWidth + c] == null) {
                continue; // no element: ARRAY_AGG of no input is NULL
            }
            long n = (Long) out[prefixWidth + c];
            List<Object> elements = new ArrayList<>((int) Math.min(n, 1 << 16));
            try (KeyValueIterator<Bytes, byte[]> it = store.range(
                    TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, 0),
                    TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, Long.MAX_VALUE))) {
                while (it.hasNext()) {
                    elements.add(decode(types.get(c), it.next().value));
                }
            }
            if (elements.size() != n) {
                throw new IllegalStateException("ARRAY_AGG call " + c + " of group " + key + " holds " + elements.size()
                        + " elements in " + storeName + ", its state counts " + n);
            }
            out[prefixWidth + c] = Collections.unmodifiableList(elements);
        }
    }

    /** A COLLECT_SET's or HISTOGRAM's values in first-seen order, one range scan. */
    private Object readSet(byte[] group, int c) {
        ValueSets.Result result = new ValueSets.Result(setKind(c), types.get(c).get(0));
        try (KeyValueIterator<Bytes, byte[]> it = store.range(
                TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, 0),
                TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, Long.MAX_VALUE))) {
            while (it.hasNext()) {
                result.add(it.next().value);
            }
        }
        return result.result();
    }

    private static byte[] encode(List<SqlType> types, Object[] values) {
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(16);
            ValueCodec.writeRow(out, types, Row.of(values));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an aggregate's element", e);
        }
    }

    private static Object decode(List<SqlType> types, byte[] bytes) {
        try {
            return ValueCodec.readRow(new ByteArrayDataInput(bytes), types).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode an aggregate's element", e);
        }
    }
}
