package dev.sluice.compiler.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.StreamsDefaults;
import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecords;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.metrics.SluiceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Every record that does not make it is accounted for the same way, whatever the reason: one
 * count in {@code sluice_dropped_records_total{query, step, reason}} and one dead-letter record
 * with the {@code sluice.*} headers (docs/errors.md). One test per reason, through
 * TopologyTestDriver with the default handlers and a dead-letter topic.
 */
class DroppedRecordsTest {
    private static final String DLQ = "drops-dlq";

    /** What a run left: output values per topic, dead letters' sluice.* headers, counts by label. */
    private record Outcome(Map<String, List<String>> outputs, List<Map<String, String>> deadLetters) {
        List<String> out(String topic) {
            return outputs.getOrDefault(topic, List.of());
        }
    }

    private static String events(String name, String topic, String watermark) {
        return "CREATE STREAM " + name + " (id VARCHAR, user_id VARCHAR, amount BIGINT, ts TIMESTAMP ROWTIME"
                + (watermark.isEmpty() ? "" : ", WATERMARK FOR ts AS ts - INTERVAL '" + watermark + "' SECOND")
                + ") WITH ('topic' = '" + topic + "', 'format' = 'json');\n";
    }

    private static String event(String id, String user, Long amount, String time) {
        return "{\"id\":\"" + id + "\",\"user_id\":" + (user == null ? "null" : "\"" + user + "\"") + ",\"amount\":"
                + amount + ",\"ts\":\"2024-01-15 " + time + ".000\"}";
    }

