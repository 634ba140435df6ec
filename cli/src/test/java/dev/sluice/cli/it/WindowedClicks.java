package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The windowed pipeline of the scale-out, fail-over and restart tests, with data whose result is
 * known by hand: users u0..u7 click every 10 s, each click in minute m worth m+1, so every
 * (user, minute) window holds 6 clicks totalling 6(m+1). The grace is an hour because stream time
 * is per partition: two users on one repartition partition arrive from different input partitions,
 * read at different speeds, and with no grace one could make the other late. A last click per user
 * three hours on closes every window of the data, which must each be emitted exactly once.
 *
 * <p>The clicks are from a few hours ago, not from a fixed date. Kafka Streams gives a window
 * store's changelog a retention.ms (window size + grace + one day) that the broker enforces against
 * the wall clock: with clicks dated 2024, the broker's retention check (30 s after start, then every
 * 5 minutes) deleted changelog segments while a test was running, and RestartTest restored 0, 2 or
 * 20 records instead of its 40 windows. A test must not depend on when the shared broker started.
 */
final class WindowedClicks {
    static final int USERS = 8;
    /** The start of the hour six hours ago: data windows and the closing clicks all lie in the past day. */
    static final long BASE = (System.currentTimeMillis() / 3_600_000L - 6) * 3_600_000L;
    private static final java.time.format.DateTimeFormatter WINDOW_START = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private WindowedClicks() {
    }

    static String sql(String app) {
        return "SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM clicks (user_id VARCHAR, amount BIGINT, ts TIMESTAMP ROWTIME,\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '1' HOUR)\n"
                + "  WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "CREATE STREAM per_user WITH ('topic' = '" + app + "-out', 'format' = 'json', 'partitions' = '4') AS\n"
                + "SELECT user_id, TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, COUNT(*) AS n,\n"
                + "  SUM(amount) AS total\n"
                + "FROM clicks GROUP BY user_id, TUMBLE(ts, INTERVAL '1' MINUTE);\n";
    }

    /** Clicks of minutes [from, to), keyed by user (so one user stays on one input partition), in time order. */
    static List<ItSupport.Sent> clicks(int fromMinute, int toMinute) {
        List<ItSupport.Sent> out = new ArrayList<>();
        for (int m = fromMinute; m < toMinute; m++) {
            for (int s = 0; s < 60; s += 10) {
                for (int u = 0; u < USERS; u++) {
                    out.add(click(u, m + 1, BASE + m * 60_000L + s * 1000L));
                }
            }
        }
        return out;
    }

    /** One click per user three hours after the data: every data window closes. */
    static List<ItSupport.Sent> closingClicks() {
        List<ItSupport.Sent> out = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            out.add(click(u, 0, BASE + 3 * 3_600_000L));
        }
        return out;
    }

    private static ItSupport.Sent click(int user, long amount, long ts) {
        String json = "{\"user_id\":\"u" + user + "\",\"amount\":" + amount + ",\"ts\":\""
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(ts)) + "\"}";
        return new ItSupport.Sent(null, "u" + user, json, ts);
    }

    /** The expected rows, as "user window_start n total", for minutes [0, minutes). */
    static Set<String> expected(int minutes) {
        Set<String> out = new TreeSet<>();
        for (int m = 0; m < minutes; m++) {
            for (int u = 0; u < USERS; u++) {
                out.add("u" + u + " " + WINDOW_START.format(java.time.Instant.ofEpochMilli(BASE + m * 60_000L)) + " 6 "
                        + 6 * (m + 1));
            }
        }
        return out;
    }

    /** One output record as "user window_start n total". */
    static String describe(byte[] value) {
        var row = ItSupport.json(value);
        return row.get("user_id").asText() + " " + row.get("window_start").asText() + " " + row.get("n").asLong()
                + " " + row.get("total").asLong();
    }

    /**
     * An instance processes minutes 0-4 in {@code firstState} and leaves before any window closes;
     * a second instance on {@code secondState} (the same directory or a new one) processes minutes
     * 5-9 and the closing clicks. Checks that every (user, minute) window is emitted once with its
     * full count, and that the first five minutes' windows were restored from the changelog.
     */
    static void stopAndRestart(EmbeddedKafkaBroker broker, CompiledScript script, String app, Path firstState,
                               Path secondState) throws Exception {
        String in = app + "-in";
        broker.createTopic(in, 2);
        broker.createTopic(app + "-out", 2);
        ItSupport.processThenLeave(broker, script, firstState, in, clicks(0, 5));
        assertEquals(0, ItSupport.readCommitted(broker, app + "-out", 0, Duration.ZERO).size(),
                "no window has closed yet: the state is all in the stores");

        RestoredRecords restored = new RestoredRecords();
        KafkaStreams second = new KafkaStreams(script.topology(), ItSupport.streamsConfig(broker, script, secondState, Map.of()));
        second.setGlobalStateRestoreListener(restored);
        try {
            second.start();
            ItSupport.produce(broker, in, clicks(5, 10));
            ItSupport.awaitProcessed(broker, script, Duration.ofSeconds(90));
            ItSupport.produce(broker, in, closingClicks());
            var out = ItSupport.readCommitted(broker, app + "-out", 80, Duration.ofSeconds(60));
            List<String> rows = out.stream().map(r -> describe(r.value())).toList();
            assertEquals(80, rows.size(), "one row per (user, minute), none twice: " + rows);
            assertEquals(expected(10), new TreeSet<>(rows));
            assertTrue(restored.count() >= 40, "the 40 windows of minutes 0-4 came back from the changelog, restored "
                    + restored.count() + " records");
        } finally {
            second.close(ItSupport.LEAVE);
        }
    }
}
