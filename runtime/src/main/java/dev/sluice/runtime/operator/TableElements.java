package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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
 * reverse seek in the by-value index (a Flink-dialect ARRAY_AGG: the first, one forward seek). ARRAY_AGG lists the group's live elements in arrival order
 * (one range scan, when the row is emitted: {@link #fill}); FIRST is the candidate with the
 * earliest event time, first arrival on ties, LAST the latest event time, last arrival on ties:
 * the first or last key of the call's candidate range, read after each update and held in the
 * state ({@link ChosenCandidate}). Per update and call: O(log n) store work; an ARRAY_AGG row still
 * lists its n elements (the result is the whole array), a FIRST/LAST row is one value.
 *
 * <p>ORDER BY (state format 11): an ARRAY_AGG element's or a FIRST/LAST candidate's key carries
 * its sort keys ({@link SortKeyBytes}) before its sequence, so the range scan lists the elements
 * sorted, ties in arrival order (the in-value list's stable sort), and FIRST/LAST is still the
 * first or last key. {@code ARRAY_AGG(DISTINCT x)} (format 11) keeps one entry per live value
 * (x and its sort keys), {@code (value) → (rows, sequence)}: a value's first row gives it the
 * group's next sequence number and writes its element, its last row's retraction deletes both,
 * as the in-value value → count map (insertion ordered) feeds the plain list.
 *
 * <p>Applies to calls without a constant argument, and with ORDER BY only over keys of types with
 * an ordered encoding. The store is not behind the record cache (see ValueCounts on reverse scans
 * over a cache's deleted entries).
 */
public final class TableElements {
    /** SET, HISTOGRAM: COLLECT_SET and HISTOGRAM by value ({@link ValueSets}). */
    private enum Kind { LIST, FIRST, LAST, SET, HISTOGRAM }

    /**
     * How the store keeps one call: its kind, DISTINCT or not, its ORDER BY directions (empty:
     * none), the types of its arguments (x, then the sort keys), and whether a retraction takes out
     * the first arrival of an equal element (Flink's ARRAY_AGG) rather than the latest (ksqlDB's).
     */
    private record Stored(Kind kind, boolean distinct, List<Boolean> descending, List<SqlType> types,
                          boolean retractFirst) {
        boolean isSet() {
            return kind == Kind.SET || kind == Kind.HISTOGRAM;
        }

        ValueSets.Kind setKind() {
            return kind == Kind.SET ? ValueSets.Kind.SET : ValueSets.Kind.HISTOGRAM;
        }

        boolean sorted() {
            return !descending.isEmpty();
        }

        int firstKey() {
            return types.size() - descending.size();
        }
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private final Aggregation aggregation;
    private final String storeName;
    private final Serializer<Row> keySerializer;
    private final int rowtimeColumn;
    /** Per call: null when its value is in the state, else how the store keeps it. */
    private final Stored[] calls;
    /** The step's per-task caches of emitted sets ({@link SetEmissions}), or null. */
    private SetEmissions.PerTask emitted;
    private org.apache.kafka.streams.processor.TaskId task;
    /** The aggregate processor's side: the task's cache it opened, which it keeps up to date. */
    private SetEmissions owned;

    private TableElements(KeyValueStore<Bytes, byte[]> store, Aggregation aggregation, String storeName,
                          Serializer<Row> keySerializer, int rowtimeColumn, Stored[] calls) {
        this.store = store;
        this.aggregation = aggregation;
        this.storeName = storeName;
        this.keySerializer = keySerializer;
        this.rowtimeColumn = rowtimeColumn;
        this.calls = calls;
    }

    private static Stored stored(AggregateCall call) {
        // COLLECT_SET(DISTINCT x) is COLLECT_SET(x); HISTOGRAM(DISTINCT x) counts each live value once (format 18)
        ValueSets.Kind set = ValueSets.kindOf(call);
        if (set != null) {
            return new Stored(set == ValueSets.Kind.SET ? Kind.SET : Kind.HISTOGRAM, call.distinct(), List.of(),
                    call.arguments().stream().map(Expr::type).toList(), false);
        }
        if (call.arguments().size() != 1 + call.sortDescending().size()
                || call.arguments().stream().anyMatch(Expr::isConstant)) {
            return null;
        }
        List<SqlType> types = call.arguments().stream().map(Expr::type).toList();
        if (!SortKeyBytes.supports(types.subList(1, types.size()))) {
            return null;
        }
        Kind kind = switch (call.function().toUpperCase(Locale.ROOT)) {
            case "ARRAY_AGG", "COLLECT_LIST" -> Kind.LIST;
            case "FIRST" -> Kind.FIRST;
            case "LAST" -> Kind.LAST;
            default -> null;
        };
        return kind == null ? null : new Stored(kind, call.distinct(), call.sortDescending(), types,
                kind == Kind.LIST && call.retractFirstEqual());
    }

    /** Whether a table GROUP BY keeps some call's elements in the store (state format 9 or 11). */
    public static boolean applies(AggregateStep step) {
        return step.kind() == AggregateStep.Kind.TABLE && step.calls().size() <= Byte.MAX_VALUE
                && step.calls().stream().anyMatch(c -> stored(c) != null);
    }

    /**
     * The state format of a table GROUP BY whose calls {@link #applies}: 11 when a stored call has
     * ORDER BY or DISTINCT (its keys or entries differ from format 9's), 10 when a COLLECT_SET or
     * HISTOGRAM is stored (format 9 held its value → count map), 14 with both, else 9; 18 whenever a
     * COLLECT_SET or HISTOGRAM with DISTINCT is (every older format held its value → count map).
     */
    public static byte stateFormat(List<AggregateCall> calls) {
        if (calls.stream().map(TableElements::stored).anyMatch(s -> s != null && s.isSet() && s.distinct())) {
            return AggregateStateSerde.VERSION_DISTINCT_ELEMENTS; // older formats held its value → count map
        }
        boolean beyondNine = calls.stream().map(TableElements::stored)
                .anyMatch(s -> s != null && !s.isSet() && (s.distinct() || s.sorted()));
        boolean sets = calls.stream().anyMatch(c -> ValueSets.kind(c) != null);
        return beyondNine && sets ? AggregateStateSerde.VERSION_SETS_AND_SORTED
                : beyondNine ? AggregateStateSerde.VERSION_SORTED_ELEMENTS
                : sets ? AggregateStateSerde.VERSION_SETS_IN_STORE : AggregateStateSerde.VERSION_ELEMENTS_BESIDE;
    }

    /** Whether a table GROUP BY keeps COLLECT_SET or HISTOGRAM values in the store (state format 10 or 14). */
    public static boolean setsInStore(AggregateStep step) {
        return applies(step) && step.calls().stream().anyMatch(c -> ValueSets.kindOf(c) != null);
    }

    public static String storeName(String step) {
        return ListElements.storeName(step);
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step, StateBackend backend) {
        return backend.keyValue(storeName(step));
    }

    /**
     * From now on {@code aggregation} keeps only an element count for the stored ARRAY_AGG calls
     * (replaced by {@link #fill}; with DISTINCT, a count of the rows) and the chosen candidate of
     * FIRST/LAST (set by {@link #update}). Build time only, before the aggregation's serde is made.
     */
    public static void keepElementsInStore(List<AggregateCall> calls, Aggregation aggregation) {
        byte format = stateFormat(calls);
        for (int i = 0; i < calls.size(); i++) {
            Stored stored = stored(calls.get(i));
            if (stored != null) {
                aggregation.keepElementsInStore(i, stored.kind() == Kind.LIST || stored.isSet() ? ElementCount.FACTORY
                        : ChosenCandidate.factory(calls.get(i).type()), format);
            }
        }
    }

    /** Step {@code step}'s elements over {@code store}, one per processor and task. */
    public static TableElements of(KeyValueStore<Bytes, byte[]> store, String step, List<AggregateCall> calls,
                                   Aggregation aggregation, Serializer<Row> keySerializer, int rowtimeColumn) {
        Stored[] stored = new Stored[calls.size()];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = stored(calls.get(i));
        }
        return new TableElements(store, aggregation, storeName(step), keySerializer, rowtimeColumn, stored);
    }

    /** Makes COLLECT_SET / HISTOGRAM rows through {@code emitted}'s per-task caches (see {@link #openEmissions}). */
    public TableElements withEmissions(SetEmissions.PerTask emitted) {
        this.emitted = emitted;
        return this;
    }

    /**
     * Uses task {@code task}'s cache of emitted sets, if {@link #withEmissions} gave caches: the
     * aggregate processor ({@code owner}) opens it afresh and applies every change to it, the result
     * processor makes rows from it. Call at {@code init}.
     */
    public void openEmissions(org.apache.kafka.streams.processor.TaskId task, boolean owner) {
        this.task = task;
        this.owned = owner && emitted != null ? emitted.open(task) : null;
    }

    /** The aggregate processor closes: its task's cache goes. */
    public void closeEmissions() {
        if (owned != null) {
            emitted.close(task, owned);
            owned = null;
        }
    }

    private SetEmissions emissions() {
        return owned != null ? owned : emitted == null ? null : emitted.of(task);
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
            for (int c = 0; c < calls.length; c++) {
                if (calls[c] != null && aggregation.passesFilter(c, old)) {
                    retract(group, c, old);
                }
            }
        }
        if (now != null) {
            Bytes sequenceKey = TableElementKeys.sequence(group);
            byte[] held = store.get(sequenceKey);
            long sequence = held == null ? 0 : ByteBuffer.wrap(held).getLong();
            for (int c = 0; c < calls.length; c++) {
                if (calls[c] != null && aggregation.passesFilter(c, now)) {
                    add(group, c, now, sequence);
                }
            }
            store.put(sequenceKey, ByteBuffer.allocate(Long.BYTES).putLong(sequence + 1).array());
        }
        if (state == null) {
            store.put(TableElementKeys.sequence(group), null);
            if (owned != null) {
                owned.forget(group, calls.length);
            }
            return;
        }
        for (int c = 0; c < calls.length; c++) {
            if (calls[c] != null && (calls[c].kind() == Kind.FIRST || calls[c].kind() == Kind.LAST)) {
                ((ChosenCandidate) state.accumulators[c]).set(chosen(group, c, calls[c].kind() == Kind.LAST));
            }
        }
    }

    private long time(Row row) {
        return rowtimeColumn >= 0 && row.get(rowtimeColumn) instanceof Long ts ? ts : 0L;
    }

    /**
     * The bytes an entry of call {@code c} sorts by before its sequence: its sort keys; else a
     * candidate's event time; else none (a list, or a DISTINCT candidate: the in-value DISTINCT
     * feeds its values to FIRST/LAST all at time 0, so the first arrival wins, the last for LAST).
     */
    private byte[] order(int c, Object[] values, Row row) {
        Stored s = calls[c];
        if (s.sorted()) {
            return SortKeyBytes.of(s.types().subList(s.firstKey(), s.types().size()), s.descending(),
                    Arrays.copyOfRange(values, s.firstKey(), values.length));
        }
        return s.kind() == Kind.LIST || s.distinct() ? null : TableElementKeys.time(time(row));
    }

    private static byte elementKind(Stored s) {
        return s.kind() == Kind.LIST ? TableElementKeys.ELEMENT : TableElementKeys.CANDIDATE;
    }

    /** A COLLECT_SET / HISTOGRAM call's index scope: (group, call). */
    private static byte[] setScope(byte[] group, int c) {
        return ByteBuffer.allocate(Integer.BYTES + group.length + 1).putInt(group.length).put(group).put((byte) c)
                .array();
    }

    private void add(byte[] group, int c, Row row, long sequence) {
        Stored s = calls[c];
        Object[] values = aggregation.arguments(c, row);
        if (s.isSet()) {
            // a new value is listed at this row's arrival; one already there is counted in its element
            if (ValueSets.counts(s.setKind(), values[0])) {
                byte[] index = ValueSets.indexBytes(s.types().get(0), values[0]);
                ValueSets.add(store, setScope(group, c), index, encode(s.types(), values), sequence,
                        q -> TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, q), true);
                if (owned != null) {
                    owned.added(group, c, index, values[0]);
                }
            }
            return;
        }
        if (s.kind() != Kind.LIST && values[0] == null) {
            return; // FIRST/LAST skip NULL
        }
        byte[] value = encode(s.types(), values);
        byte[] order = order(c, values, row);
        if (s.distinct()) {
            Bytes entryKey = TableElementKeys.distinctValue(group, c, value);
            byte[] entry = store.get(entryKey);
            if (entry == null) {
                store.put(TableElementKeys.key(elementKind(s), group, c, order, null, sequence), value);
                store.put(entryKey, ByteBuffer.allocate(2 * Long.BYTES).putLong(1).putLong(sequence).array());
            } else {
                ByteBuffer held = ByteBuffer.wrap(entry);
                store.put(entryKey, ByteBuffer.allocate(2 * Long.BYTES).putLong(held.getLong() + 1)
                        .putLong(held.getLong()).array());
            }
        } else if (s.kind() != Kind.LIST) {
            store.put(TableElementKeys.key(TableElementKeys.CANDIDATE, group, c, order, null, sequence), value);
            store.put(TableElementKeys.key(TableElementKeys.CANDIDATE_BY_VALUE, group, c, time(row), value, sequence),
                    new byte[0]);
        } else {
            store.put(TableElementKeys.key(TableElementKeys.ELEMENT, group, c, order, null, sequence), value);
            store.put(TableElementKeys.key(TableElementKeys.ELEMENT_BY_VALUE, group, c, 0, value, sequence), new byte[0]);
        }
    }

    /**
     * Removes the latest arrival of the row's element (or candidate), if the group holds one: the
     * first arrival for a Flink-dialect ARRAY_AGG.
     */
    private void retract(byte[] group, int c, Row row) {
        Stored s = calls[c];
        Object[] values = aggregation.arguments(c, row);
        if (s.isSet()) {
            if (ValueSets.counts(s.setKind(), values[0])) {
                byte[] index = ValueSets.indexBytes(s.types().get(0), values[0]);
                ValueSets.retract(store, setScope(group, c), index,
                        q -> TableElementKeys.key(TableElementKeys.ELEMENT, group, c, 0, null, q));
                if (owned != null) {
                    owned.retracted(group, c, index);
                }
            }
            return;
        }
        if (s.kind() != Kind.LIST && values[0] == null) {
            return;
        }
        byte[] value = encode(s.types(), values);
        byte[] order = order(c, values, row);
        if (s.distinct()) {
            Bytes entryKey = TableElementKeys.distinctValue(group, c, value);
            byte[] entry = store.get(entryKey);
            if (entry == null) {
                return; // never added (the in-value map ignores such a retraction too)
            }
            ByteBuffer held = ByteBuffer.wrap(entry);
            long rows = held.getLong();
            long sequence = held.getLong();
            if (rows > 1) {
                store.put(entryKey, ByteBuffer.allocate(2 * Long.BYTES).putLong(rows - 1).putLong(sequence).array());
            } else {
                store.put(entryKey, null);
                store.put(TableElementKeys.key(elementKind(s), group, c, order, null, sequence), null);
            }
            return;
        }
        boolean list = s.kind() == Kind.LIST;
        long time = list ? 0 : time(row);
        byte index = list ? TableElementKeys.ELEMENT_BY_VALUE : TableElementKeys.CANDIDATE_BY_VALUE;
        Bytes latest = null;
        Bytes from = TableElementKeys.key(index, group, c, time, value, 0);
        Bytes to = TableElementKeys.key(index, group, c, time, value, Long.MAX_VALUE);
        try (KeyValueIterator<Bytes, byte[]> it = s.retractFirst() ? store.range(from, to)
                : store.reverseRange(from, to)) {
            if (it.hasNext()) {
                latest = it.next().key;
            }
        }
        if (latest == null) {
            return; // never added (ArrayAggAccumulator ignores such a retraction too)
        }
        long sequence = TableElementKeys.sequenceOf(latest);
        store.put(latest, null);
        store.put(TableElementKeys.key(elementKind(s), group, c, order, null, sequence), null);
    }

    /** FIRST: the call's first candidate (first in order, first arrival); LAST: its last. */
    private Object chosen(byte[] group, int c, boolean last) {
        Bytes from = TableElementKeys.callPrefix(TableElementKeys.CANDIDATE, group, c);
        Bytes to = TableElementKeys.callPrefix(TableElementKeys.CANDIDATE, group, c + 1);
        try (KeyValueIterator<Bytes, byte[]> it = last ? store.reverseRange(from, to) : store.range(from, to)) {
            return it.hasNext() ? decode(calls[c].types(), it.next().value) : null;
        }
    }

    /**
     * Fills group {@code key}'s result row {@code out} (call results after {@code prefixWidth}
     * values) with each stored ARRAY_AGG call's live elements in arrival order, one range scan each.
     */
    public void fill(Row key, Object[] out, int prefixWidth) {
        byte[] group = keySerializer.serialize(storeName, key);
        for (int c = 0; c < calls.length; c++) {
            if (calls[c] != null && calls[c].isSet()) {
                out[prefixWidth + c] = out[prefixWidth + c] == null && calls[c].kind() == Kind.SET ? null
                        : readSet(group, c);
                continue;
            }
            if (calls[c] == null || calls[c].kind() != Kind.LIST || out[prefixWidth + c] == null) {
                continue; // no element: ARRAY_AGG of no input is NULL
            }
            long n = (Long) out[prefixWidth + c];
            List<Object> elements = new ArrayList<>((int) Math.min(n, 1 << 16));
            try (KeyValueIterator<Bytes, byte[]> it = store.range(
                    TableElementKeys.callPrefix(TableElementKeys.ELEMENT, group, c),
                    TableElementKeys.callPrefix(TableElementKeys.ELEMENT, group, c + 1))) {
                while (it.hasNext()) {
                    elements.add(decode(calls[c].types(), it.next().value));
                }
            }
            // with DISTINCT the state counts rows, which carry at least one element
            if (calls[c].distinct() ? elements.isEmpty() : elements.size() != n) {
                throw new IllegalStateException("ARRAY_AGG call " + c + " of group " + key + " holds " + elements.size()
                        + " elements in " + storeName + ", its state counts " + n);
            }
            out[prefixWidth + c] = Collections.unmodifiableList(elements);
        }
    }

    /**
     * A COLLECT_SET's or HISTOGRAM's values in first-seen order: from the task's cache of emitted
     * sets when it holds the group's ({@link SetEmissions}), else one range scan, whose values the
     * cache then holds.
     */
    private Object readSet(byte[] group, int c) {
        SetEmissions cache = emissions();
        if (cache != null && cache.holds(group, c)) {
            return cache.result(group, c, calls[c].setKind(), calls[c].distinct());
        }
        ValueSets.Result result = new ValueSets.Result(calls[c].setKind(), calls[c].types().get(0));
        if (calls[c].distinct()) {
            result.distinct();
        }
        List<byte[]> indexes = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(
                TableElementKeys.callPrefix(TableElementKeys.ELEMENT, group, c),
                TableElementKeys.callPrefix(TableElementKeys.ELEMENT, group, c + 1))) {
            while (it.hasNext()) {
                byte[] element = it.next().value;
                result.add(element);
                if (cache != null) {
                    indexes.add(ValueSets.indexBytesOf(calls[c].types().get(0), ValueSets.valueOf(element)));
                    rows.add(ValueSets.countOf(element));
                }
            }
        }
        if (cache != null) {
            cache.hold(group, c, indexes, result.values(), rows);
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