    private static Outcome run(String sql, List<String> outputs, Consumer<TopologyTestDriver> feed) throws Exception {
        CompiledScript s = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "drops",
                BuildOptions.PRODUCTION);
        Properties props = StreamsDefaults.defaults();
        props.putAll(s.settings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "drops-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("drops-test").toString());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
        try (TopologyTestDriver driver = new TopologyTestDriver(s.topology(), props)) {
            feed.accept(driver);
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String topic : outputs) {
                out.put(topic, driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer())
                        .readValuesToList());
            }
            List<Map<String, String>> dead = new ArrayList<>();
            for (TestRecord<String, String> r : driver.createOutputTopic(DLQ, new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList()) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header h : r.headers()) {
                    if (h.key().startsWith("sluice.")) {
                        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
                headers.put("value", r.value());
                dead.add(headers);
            }
            return new Outcome(out, dead);
        }
    }

    private static TestInputTopic<String, String> input(TopologyTestDriver driver, String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new StringSerializer());
    }

    private static long count(String query, String step, DropReason reason) {
        return SluiceMetrics.global().get(DroppedRecords.METRIC, DroppedRecords.labels(query, step, reason));
    }

    private static void assertDeadLetter(Map<String, String> dead, DropReason reason, String query, String step,
                                         String topic, long offset) {
        assertEquals(reason.label(), dead.get("sluice.reason"), dead.toString());
        assertEquals(query, dead.get("sluice.query"), dead.toString());
        assertEquals(step, dead.get("sluice.step"), dead.toString());
        assertEquals(topic, dead.get("sluice.source.topic"), dead.toString());
        assertEquals("0", dead.get("sluice.source.partition"), dead.toString());
        assertEquals(String.valueOf(offset), dead.get("sluice.source.offset"), dead.toString());
        assertTrue(dead.containsKey("sluice.timestamp") && dead.containsKey("sluice.message"), dead.toString());
    }

    @Test
    void aKsqlSourceTimeTextThatDoesNotMatchItsFormatAndASinkRowWithoutTimeAreCountedAndDeadLettered() throws Exception {
        String sql = "CREATE STREAM text_in (k VARCHAR KEY, n INT, at VARCHAR) WITH (kafka_topic='text-in', "
                + "value_format='JSON', timestamp='at', timestamp_format='dd/MM/yyyy HH:mm:ss');\n"
                + "CREATE STREAM text_out WITH (kafka_topic='text-out', timestamp='at', timestamp_format='dd/MM/yyyy HH:mm:ss') AS "
                + "SELECT k, n, CASE WHEN n > 1 THEN at END AS at FROM text_in;\n";
        long source = count("TEXT_IN", "timestamp-text", DropReason.NO_TIME);
        long sink = count("text_out", "sink-timestamp", DropReason.NO_TIME);
        Outcome o = run(sql, List.of("text-out"), d -> {
            var in = input(d, "text-in");
            in.pipeInput("a", "{\"n\":2,\"at\":\"15/01/2024 10:00:00\"}");
            in.pipeInput("b", "{\"n\":2,\"at\":\"yesterday\"}"); // no time for the source
            in.pipeInput("c", "{\"n\":1,\"at\":\"15/01/2024 10:00:05\"}"); // the sink's column is NULL
        });
        assertEquals(1, count("TEXT_IN", "timestamp-text", DropReason.NO_TIME) - source, o.deadLetters().toString());
        assertEquals(1, count("text_out", "sink-timestamp", DropReason.NO_TIME) - sink, o.deadLetters().toString());
        assertEquals(2, o.deadLetters().size(), o.deadLetters().toString());
        assertDeadLetter(o.deadLetters().get(0), DropReason.NO_TIME, "TEXT_IN", "timestamp-text", "text-in", 1);
        assertDeadLetter(o.deadLetters().get(1), DropReason.NO_TIME, "text_out", "sink-timestamp", "text-in", 2);
        assertEquals(1, o.out("text-out").size(), o.out("text-out").toString());
    }

    @Test
    void aLateRecordForATumblingWindowIsCountedAndDeadLettered() throws Exception {
        String sql = events("tumble_in", "tumble-in", "0") + "CREATE STREAM tumble_counts WITH ('topic' = 'tumble-out') AS "
                + "SELECT user_id, COUNT(*) AS n FROM tumble_in GROUP BY user_id, TUMBLE(ts, INTERVAL '1' MINUTE);\n";
        long before = count("tumble_counts", "aggregate-late-guard", DropReason.LATE);
        Outcome o = run(sql, List.of("tumble-out"), d -> {
            var in = input(d, "tumble-in");
            in.pipeInput("k", event("a", "u1", 1L, "10:00:10"));
            in.pipeInput("k", event("b", "u1", 1L, "10:02:10")); // closes [10:00, 10:01)
            in.pipeInput("k", event("late", "u1", 1L, "10:00:20"));
        });
        assertEquals(1, count("tumble_counts", "aggregate-late-guard", DropReason.LATE) - before);
        assertEquals(1, o.deadLetters().size(), o.deadLetters().toString());
        assertDeadLetter(o.deadLetters().get(0), DropReason.LATE, "tumble_counts", "aggregate-late-guard",
                "drops-test-tumble_counts-groupby-repartition", 2); // the record as this sub-topology read it
        assertEquals(List.of("{\"user_id\":\"u1\",\"n\":1}"), o.out("tumble-out"), "the late record counts in no window");
    }

    @Test
    void aLateRecordForAHoppingWindowIsCountedAndDeadLettered() throws Exception {
        String sql = events("hop_in", "hop-in", "0") + "CREATE STREAM hop_counts WITH ('topic' = 'hop-out') AS "
                + "SELECT user_id, COUNT(*) AS n FROM hop_in "
                + "GROUP BY user_id, HOP(ts, INTERVAL '1' MINUTE, INTERVAL '2' MINUTE);\n";
        long before = count("hop_counts", "aggregate-late-guard", DropReason.LATE);
        Outcome o = run(sql, List.of("hop-out"), d -> {
            var in = input(d, "hop-in");
            in.pipeInput("k", event("a", "u1", 1L, "10:00:10"));
            in.pipeInput("k", event("b", "u1", 1L, "10:05:10"));
            in.pipeInput("k", event("late", "u1", 1L, "10:00:20"));
        });
        assertEquals(1, count("hop_counts", "aggregate-late-guard", DropReason.LATE) - before);
        assertEquals(1, o.deadLetters().size(), o.deadLetters().toString());
        assertDeadLetter(o.deadLetters().get(0), DropReason.LATE, "hop_counts", "aggregate-late-guard",
                "drops-test-hop_counts-groupby-repartition", 2);
    }

    @Test
    void aLateSessionRecordIsCountedAndDeadLetteredButOneThatStillMergesIntoAnOpenSessionIsNot() throws Exception {
        String sql = events("sess_in", "sess-in", "0") + "CREATE STREAM sessions WITH ('topic' = 'sess-out') AS "
                + "SELECT user_id, COUNT(*) AS n FROM sess_in GROUP BY user_id, SESSION(ts, INTERVAL '1' MINUTE);\n";
        long before = count("sessions", "aggregate-late-guard", DropReason.LATE);
        Outcome o = run(sql, List.of("sess-out"), d -> {
            var in = input(d, "sess-in");
            in.pipeInput("k", event("a", "u1", 1L, "10:00:00"));
            in.pipeInput("k", event("b", "u1", 1L, "10:05:00")); // closes the session of a
            in.pipeInput("k", event("late", "u1", 1L, "10:00:30")); // would have joined a's session: late
            in.pipeInput("k", event("c", "u1", 1L, "10:05:50"));
            // older than stream time minus the gap, yet it merges into b..c's open session: not late
            in.pipeInput("k", event("d", "u1", 1L, "10:04:30"));
            in.pipeInput("k", event("e", "u2", 1L, "10:20:00")); // closes b..d
        });
        assertEquals(1, count("sessions", "aggregate-late-guard", DropReason.LATE) - before);
        assertEquals(1, o.deadLetters().size(), o.deadLetters().toString());
        assertDeadLetter(o.deadLetters().get(0), DropReason.LATE, "sessions", "aggregate-late-guard",
                "drops-test-sessions-groupby-repartition", 2);
        assertEquals(List.of("{\"user_id\":\"u1\",\"n\":1}", "{\"user_id\":\"u1\",\"n\":3}"), o.out("sess-out"),
                "the session of b, c and the out-of-order d has three rows");
    }

    @Test
    void aRecordArrivingAfterItsIntervalJoinWindowClosedIsCountedAndDeadLetteredNotJoined() throws Exception {
        String sql = events("orders", "ij-orders", "0") + events("pays", "ij-pays", "0")
                + "CREATE STREAM paid WITH ('topic' = 'ij-out') AS SELECT o.id AS oid, p.id AS pid "
                + "FROM orders o JOIN pays p ON o.user_id = p.user_id "
                + "AND p.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;\n";
        long before = count("paid", "join-p-right-late-guard", DropReason.LATE);
        Outcome o = run(sql, List.of("ij-out"), d -> {
            var orders = input(d, "ij-orders");
            var pays = input(d, "ij-pays");
            orders.pipeInput("k", event("a", "u1", 1L, "10:00:00"));
            pays.pipeInput("k", event("x", "u1", 1L, "10:00:30"));
            orders.pipeInput("k", event("b", "u1", 1L, "10:04:00"));
            pays.pipeInput("k", event("y", "u1", 1L, "10:05:00")); // stream time 10:05
            // b (10:04) is still stored and within a minute of it, but a payment's window closes at its
            // own time (grace 0): Kafka Streams alone would still pair it with b
            pays.pipeInput("k", event("late", "u1", 1L, "10:04:50"));
            // an order's window reaches a minute after it: 10:04:30 is still open at 10:05
            orders.pipeInput("k", event("c", "u1", 1L, "10:04:30"));
        });
        assertEquals(List.of("{\"oid\":\"a\",\"pid\":\"x\"}", "{\"oid\":\"b\",\"pid\":\"y\"}",
                "{\"oid\":\"c\",\"pid\":\"y\"}"), o.out("ij-out"), "the late payment is joined with nothing");
        assertEquals(1, count("paid", "join-p-right-late-guard", DropReason.LATE) - before);
        assertEquals(1, o.deadLetters().size(), o.deadLetters().toString());
        assertDeadLetter(o.deadLetters().get(0), DropReason.LATE, "paid", "join-p-right-late-guard",
                "drops-test-paid-p-rekey-repartition", 2);
        assertTrue(o.deadLetters().get(0).get("sluice.message").contains("join window closed"), o.deadLetters().toString());
    }

    @Test
    void aNullJoinKeyOnAnInnerJoinIsCountedAndDeadLettered() throws Exception {
        String sql = events("clicks", "clicks", "")
                + "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, name VARCHAR) WITH ('topic' = 'users', 'format' = 'json');\n"
                + "CREATE STREAM named WITH ('topic' = 'named-out') AS "
                + "SELECT c.id, u.name FROM clicks c JOIN users u ON c.user_id = u.user_id;\n";
        Outcome o = run(sql, List.of("named-out"), d -> {
            input(d, "users").pipeInput("{\"user_id\":\"u1\"}", "{\"user_id\":\"u1\",\"name\":\"Ann\"}");
            var in = input(d, "clicks");
            in.pipeInput("k", event("a", "u1", 1L, "10:00:00"));
            in.pipeInput("k", event("nokey", null, 1L, "10:00:01"));
        });
        assertEquals(List.of("{\"id\":\"a\",\"name\":\"Ann\"}"), o.out("named-out"));
        assertEquals(1, o.deadLetters().size(), o.deadLetters().toString());
        Map<String, String> dead = o.deadLetters().get(0);
        assertEquals("null_key", dead.get("sluice.reason"), dead.toString());
        assertEquals("named", dead.get("sluice.query"), dead.toString());
        assertEquals("1", dead.get("sluice.source.offset"), dead.toString());
        assertEquals(1, count("named", dead.get("sluice.step"), DropReason.NULL_KEY));
    }

    @Test
    void aCheckViolationIsCountedAndDeadLetteredWithItsReason() throws Exception {
        String sql = events("checked", "checked", "") + "ALTER STREAM checked ADD CONSTRAINT positive CHECK (amount > 0);\n"
                + "CREATE STREAM kept WITH ('topic' = 'kept-out') AS SELECT id FROM checked;\n";
        Outcome o = run(sql, List.of("kept-out"), d -> {
            var in = input(d, "checked");
            in.pipeInput("k", event("a", "u1", 1L, "10:00:00"));
            in.pipeInput("k", event("b", "u1", -1L, "10:00:01"));
        });
        assertEquals(List.of("{\"id\":\"a\"}"), o.out("kept-out"));
        assertEquals(1, o.deadLetters().size(), o.deadLetters().toString());
        Map<String, String> dead = o.deadLetters().get(0);
        assertEquals("check_violation", dead.get("sluice.reason"), dead.toString());
        assertTrue(dead.get("sluice.message").contains("positive"), dead.toString());
        assertEquals(1, count(dead.get("sluice.query"), dead.get("sluice.step"), DropReason.CHECK_VIOLATION));
    }

    @Test
    void unreadableBytesAreCountedUnderTheirSourceAndDeadLetteredAsTheyWereRead() throws Exception {
        String sql = events("raw_in", "raw-in", "") + "CREATE STREAM raw_ids WITH ('topic' = 'raw-out') AS SELECT id FROM raw_in;\n";
        long before = count("raw_in", "source", DropReason.BAD_BYTES);
        Outcome o = run(sql, List.of("raw-out"), d -> {
            var in = input(d, "raw-in");
            in.pipeInput("k", "{not json");
            in.pipeInput("k", event("a", "u1", 1L, "10:00:00"));
        });
        assertEquals(List.of("{\"id\":\"a\"}"), o.out("raw-out"));
        assertEquals(1, count("raw_in", "source", DropReason.BAD_BYTES) - before);
        assertDeadLetter(o.deadLetters().get(0), DropReason.BAD_BYTES, "raw_in", "source", "raw-in", 0);
        assertEquals("{not json", o.deadLetters().get(0).get("value"));
    }

    @Test
    void aFailingExpressionIsCountedAndDeadLettered() throws Exception {
        String sql = events("div_in", "div-in", "") + "CREATE STREAM ratios WITH ('topic' = 'div-out') AS "
                + "SELECT id, 100 / amount AS r FROM div_in;\n";
        long before = count("ratios", "select", DropReason.EXPRESSION_ERROR);
        Outcome o = run(sql, List.of("div-out"), d -> {
            var in = input(d, "div-in");
            in.pipeInput("k", event("zero", "u1", 0L, "10:00:00"));
            in.pipeInput("k", event("a", "u1", 4L, "10:00:01"));
        });
        assertEquals(List.of("{\"id\":\"a\",\"r\":25}"), o.out("div-out"));
        assertEquals(1, count("ratios", "select", DropReason.EXPRESSION_ERROR) - before);
        assertDeadLetter(o.deadLetters().get(0), DropReason.EXPRESSION_ERROR, "ratios", "select", "div-in", 0);
    }

    @Test
    void aUdfErrorIsCountedAndDeadLetteredAsSuch() throws Exception {
        String sql = "CREATE FUNCTION checked_amount AS '" + ThrowingUdf.class.getName() + "';\n"
                + events("udf_in", "udf-in", "") + "CREATE STREAM udf_out WITH ('topic' = 'udf-out') AS "
                + "SELECT id, checked_amount(amount) AS a FROM udf_in;\n";
        long before = count("udf_out", "select", DropReason.UDF_ERROR);
        Outcome o = run(sql, List.of("udf-out"), d -> {
            var in = input(d, "udf-in");
            in.pipeInput("k", event("neg", "u1", -5L, "10:00:00"));
            in.pipeInput("k", event("a", "u1", 5L, "10:00:01"));
        });
        assertEquals(List.of("{\"id\":\"a\",\"a\":5}"), o.out("udf-out"));
        assertEquals(1, count("udf_out", "select", DropReason.UDF_ERROR) - before);
        assertDeadLetter(o.deadLetters().get(0), DropReason.UDF_ERROR, "udf_out", "select", "udf-in", 0);
        assertTrue(o.deadLetters().get(0).get("sluice.message").contains("negative input -5"), o.deadLetters().toString());
    }

    @Test
    void lagReturnsNullValuesAsValuesAndATombstoneIsCountedNotSkipped() throws Exception {
        String sql = events("lag_in", "lag-in", "") + "CREATE STREAM lagged WITH ('topic' = 'lag-out') AS "
                + "SELECT id, LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) AS prev FROM lag_in;\n";
        Outcome o = run(sql, List.of("lag-out"), d -> {
            var in = input(d, "lag-in");
            in.pipeInput("k", event("a", "u1", null, "10:00:00"));
            in.pipeInput("k", event("b", "u1", 2L, "10:00:01"));
            in.pipeInput("k", event("c", "u1", 3L, "10:00:02"));
        });
        // as Flink: a NULL value is a value, so b's previous amount is NULL and c's is 2
        assertEquals(List.of("{\"id\":\"a\",\"prev\":null}", "{\"id\":\"b\",\"prev\":null}",
                "{\"id\":\"c\",\"prev\":2}"), o.out("lag-out"));
        assertEquals(List.of(), o.deadLetters());
    }

    @Test
    void aNullGroupKeyIsAGroupAsInFlinkNotADrop() throws Exception {
        String sql = events("grp_in", "grp-in", "") + "CREATE TABLE per_user WITH ('topic' = 'grp-out') AS "
                + "SELECT user_id, COUNT(*) AS n FROM grp_in GROUP BY user_id;\n";
        Outcome o = run(sql, List.of("grp-out"), d -> {
            var in = input(d, "grp-in");
            in.pipeInput("k", event("a", null, 1L, "10:00:00"));
            in.pipeInput("k", event("b", null, 1L, "10:00:01"));
        });
        assertEquals(List.of("{\"user_id\":null,\"n\":1}", "{\"user_id\":null,\"n\":2}"), o.out("grp-out"));
        assertEquals(List.of(), o.deadLetters());
    }
}
