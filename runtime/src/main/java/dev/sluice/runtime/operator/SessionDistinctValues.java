package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The distinct values of a SESSION window aggregate's DISTINCT calls, in a store keyed by value
 * instead of a set inside each session's aggregate value (which Kafka Streams reads and rewrites
 * whole on every record). Sessions merge, so the store cannot be keyed by a session's start as the
 * time windows' is: it keys each value by the time it was first seen in its session
 * ({@link SessionValueKeys}). A session [start, end] holds value v when v has an entry between
 * start and end; a merged session's entries are those of the sessions it merged, already inside
 * its span, so a merge moves nothing. As Kafka Streams' session store, the question is always
 * "what lies within this key's time range".
 *
 * <p>Per record, this processor reads the key's entry in the aggregate's own store
 * ({@link OpenSessions}, written by {@link SessionWindowAggregate}) to learn which sessions the
 * record will merge (those ending at or after ts - gap and starting at or before ts + gap), then, per DISTINCT call whose FILTER keeps
 * the row: one seek for "is the value in the merged session", one write to each index when it is
 * not. The row carries {@link SessionMarks}: bit i set for a value new to the merged session.
 *
 * <p>A merge of several sessions adds their accumulators (the merger), which counts a value held
 * by two of them twice. The processor then reads the values of every merged session but the
 * largest (read in lock step, so the largest is found by reading no more of it than of the second
 * largest), looks each up in the largest, and hands the extra copies to the aggregate, which
 * retracts them before adding the record; the extra index entries are deleted, so a session holds
 * each value once. An element is read this way only from the smaller side of a merge, as in
 * union by size: O(log n) times over its life.
 *
 * <p>Entries are deleted when their session can no longer be found in the aggregate's store
 * (its end older than stream time minus the store's retention), lazily, when their group gets its
 * next record. A group that never gets another record keeps its last sessions' entries. Late
 * records never get here (the session late guard runs first). The store is changelogged.
 */
public final class SessionDistinctValues implements FixedKeyProcessor<Row, Row, Row> {
    private static final byte[] PRESENT = {};

    private final String storeName;
    private final String sessionStoreName;
    private final Aggregation aggregation;
    private final int callCount;
    private final int[] calls;
    private final List<List<SqlType>> types;
    /** Per kept call: its result ignores a value's multiplicity, so a merge's extra copies need no retraction. */
    private final boolean[] idempotent;
    private final Serde<Row> keySerde;
    private final long gap;
    private final long retention;
    private FixedKeyProcessorContext<Row, Row> context;
    private KeyValueStore<Bytes, byte[]> values;
    private KeyValueStore<Bytes, byte[]> sessions;
    private long observedStreamTime = Long.MIN_VALUE;

    private SessionDistinctValues(String step, Aggregation aggregation, List<AggregateCall> calls, Serde<Row> keySerde,
                                  WindowSpec window) {
        this.storeName = DistinctValues.storeName(step);
        this.sessionStoreName = step + "-store";
        this.aggregation = aggregation;
        this.callCount = calls.size();
        this.keySerde = keySerde;
        this.gap = window.sizeMs();
        this.retention = WindowStoreRetention.sessions(window).toMillis();
        List<Integer> distinct = new ArrayList<>();
        List<List<SqlType>> argumentTypes = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            if (keeps(calls.get(i))) {
                distinct.add(i);
                argumentTypes.add(calls.get(i).arguments().stream().filter(e -> !Expr.isConstant(e))
                        .map(Expr::type).toList());
            }
        }
        this.calls = distinct.stream().mapToInt(Integer::intValue).toArray();
        this.types = List.copyOf(argumentTypes);
        this.idempotent = new boolean[this.calls.length];
        for (int d = 0; d < this.calls.length; d++) {
            idempotent[d] = IDEMPOTENT.contains(name(calls.get(this.calls[d])));
        }
    }

    /**
     * Whether a session aggregate keeps some of its DISTINCT calls' values here ({@link #keeps}); the
     * others keep their set in the state ({@link #prepare}), or their values in
     * {@link SessionCollections}' store.
     */
    public static boolean applies(List<AggregateCall> calls) {
        return DistinctValues.applies(calls) && calls.stream().anyMatch(SessionDistinctValues::keeps);
    }

    /**
     * Whether {@code call}'s values are kept here: a DISTINCT call whose plain accumulator either
     * takes back exactly the copy of a value that a merge counted twice and does not depend on the
     * order of its inputs (COUNT, SUM, AVG, COUNT_IF), or gives the same result whatever a value's
     * multiplicity (MIN, MAX, BOOL_AND, BOOL_OR: no copy to take back), or (since state format 17,
     * {@link SessionStateFormat}) takes the copy back up to rounding (STDDEV/VAR_*, CORRELATION,
     * STDDEV_SAMPLE: after a merge their result may differ from a computation from scratch in its
     * last bits, as their retraction over a table does), or a constant's ARRAY_AGG(DISTINCT c ORDER
     * BY k), a count of the distinct keys (state format 21). Not sketches, other lists and sets, nor what
     * {@link SessionCollections} keeps by value.
     */
    public static boolean keeps(AggregateCall call) {
        String name = name(call);
        return call.distinct() && (RETRACTING.contains(name) || IDEMPOTENT.contains(name) || ROUNDING.contains(name)
                || Aggregation.distinctConstantList(call)) && !SessionCollections.keeps(call);
    }

    /** Whether {@code call} is one of the DISTINCT calls kept here since state format 17 (with {@link #applies}). */
    static boolean keptSinceFormat17(AggregateCall call) {
        return call.distinct() && ROUNDING.contains(name(call));
    }

    /**
     * Before state format 12, a session aggregate used this store only when every DISTINCT call was
     * a COUNT, SUM or AVG (else every set stayed in the state).
     */
    static boolean appliedBeforeFormat12(List<AggregateCall> calls) {
        return DistinctValues.applies(calls) && calls.stream().filter(AggregateCall::distinct)
                .allMatch(c -> Set.of("COUNT", "SUM", "AVG").contains(name(c)));
    }

    /**
     * Makes {@code aggregation}'s DISTINCT calls that are not kept here keep their set in the state,
     * but APPROX_COUNT_DISTINCT's (its sketch ignores repeats: {@link #dropsDistinct}). Build time,
     * for every session aggregate (with or without this processor).
     */
    public static void prepare(List<AggregateCall> calls, Aggregation aggregation) {
        for (int i = 0; i < calls.size(); i++) {
            if (applies(calls) && Aggregation.distinctConstantList(calls.get(i))) {
                // a constant's ARRAY_AGG(DISTINCT c ORDER BY k): a count of the distinct keys, which
                // takes back a merge's extra copy exactly; older formats held the keys in the value
                aggregation.tagConstantListsBeside();
            }
            if (dropsDistinct(calls.get(i))) {
                aggregation.dropDistinct(i);
            } else if (calls.get(i).distinct() && !keeps(calls.get(i))
                    && aggregation.kept(i) != Aggregation.ValuesKept.MULTISET_IN_STORE) {
                aggregation.keepDistinctSetInState(i, calls.get(i));
            }
        }
    }

    private static String name(AggregateCall call) {
        return call.function().toUpperCase(java.util.Locale.ROOT);
    }

    private static final Set<String> IDEMPOTENT = Set.of("MIN", "MAX", "BOOL_AND", "BOOL_OR");
    private static final Set<String> RETRACTING = Set.of("COUNT", "SUM", "AVG", "COUNT_IF");
    /** Retract a merged copy up to rounding (state format 17). Names and aliases. */
    private static final Set<String> ROUNDING = Set.of("STDDEV_SAMP", "STDDEV", "STDDEV_POP", "VAR_SAMP", "VARIANCE",
            "VAR_POP", "CORRELATION", "STDDEV_SAMPLE");

    /**
     * Whether a session aggregate's DISTINCT {@code call} needs no distinct values at all (state
     * format 17): APPROX_COUNT_DISTINCT's HLL sketch gives the same registers however often a value
     * comes, and sketches merge by union, so its plain sketch is the DISTINCT result, bounded.
     */
    static boolean dropsDistinct(AggregateCall call) {
        return call.distinct() && name(call).equals("APPROX_COUNT_DISTINCT");
    }

    /** The processor of {@code step}'s DISTINCT calls over {@code window} (a session window). */
    public static SessionDistinctValues of(String step, List<AggregateCall> calls, Aggregation aggregation,
                                           Serde<Row> keySerde, WindowSpec window) {
        // keeps() admits only calls that retract a merged duplicate (exactly, or up to rounding), or need not (MIN, ...)
        return new SessionDistinctValues(step, aggregation, calls, keySerde, window);
    }

    /** What the session operator needs to delete a session's entries when the session leaves its store. */
    public record Plan(String storeName, int[] calls) {
        public static Plan of(String step, List<AggregateCall> calls) {
            return new Plan(DistinctValues.storeName(step),
                    java.util.stream.IntStream.range(0, calls.size()).filter(i -> keeps(calls.get(i))).toArray());
        }

        /**
         * Deletes the entries of the session [start, end] of {@code group} (both indexes, every kept
         * call): a key's sessions are disjoint and each entry lies within its session's span, so
         * they are the by-time entries between start and end. O(the session's distinct values),
         * once per session.
         */
        void removeSession(KeyValueStore<Bytes, byte[]> values, byte[] group, long start, long end) {
            int prefix = SessionValueKeys.byTimePrefixLength(group);
            for (int call : calls) {
                List<byte[]> dead = new ArrayList<>();
                try (KeyValueIterator<Bytes, byte[]> it = values.range(SessionValueKeys.byTimeFrom(group, call, start),
                        SessionValueKeys.byTimeFrom(group, call, end == Long.MAX_VALUE ? end : end + 1))) {
                    while (it.hasNext()) {
                        var next = it.next();
                        byte[] key = next.key.get();
                        if (next.value != null && SessionValueKeys.timeOfByTime(key, prefix) <= end) {
                            dead.add(key);
                        }
                    }
                }
                for (byte[] key : dead) {
                    values.delete(Bytes.wrap(key));
                    values.delete(SessionValueKeys.byValue(group, call, SessionValueKeys.valueOfByTime(key, prefix),
                            SessionValueKeys.timeOfByTime(key, prefix)));
                }
            }
        }
    }

    /** Its store, {@code <step>-distinct-store}: both indexes in one changelogged key-value store. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String step, StateBackend backend) {
        return backend.keyValue(DistinctValues.storeName(step));
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        this.values = context.getStateStore(storeName);
        this.sessions = context.getStateStore(sessionStoreName);
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        if (row == null || row == EndOfTime.MARKER || record.key() == null) {
            context.forward(record);
            return;
        }
        long ts = record.timestamp();
        // as the session store's own stream time (the largest session end put), which decides
        // which sessions it still finds
        observedStreamTime = Math.max(observedStreamTime, ts);
        byte[] group = keySerde.serializer().serialize(storeName, record.key());
        List<long[]> found = new ArrayList<>();
        long mergedStart = ts;
        long mergedEnd = ts;
        byte[] sessionGroup = keySerde.serializer().serialize(sessionStoreName, record.key());
        for (OpenSessions.Session window : OpenSessions.find(sessions, sessionGroup, ts - gap, ts + gap,
                retainedAfter())) {
            found.add(new long[] {window.start(), window.end()});
            mergedStart = Math.min(mergedStart, window.start());
            mergedEnd = Math.max(mergedEnd, window.end());
        }
        long first = 0;
        List<List<Object[]>> duplicates = new ArrayList<>(callCount);
        for (int i = 0; i < callCount; i++) {
            duplicates.add(List.of());
        }
        for (int d = 0; d < calls.length; d++) {
            int call = calls[d];
            if (found.size() > 1 && !idempotent[d]) {
                duplicates.set(call, mergeDuplicates(group, call, types.get(d), found));
            }
            if (!aggregation.passesFilter(call, row)) {
                continue;
            }
            byte[] value = encode(types.get(d), aggregation.arguments(call, row));
            if (!holds(group, call, value, mergedStart, mergedEnd)) {
                values.put(SessionValueKeys.byValue(group, call, value, ts), PRESENT);
                values.put(SessionValueKeys.byTime(group, call, ts, value), PRESENT);
                first |= 1L << call;
            }
        }
        expire(group, sessionGroup);
        context.forward(record.withValue(append(row, new SessionMarks(first, duplicates))));
    }

    /** Sessions ending at or before this are gone from the aggregate's store (its stream time before this record). */
    private long retainedAfter() {
        long storeTime = OpenSessions.streamTime(sessions);
        return storeTime == Long.MIN_VALUE ? Long.MIN_VALUE : storeTime - retention;
    }

    /** Whether the group's call has {@code value} at a time within [start, end]. */
    private boolean holds(byte[] group, int call, byte[] value, long start, long end) {
        try (KeyValueIterator<Bytes, byte[]> it = values.range(SessionValueKeys.byValue(group, call, value, start),
                SessionValueKeys.byValue(group, call, value, end))) {
            return it.hasNext();
        }
    }

    /**
     * The values held by more than one of the merging {@code sessions} (one entry per extra
     * copy), with the extra index entries deleted. Reads every session but the largest.
     */
    private List<Object[]> mergeDuplicates(byte[] group, int call, List<SqlType> types, List<long[]> sessions) {
        int prefix = SessionValueKeys.byTimePrefixLength(group);
        int n = sessions.size();
        List<KeyValueIterator<Bytes, byte[]>> iterators = new ArrayList<>(n);
        List<List<byte[]>> keys = new ArrayList<>(n);
        boolean[] exhausted = new boolean[n];
        int largest = -1;
        try {
            for (long[] session : sessions) {
                iterators.add(values.range(SessionValueKeys.byTimeFrom(group, call, session[0]),
                        SessionValueKeys.byTimeFrom(group, call, session[1] == Long.MAX_VALUE
                                ? Long.MAX_VALUE : session[1] + 1)));
                keys.add(new ArrayList<>());
            }
            // lock step: stop as soon as one session alone is left unread
            int open = n;
            while (open > 1) {
                for (int s = 0; s < n; s++) {
                    if (exhausted[s]) {
                        continue;
                    }
                    byte[] key = nextInSession(iterators.get(s), prefix, sessions.get(s)[1]);
                    if (key == null) {
                        exhausted[s] = true;
                        open--;
                    } else {
                        keys.get(s).add(key);
                    }
                }
            }
            for (int s = 0; s < n; s++) {
                if (!exhausted[s]) {
                    largest = s;
                }
            }
            if (largest < 0) { // all ran out together: the one with most entries stands for the largest
                largest = 0;
                for (int s = 1; s < n; s++) {
                    if (keys.get(s).size() > keys.get(largest).size()) {
                        largest = s;
                    }
                }
            }
        } finally {
            iterators.forEach(KeyValueIterator::close);
        }
        // value -> times at which the smaller sessions hold it (at most one per session)
        Map<Bytes, List<Long>> occurrences = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            if (s == largest) {
                continue;
            }
            for (byte[] key : keys.get(s)) {
                occurrences.computeIfAbsent(Bytes.wrap(SessionValueKeys.valueOfByTime(key, prefix)),
                        v -> new ArrayList<>()).add(SessionValueKeys.timeOfByTime(key, prefix));
            }
        }
        long[] big = sessions.get(largest);
        List<Object[]> extra = new ArrayList<>();
        for (Map.Entry<Bytes, List<Long>> entry : occurrences.entrySet()) {
            byte[] value = entry.getKey().get();
            List<Long> times = entry.getValue();
            boolean inLargest = holds(group, call, value, big[0], big[1]);
            int copies = times.size() + (inLargest ? 1 : 0);
            if (copies < 2) {
                continue;
            }
            Object[] arguments = decode(types, value);
            for (int c = 1; c < copies; c++) {
                extra.add(arguments);
            }
            // keep one entry: the largest session's, else the first smaller session's
            for (int t = inLargest ? 0 : 1; t < times.size(); t++) {
                values.delete(SessionValueKeys.byValue(group, call, value, times.get(t)));
                values.delete(SessionValueKeys.byTime(group, call, times.get(t), value));
            }
        }
        return extra;
    }

    /** The next by-time key of a session's range, or null after its end. */
    private static byte[] nextInSession(KeyValueIterator<Bytes, byte[]> it, int prefix, long end) {
        if (!it.hasNext()) {
            return null;
        }
        byte[] key = it.next().key.get();
        return SessionValueKeys.timeOfByTime(key, prefix) <= end ? key : null;
    }

    /**
     * Deletes the group's entries older than every session the aggregate's store can still find:
     * entries at or before stream time minus retention, unless the session spanning that instant
     * is still there (then entries before its start).
     */
    private void expire(byte[] group, byte[] sessionGroup) {
        if (observedStreamTime == Long.MIN_VALUE || observedStreamTime - retention <= Long.MIN_VALUE + 1) {
            return;
        }
        long cutoff = observedStreamTime - retention; // sessions ending at or before it are gone
        long before = cutoff + 1;
        for (OpenSessions.Session s : OpenSessions.find(sessions, sessionGroup, cutoff + 1, cutoff, retainedAfter())) {
            before = Math.min(before, s.start());
        }
        int prefix = SessionValueKeys.byTimePrefixLength(group);
        for (int call : calls) {
            List<byte[]> dead = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = values.range(
                    SessionValueKeys.byTimeFrom(group, call, Long.MIN_VALUE),
                    SessionValueKeys.byTimeFrom(group, call, before))) {
                while (it.hasNext()) {
                    byte[] k = it.next().key.get();
                    if (SessionValueKeys.timeOfByTime(k, prefix) < before) {
                        dead.add(k);
                    }
                }
            }
            for (byte[] k : dead) {
                long time = SessionValueKeys.timeOfByTime(k, prefix);
                byte[] value = SessionValueKeys.valueOfByTime(k, prefix);
                values.delete(Bytes.wrap(k));
                values.delete(SessionValueKeys.byValue(group, call, value, time));
            }
        }
    }

    private static byte[] encode(List<SqlType> types, Object[] values) {
        return DistinctArgumentKeys.of(types, values);
    }

    private static Object[] decode(List<SqlType> types, byte[] value) {
        return DistinctArgumentKeys.read(types, value);
    }

    private static Row append(Row row, Object marks) {
        Object[] out = new Object[row.size() + 1];
        System.arraycopy(row.toArray(), 0, out, 0, row.size());
        out[row.size()] = marks;
        return new Row(out);
    }
}
