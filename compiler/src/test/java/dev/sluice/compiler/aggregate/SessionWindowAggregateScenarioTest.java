package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import dev.sluice.compiler.optimizer.StateResources;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sluice's own SESSION window operator ({@code SessionWindowAggregate}): when EMIT FINAL rows come
 * out and in which order, and when a key's sessions leave the store. Gap 1 minute, grace 2 minutes,
 * (less 2 ms, see below), so a session is due when stream time reaches about its last event + 3
 * minutes, and leaves the store about a minute later.
 */
class SessionWindowAggregateScenarioTest {
    private static final long BASE = 3_600_000;
    private static final String STORE = "t-aggregate-store";
    private static final String SQL = "CREATE STREAM s (k VARCHAR, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n"
            + "CREATE TABLE t AS SELECT k, SESSION_START(ts, INTERVAL '1' MINUTE) AS ss, "
            + "SESSION_END(ts, INTERVAL '1' MINUTE) AS se, COUNT(*) AS n FROM s "
            + "GROUP BY k, SESSION(ts, INTERVAL '1' MINUTE)";

    private static void pipe(ChangelogDriver d, String k, long seconds) {
        long time = BASE + seconds * 1_000;
        d.pipe("s", "{\"k\":\"" + k + "\",\"ts\":" + time + "}", time);
    }

    private static String row(String k, String start, String end, long n) {
        return "{\"k\":\"" + k + "\",\"ss\":\"1970-01-01T" + start + ".000Z\",\"se\":\"1970-01-01T" + end
                + ".000Z\",\"n\":" + n + "}";
    }

    private static List<String> values(List<String> records) {
        return records.stream().map(r -> r.substring(r.indexOf("-> ") + 3, r.lastIndexOf(" @"))).toList();
    }

    @Test
    void emitFinalEmitsASessionWhenStreamTimeReachesItsLastEventPlusGapPlusGraceAndNotBefore() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            pipe(d, "a", 0);
            pipe(d, "a", 30);
            pipe(d, "c", 209);
            assertEquals(List.of(), d.read(), "a's session [0 s, 30 s] is due at 210 s");
            pipe(d, "c", 210);
            assertEquals(List.of(row("a", "01:00:00", "01:01:30", 2)), values(d.read()));
        }
    }

    @Test
    void sessionsDueTogetherComeOutInTheOrderOfTheirEndThenTheirKey() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            pipe(d, "b", 0);
            pipe(d, "a", 10);
            pipe(d, "c", 10);
            pipe(d, "a", 0);   // a's session is now [0 s, 10 s], ending with c's
            pipe(d, "z", 500);
            assertEquals(List.of(
                    row("b", "01:00:00", "01:01:00", 1),
                    row("a", "01:00:00", "01:01:10", 2),
                    row("c", "01:00:10", "01:01:10", 1)), values(d.read()));
        }
    }

    /**
     * A session leaves the store once no record can reach it any more: a new session can open at
     * stream time - gap - grace (a record not late by its own time), and a record between it and a
     * session ending up to two gaps before joins both without being late, so a session ending
     * before stream time - 3 gap - grace is never found again (unless a next session close to it is
     * still open: see the bridge test below). The watermark's 2 minutes are a grace of 2 min - 2 ms
     * (a session closes when Flink's would), so a session leaves at its end + 5 min - 1 ms.
     */
    @Test
    void aSessionLeavesTheStoreOnceNoRecordCanReachItAndTheKeyWithItsLastSession() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            pipe(d, "a", 0);
            pipe(d, "b", 30);
            pipe(d, "b", 200);     // b's second session: b keeps two sessions in its one entry
            pipe(d, "c", 230);
            assertEquals(2, values(d.read()).size(), "a's and b's first sessions closed");
            assertEquals(4, d.entries(STORE), "a, b, c and the stream time: closed sessions are kept a while");
            pipe(d, "c", 299);
            assertEquals(4, d.entries(STORE), "a's session [0 s] could still be reached: a record at 120 s would"
                    + " open a session (not late), and one at 59 s would then join both");
            pipe(d, "c", 300);
            assertEquals(3, d.entries(STORE), "a's session left, and a with it");
            pipe(d, "c", 499);
            assertEquals(3, d.entries(STORE), "b's first session left, its second stays");
            pipe(d, "c", 500);
            assertEquals(2, d.entries(STORE), "c and the stream time");
        }
    }

    /**
     * A record that is late by its own time is not late when it joins a session that is still
     * open: one at 55 s lies within a gap of a's first session [0 s] and of its second, open one
     * [100 s, 350 s], so it joins both, and the first must still be in the store then, though it
     * ended more than 3 gaps + grace before stream time (as in Kafka Streams' session store, which
     * keeps sessions for its retention). [0 s] was emitted alone first, when it was due.
     */
    @Test
    void aSessionThatALaterOpenSessionCanBeBridgedToStaysUntilThatOneCloses() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            for (long t : new long[] {0, 100, 150, 200, 250, 300, 350, 55}) {
                pipe(d, "a", t);
            }
            pipe(d, "z", 1000);
            assertEquals(List.of(row("a", "01:00:00", "01:01:00", 1), row("a", "01:00:00", "01:06:50", 8)),
                    values(d.read()));
        }
    }

    /**
     * An application built before this operator kept Kafka Streams' session store under the same
     * name: the upgrade check must see a different value format there, so {@code sluice diff} and
     * {@code sluice run} refuse to resume from it instead of reading its changelog as sessions per key.
     */
    @Test
    void theSessionStoresFormatSaysItHoldsSessionsPerKeySoAnOlderStoreIsNotResumed() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            StateResources.Resource store = StateResources.of(d.script()).stream()
                    .filter(r -> r.name().equals(STORE)).findFirst().orElseThrow();
            assertTrue(store.value().endsWith(", sessions per key"), store.value());
        }
    }
}
