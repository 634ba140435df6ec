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
     * A session leaves the store once no record can reach it any more: one that is not late
     * (ts >= stream time - gap - grace) reaches back one gap, so a session ending before stream time
     * - 2 gap - grace is never found again. The watermark's 2 minutes are a grace of 2 min - 2 ms
     * (a session closes when Flink's would), so a session leaves at its end + 4 min - 1 ms.
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
            pipe(d, "c", 239);
            assertEquals(4, d.entries(STORE), "a's session [0 s] could still be reached by a record at 59 s (not late)");
            pipe(d, "c", 240);
            assertEquals(3, d.entries(STORE), "a's session left, and a with it");
            pipe(d, "c", 439);
            assertEquals(3, d.entries(STORE), "b's first session left, its second stays");
            pipe(d, "c", 440);
            assertEquals(2, d.entries(STORE), "c and the stream time");
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
