package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions (Sluice's own operator, one store entry per user) across a restart on a machine without
 * its disk: the open sessions and the stream time come back from the changelog, the clicks after the
 * restart extend the sessions the first instance opened (one session per user, not two), and every
 * session is emitted once (EMIT FINAL) with its full count.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SessionRestartTest {
    private static final int USERS = 4;
    /** Six hours ago, on the hour: the changelog's retention is enforced against the wall clock. */
    private static final long BASE = (System.currentTimeMillis() / 3_600_000L - 6) * 3_600_000L;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private static String sql(String app) {
        return "SET 'application.id' = '" + app + "';\n"
                + "CREATE STREAM clicks (user_id VARCHAR, amount BIGINT, ts TIMESTAMP ROWTIME,\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '1' HOUR)\n"
                + "  WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "CREATE STREAM per_session WITH ('topic' = '" + app + "-out', 'format' = 'json', 'partitions' = '2') AS\n"
                + "SELECT user_id, SESSION_START(ts, INTERVAL '2' MINUTE) AS s_start, COUNT(*) AS n, SUM(amount) AS total\n"
                + "FROM clicks GROUP BY user_id, SESSION(ts, INTERVAL '2' MINUTE);\n";
    }

    /** A click per user every 10 s in minutes [from, to), worth the minute + 1. */
    private static List<ItSupport.Sent> clicks(int fromMinute, int toMinute) {
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

    private static ItSupport.Sent click(int user, long amount, long ts) {
        String json = "{\"user_id\":\"u" + user + "\",\"amount\":" + amount + ",\"ts\":\""
                + TS.format(Instant.ofEpochMilli(ts)) + "\"}";
        return new ItSupport.Sent(null, "u" + user, json, ts);
    }

    private static String describe(byte[] value) {
        var row = ItSupport.json(value);
        return row.get("user_id").asText() + " " + row.get("s_start").asText() + " " + row.get("n").asLong() + " "
                + row.get("total").asLong();
    }

    @Test
    void sessionsOpenedBeforeARestartWithoutItsDiskAreExtendedAfterItAndEmittedOnceWithTheirFullCount(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("session-restart");
        String in = app + "-in";
        broker.createTopic(in, 2);
        broker.createTopic(app + "-out", 2);
        CompiledScript script = ItSupport.compile(sql(app), "sessions");

        ItSupport.processThenLeave(broker, script, dir.resolve("first"), in, clicks(0, 5));
        assertEquals(0, ItSupport.readCommitted(broker, app + "-out", 0, Duration.ZERO).size(),
                "no session has closed yet: they are all in the store");

        RestoredRecords restored = new RestoredRecords();
        KafkaStreams second = new KafkaStreams(script.topology(),
                ItSupport.streamsConfig(broker, script, dir.resolve("second"), Map.of()));
        second.setGlobalStateRestoreListener(restored);
        try {
            second.start();
            // minutes 5-9 continue each user's session; minutes 20-21 open a second one
            List<ItSupport.Sent> more = new ArrayList<>(clicks(5, 10));
            more.addAll(clicks(20, 22));
            ItSupport.produce(broker, in, more);
            ItSupport.awaitProcessed(broker, script, Duration.ofSeconds(90));
            List<ItSupport.Sent> closing = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                closing.add(click(u, 0, BASE + 3 * 3_600_000L));
            }
            ItSupport.produce(broker, in, closing);
            var out = ItSupport.readCommitted(broker, app + "-out", 2 * USERS, Duration.ofSeconds(60));
            List<String> rows = out.stream().map(r -> describe(r.value())).toList();
            assertEquals(2 * USERS, rows.size(), "two sessions per user, none twice: " + rows);
            Set<String> expected = new TreeSet<>();
            DateTimeFormatter start = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
            for (int u = 0; u < USERS; u++) {
                // minutes 0-9: 6 clicks each worth m + 1 -> 6 * (1 + ... + 10) = 330
                expected.add("u" + u + " " + start.format(Instant.ofEpochMilli(BASE)) + " 60 330");
                // minutes 20-21: 6 * (21 + 22) = 258
                expected.add("u" + u + " " + start.format(Instant.ofEpochMilli(BASE + 20 * 60_000L)) + " 12 258");
            }
            assertEquals(expected, new TreeSet<>(rows));
            assertTrue(restored.count() >= USERS, "the users' open sessions came back from the changelog, restored "
                    + restored.count() + " records");
        } finally {
            second.close(ItSupport.LEAVE);
        }
    }
}
