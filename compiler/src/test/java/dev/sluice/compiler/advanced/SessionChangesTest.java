package dev.sluice.compiler.advanced;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Session windows with EMIT CHANGES: every update of a session is a row of a table keyed by the
 * group key and the session start, and a session merged into a larger one is deleted under its own
 * key, so downstream never keeps a session that no longer exists.
 */
class SessionChangesTest {
    private static final long T0 = Instant.parse("2024-01-15T10:00:00Z").toEpochMilli();
    private static final String SQL = "CREATE STREAM events (user_id VARCHAR, event_time TIMESTAMP, "
            + "WATERMARK FOR event_time AS event_time - INTERVAL '5' MINUTE) WITH ('topic' = 'events', 'format' = 'json');\n"
            + "CREATE TABLE sessions AS SELECT user_id, SESSION_START(event_time, INTERVAL '1' MINUTE) AS s_start, "
            + "SESSION_END(event_time, INTERVAL '1' MINUTE) AS s_end, COUNT(*) AS n FROM events "
            + "GROUP BY user_id, SESSION(event_time, INTERVAL '1' MINUTE) EMIT CHANGES;\n";

    private static String event(String user, long seconds) {
        return "{\"user_id\":\"" + user + "\",\"event_time\":" + (T0 + seconds * 1000) + "}";
    }

    private static String key(String user, String start) {
        return "{\"user_id\":\"" + user + "\",\"window_start\":\"2024-01-15T" + start + ".000Z\"}";
    }

    private static String row(String user, String start, String end, long n) {
        return "{\"user_id\":\"" + user + "\",\"s_start\":\"2024-01-15T" + start + ".000Z\",\"s_end\":\"2024-01-15T"
                + end + ".000Z\",\"n\":" + n + "}";
    }

    @Test
    void aRecordBridgingTwoSessionsDeletesBothAndEmitsTheMergedOne() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            d.pipe("events", null, event("a", 0), T0).pipe("events", null, event("a", 100), T0 + 100_000);
            assertEquals(List.of(
                    key("a", "10:00:00") + " -> " + row("a", "10:00:00", "10:01:00", 1),
                    key("a", "10:01:40") + " -> " + row("a", "10:01:40", "10:02:40", 1)), d.output("sessions"));
            // 50 s is within the gap of both: the two sessions merge into [0 s, 100 s].
            d.pipe("events", null, event("a", 50), T0 + 50_000);
            assertEquals(List.of(
                    key("a", "10:00:00") + " -> null",
                    key("a", "10:01:40") + " -> null",
                    key("a", "10:00:00") + " -> " + row("a", "10:00:00", "10:02:40", 3)), d.output("sessions"));
        }
    }

    @Test
    void aRecordExtendingASessionReplacesItsRow() {
        try (ChangelogDriver d = new ChangelogDriver(SQL)) {
            d.pipe("events", null, event("a", 0), T0).pipe("events", null, event("a", 30), T0 + 30_000)
                    .pipe("events", null, event("b", 40), T0 + 40_000);
            // The session [0 s] grows to [0 s, 30 s]: Kafka Streams deletes the old session and writes
            // the grown one, both under the same (user, start) key.
            assertEquals(List.of(
                    key("a", "10:00:00") + " -> " + row("a", "10:00:00", "10:01:00", 1),
                    key("a", "10:00:00") + " -> null",
                    key("a", "10:00:00") + " -> " + row("a", "10:00:00", "10:01:30", 2),
                    key("b", "10:00:40") + " -> " + row("b", "10:00:40", "10:01:40", 1)), d.output("sessions"));
        }
    }
}
