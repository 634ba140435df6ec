package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A SESSION window aggregate over {@link OpenSessions}' store (one entry per group key), with the
 * results of Kafka Streams' {@code KStreamSessionWindowAggregate} followed, for EMIT FINAL, by
 * {@code suppress(untilWindowCloses)}:
 * <ul>
 *   <li>a record at {@code ts} merges every session of its key ending at or after {@code ts - gap}
 *       and starting at or before {@code ts + gap}: their states are merged in start order into the
 *       initializer's, then the record is added; the session spans all of them;</li>
 *   <li>EMIT CHANGES forwards a tombstone for each merged-away session (unless the only one found
 *       is {@code [ts, ts]} itself), then the new session, each stamped with its end;</li>
 *   <li>EMIT FINAL forwards a session once stream time reaches {@code end + gap + grace}, sessions
 *       due together in the order of (end, key bytes, start), as the suppress buffer evicted them;</li>
 *   <li>a session leaves the store once no record can reach it. A record lying within a gap of
 *       a session and of the next one joins them, and is late only if the next one ended before
 *       {@code streamTime - grace - gap}, however old the record itself is. A new next session can
 *       still open at {@code streamTime - grace - gap} (a record that is not late by its own time),
 *       and be bridged to a session ending up to two gaps before it: so a session stays until its
 *       end is older than {@code streamTime - grace - 3 gap}, and then for as long as its next
 *       session starts within two gaps of its end and is not closed ({@link #bridgeable}). It leaves then, or at the
 *       session store's retention ({@link WindowStoreRetention}) if that is sooner, which is when
 *       Kafka Streams' store stopped finding it. The key's entry is deleted with its last session,
 *       so an entry holds only a key's last few sessions.</li>
 * </ul>
 * Percentiles, TOPK and ARRAY_AGG keep their values per session beside this store
 * ({@link SessionCollections}), which this operator updates with each record once it knows the
 * sessions the record merges, and clears when a session leaves.
 * Late records are stopped before this by {@link SessionLateRecordGuard}, which reads the same
 * store; one that still got here would fail the same way (counted, logged, dead-lettered).
 *
 * <p>What is due when is kept on the heap ({@link #timers}), as the suppress buffer kept its
 * rows, and rebuilt from the store in {@link #init}: the store and the stream time are restored
 * together from the changelog, so a restarted task emits exactly what the old one had not.
 */
public final class SessionWindowAggregate implements Processor<Row, Row, Windowed<Row>, AggregateState> {
    private final String storeName;
    private final Aggregation aggregation;
    private final Serde<Row> keySerde;
    private final Serde<AggregateState> stateSerde;
    private final long gap;
    private final long grace;
    private final long retention;
    /** How long after its end a session stays in the store (see the class comment). */
    private final long kept;
    private final boolean emitFinal;
    /** Percentiles, TOPK and ARRAY_AGG kept beside the sessions ({@link SessionCollections}), or null. */
    private final SessionCollections.Plan collectionsPlan;
    private SessionCollections collections;
    /** DISTINCT calls kept in {@link SessionDistinctValues}' store, or null. */
    private final SessionDistinctValues.Plan distinctPlan;
    private KeyValueStore<Bytes, byte[]> distinctValues;
    private final TreeSet<Timer> timers = new TreeSet<>();
    /** Each session's one pending timer, by (group, start): a removal may be postponed (see {@link #fireDueTimers}). */
    private final java.util.Map<SessionId, Timer> pending = new java.util.HashMap<>();

    private record SessionId(Bytes group, long start) {
    }
    private ProcessorContext<Windowed<Row>, AggregateState> context;
    private KeyValueStore<Bytes, byte[]> store;
    private long streamTime;
    /** The stream time up to which timers have fired: an EMIT FINAL session due by then was emitted. */
    private long firedThrough;

    /**
     * A session's next due time: its emission ({@code emit}, EMIT FINAL) or its removal. Ordered as
     * the suppress buffer ordered its rows: by time, then by the key's bytes, then by start.
     */
    private record Timer(long time, byte[] group, Row key, long start, long end, boolean emit)
            implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(time, o.time);
            if (c == 0) {
                c = Arrays.compareUnsigned(group, o.group);
            }
            if (c == 0) {
                c = Long.compare(start, o.start);
            }
            return c != 0 ? c : Boolean.compare(o.emit, emit);
        }
    }

    public SessionWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde, WindowSpec window,
                                  boolean emitFinal) {
        this(storeName, aggregation, keySerde, window, emitFinal, null);
    }

    /** {@code collections}: when not null, the calls {@link SessionCollections} keeps (state format 8). */
    public SessionWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde, WindowSpec window,
                                  boolean emitFinal, SessionCollections.Plan collections) {
        this(storeName, aggregation, keySerde, window, emitFinal, collections, null, (byte) 0);
    }

    /**
     * {@code distinct}: when not null, {@link SessionDistinctValues}' store, whose entries of a
     * session this operator deletes when the session leaves; {@code stateFormat}: the state's
     * format, {@link SessionStateFormat#version} (12, 17, or 0 for the aggregation's own).
     */
    public SessionWindowAggregate(String storeName, Aggregation aggregation, Serde<Row> keySerde, WindowSpec window,
                                  boolean emitFinal, SessionCollections.Plan collections,
                                  SessionDistinctValues.Plan distinct, byte stateFormat) {
        this.distinctPlan = distinct;
        this.storeName = storeName;
        this.aggregation = aggregation;
        this.keySerde = keySerde;
        this.collectionsPlan = collections;
        this.stateSerde = SessionStateFormat.serde(aggregation, collections != null, stateFormat);
        this.gap = window.sizeMs();
        this.grace = window.graceMs();
        this.retention = WindowStoreRetention.sessions(window).toMillis();
        this.kept = Math.min(retention, grace + 3 * gap + 1);
        this.emitFinal = emitFinal;
    }

    @Override
    public void init(ProcessorContext<Windowed<Row>, AggregateState> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        if (collectionsPlan != null) {
            collections = collectionsPlan.open(context.getStateStore(collectionsPlan.storeName()), aggregation);
        }
        if (distinctPlan != null) {
            distinctValues = context.getStateStore(distinctPlan.storeName());
        }
        // init runs again on the same instance when a task is revived: start from the store alone
        timers.clear();
        pending.clear();
        streamTime = OpenSessions.streamTime(store);
        firedThrough = streamTime;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (!OpenSessions.isGroup(entry.key)) {
                    continue;
                }
                byte[] group = OpenSessions.group(entry.key);
                Row key = keySerde.deserializer().deserialize(storeName, group);
                for (OpenSessions.Session s : OpenSessions.decode(entry.value)) {
                    // a session whose emission was due was emitted with the record that made it due
                    boolean emitted = !emitFinal || emitTime(s.end()) <= streamTime;
                    schedule(group, key, s, !emitted);
                }
            }
        }
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (record.key() == null) {
            return; // as Kafka Streams' aggregate: a session needs a key
        }
        long ts = record.timestamp();
        long retainedAfter = streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime - retention;
        long previous = streamTime;
        streamTime = Math.max(streamTime, ts);
        if (record.value() != EndOfTime.MARKER) {
            aggregate(record, ts, retainedAfter);
        }
        if (streamTime != previous) {
            OpenSessions.putStreamTime(store, streamTime);
        }
        fireDueTimers();
    }

    private void aggregate(Record<Row, Row> record, long ts, long retainedAfter) {
        byte[] group = keySerde.serializer().serialize(storeName, record.key());
        Bytes storeKey = OpenSessions.key(group);
        List<OpenSessions.Session> sessions = OpenSessions.decode(store.get(storeKey));
        // sessions of one key are disjoint: those the record reaches are one run of the start order
        int from = 0;
        while (from < sessions.size() && (sessions.get(from).end() < ts - gap || sessions.get(from).end() <= retainedAfter)) {
            from++;
        }
        int to = from;
        long start = ts;
        long end = ts;
        while (to < sessions.size() && sessions.get(to).start() <= ts + gap) {
            start = Math.min(start, sessions.get(to).start());
            end = Math.max(end, sessions.get(to).end());
            to++;
        }
        long closeTime = streamTime - grace - gap;
        if (end < closeTime) {
            throw new LateRecordException("late record at " + Instant.ofEpochMilli(ts) + ": its session (gap " + gap
                    + " ms) ended at " + Instant.ofEpochMilli(end) + ", closed by stream time "
                    + Instant.ofEpochMilli(streamTime) + " (grace " + grace + " ms)");
        }
        List<OpenSessions.Session> merged = sessions.subList(from, to);
        AggregateState state = aggregation.initial();
        List<SessionCollections.Merging> spans = new java.util.ArrayList<>(merged.size());
        for (OpenSessions.Session s : merged) {
            AggregateState one = stateSerde.deserializer().deserialize(storeName, s.state());
            spans.add(new SessionCollections.Merging(s.start(), s.end(), one.rows));
            state = aggregation.merge(state, one);
        }
        Row row = record.value();
        if (collections != null) {
            // first what falls out of retention below (a session the record opens may be anchored
            // inside such a session's span), then the record's sessions
            for (int i = 0; i < from; i++) {
                if (sessions.get(i).end() <= retainedAfter) {
                    collections.remove(group, sessions.get(i).start(), sessions.get(i).end());
                }
            }
            row = collections.update(group, spans, ts, row);
        }
        if (distinctValues != null) {
            for (int i = 0; i < from; i++) {
                if (sessions.get(i).end() <= retainedAfter) {
                    distinctPlan.removeSession(distinctValues, group, sessions.get(i).start(), sessions.get(i).end());
                }
            }
        }
        boolean onlyItself = merged.size() == 1 && merged.get(0).start() == ts && merged.get(0).end() == ts;
        for (OpenSessions.Session s : merged) {
            cancel(group, s);
            if (!emitFinal && !onlyItself) {
                context.forward(new Record<>(new Windowed<>(record.key(), new SessionWindow(s.start(), s.end())),
                        null, s.end()));
            }
        }
        state = aggregation.add(row, state);
        OpenSessions.Session session = new OpenSessions.Session(start, end,
                stateSerde.serializer().serialize(storeName, state));
        merged.clear();
        sessions.add(from, session);
        // what fell out of retention leaves with this write rather than waiting for its timer
        for (int i = from - 1; i >= 0; i--) {
            if (sessions.get(i).end() <= retainedAfter) {
                cancel(group, sessions.remove(i)); // its collections went before the update
            }
        }
        store.put(storeKey, OpenSessions.encode(sessions));
        schedule(group, record.key(), session, emitFinal);
        if (!emitFinal) {
            context.forward(new Record<>(new Windowed<>(record.key(), new SessionWindow(start, end)), state, end));
        }
    }

    private long emitTime(long end) {
        return end + gap + grace;
    }

    private void schedule(byte[] group, Row key, OpenSessions.Session s, boolean emit) {
        schedule(new Timer(emit ? emitTime(s.end()) : s.end() + kept, group, key, s.start(), s.end(), emit));
    }

    private void schedule(Timer timer) {
        timers.add(timer);
        pending.put(new SessionId(Bytes.wrap(timer.group()), timer.start()), timer);
    }

    /** Removes the session's one timer: its emission if not yet emitted, else its removal. */
    private void cancel(byte[] group, OpenSessions.Session s) {
        Timer timer = pending.remove(new SessionId(Bytes.wrap(group), s.start()));
        if (timer != null) {
            timers.remove(timer);
        }
    }

    private void fireDueTimers() {
        firedThrough = streamTime;
        while (!timers.isEmpty() && timers.first().time() <= streamTime) {
            Timer due = timers.pollFirst();
            pending.remove(new SessionId(Bytes.wrap(due.group()), due.start()));
            Bytes storeKey = OpenSessions.key(due.group());
            List<OpenSessions.Session> sessions = OpenSessions.decode(store.get(storeKey));
            int at = indexOf(sessions, due.start());
            if (at < 0) {
                continue; // cannot happen: a session leaves the store only with its timer
            }
            OpenSessions.Session s = sessions.get(at);
            if (due.emit()) {
                AggregateState state = stateSerde.deserializer().deserialize(storeName, s.state());
                context.forward(new Record<>(new Windowed<>(due.key(), new SessionWindow(s.start(), s.end())),
                        state, s.end()));
                schedule(due.group(), due.key(), s, false);
            } else if (bridgeable(sessions, at)) {
                // a record between this session and the next one reaches both, and is not late as
                // long as the next one is open: keep it (as Kafka Streams' store did) until then
                OpenSessions.Session next = sessions.get(at + 1);
                schedule(new Timer(Math.min(next.end() + grace + gap + 1, s.end() + retention), due.group(),
                        due.key(), s.start(), s.end(), false));
            } else {
                sessions.remove(at);
                if (collections != null) {
                    collections.remove(due.group(), s.start(), s.end());
                }
                if (distinctValues != null) {
                    distinctPlan.removeSession(distinctValues, due.group(), s.start(), s.end());
                }
                if (sessions.isEmpty()) {
                    store.delete(storeKey);
                } else {
                    store.put(storeKey, OpenSessions.encode(sessions));
                }
            }
        }
    }

    /**
     * Whether a record that is not late can still reach session {@code at}: one lying within a gap
     * of both it and the next session joins them, and is late only when that merged session ended
     * before stream time - grace - gap; so the session stays while the next one starts within two
     * gaps of its end and has not ended that long ago (and the store's retention still keeps it).
     */
    private boolean bridgeable(List<OpenSessions.Session> sessions, int at) {
        if (at + 1 >= sessions.size() || sessions.get(at).end() <= streamTime - retention) {
            return false;
        }
        OpenSessions.Session s = sessions.get(at);
        OpenSessions.Session next = sessions.get(at + 1);
        return next.start() - s.end() <= 2 * gap && next.end() >= streamTime - grace - gap;
    }

    private static int indexOf(List<OpenSessions.Session> sessions, long start) {
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i).start() == start) {
                return i;
            }
        }
        return -1;
    }
}
