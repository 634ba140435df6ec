package dev.sluice.compiler.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sluice's session rules, as the session scenario tests model them: for each key, which sessions a
 * record reaches (those ending at most {@link #GAP} before it or starting at most {@link #GAP} after
 * it), the session they merge into, and whether the record is late (its merged session ends before
 * stream time − {@link #GRACE} − {@link #GAP}, so the aggregate dead-letters it). A session lists
 * its rows as the state merger does: the merged sessions' rows in start order, then the record.
 *
 * @param <R> a row of the test's input
 */
final class SessionModel<R> {
    /** The tests' {@code SESSION(ts, INTERVAL '1' MINUTE)}. */
    static final long GAP = 60_000;
    /** The tests' two-minute watermark as a session grace (see SessionWindowAggregateScenarioTest). */
    static final long GRACE = 120_000 - 2;

    /** One session of the model: its span and its rows. */
    static final class Session<R> {
        long start;
        long end;
        /** Whether a record bridged sessions to make this one, or one of its parts. */
        boolean merged;
        final List<R> rows = new ArrayList<>();
    }

    final Map<String, List<Session<R>>> sessions = new TreeMap<>();
    long streamTime = Long.MIN_VALUE;

    /** Adds the record; returns its (merged) session, or null when it is late. */
    Session<R> add(String k, long ts, R row) {
        streamTime = Math.max(streamTime, ts);
        List<Session<R>> all = sessions.computeIfAbsent(k, x -> new ArrayList<>());
        List<Session<R>> reached = all.stream().filter(s -> s.end >= ts - GAP && s.start <= ts + GAP)
                .sorted(Comparator.comparingLong(s -> s.start)).toList();
        Session<R> merged = new Session<>();
        merged.start = ts;
        merged.end = ts;
        merged.merged = reached.size() > 1;
        for (Session<R> s : reached) {
            merged.start = Math.min(merged.start, s.start);
            merged.end = Math.max(merged.end, s.end);
            merged.rows.addAll(s.rows);
            merged.merged |= s.merged;
        }
        if (merged.end < streamTime - GRACE - GAP) {
            return null;
        }
        merged.rows.add(row);
        all.removeAll(reached);
        all.add(merged);
        return merged;
    }

    /** A session's name in the tests' maps: key and start. */
    static String id(String k, long start) {
        return k + "@" + java.time.Instant.ofEpochMilli(start);
    }
}
