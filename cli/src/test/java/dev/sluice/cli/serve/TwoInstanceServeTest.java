package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.cli.it.KafkaBrokerExtension;
import dev.sluice.cli.run.StreamsProperties;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application on a real broker, each with its query API: a key owned by the
 * other instance is read from it, a scan gathers both, a push query sees an update, and when one
 * instance crashes the other answers from its standby replicas (marked stale) while the group still
 * names the crashed one the owner, then from its own active tasks after the rebalance.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TwoInstanceServeTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    private static String sql(String app) {
        return "CREATE STREAM clicks (user_id VARCHAR, page VARCHAR) WITH ('topic' = '" + app + "-in', 'format' = 'json');\n"
                + "CREATE TABLE counts WITH ('topic' = '" + app + "-counts', 'format' = 'json') AS\n"
                + "SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;\n";
    }

    private record Instance(KafkaStreams streams, ServeServer api) {
    }

    private Instance start(EmbeddedKafkaBroker broker, String app, Path state) {
        String text = sql(app);
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(text, app, BuildOptions.PRODUCTION);
        Map<String, String> settings = new LinkedHashMap<>(script.settings());
        settings.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // a vanished member keeps its partitions this long: the window in which only a standby can answer
        settings.put("consumer.session.timeout.ms", "10000");
        settings.put("consumer.heartbeat.interval.ms", "1000");
        Properties props = StreamsProperties.build(script.applicationId(), settings, broker.bootstrapServers(), state);
        ServeServer api = ServeServer.bind(ServeOptions.local(0), text, script, props);
        KafkaStreams streams = new KafkaStreams(script.topology(), props);
        api.start(streams);
        streams.start();
        open.add(api);
        open.add(() -> streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(20))));
        return new Instance(streams, api);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void keyLookupIsAnsweredByTheOwnerScanGathersBothInstancesAndStandbysAnswerWhileTheOwnerIsGone(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("serve-two");
        broker.createTopic(app + "-in", 4);
        broker.createTopic(app + "-counts", 4);
        Instance a = start(broker, app, dir.resolve("a"));
        Instance b = start(broker, app, dir.resolve("b"));
        waitUntil(() -> a.streams().state() == KafkaStreams.State.RUNNING && b.streams().state() == KafkaStreams.State.RUNNING
                && owned(a, app) == 2 && owned(b, app) == 2, "a 2/2 split of the counts partitions");

        Map<String, Long> expected = new LinkedHashMap<>();
        List<String[]> clicks = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            for (int c = 0; c <= u % 3; c++) {
                clicks.add(new String[]{"u" + u, "/p" + c});
                expected.merge("u" + u, 1L, Long::sum);
            }
        }
        produce(broker, app + "-in", clicks);
        waitUntil(() -> scanCount(a.api().port()) == 12, "12 users in the served table");

        // a scan asked of either instance gathers the partitions of both
        long peerReadsBefore = b.api().peerReads();
        ServeClient.Answer all = ServeClient.query(a.api().port(), "SELECT user_id, n FROM counts ORDER BY user_id", Map.of());
        assertEquals(200, all.status(), String.valueOf(all.body()));
        assertEquals(List.of("user_id", "n"), all.columns());
        Map<String, Long> got = new LinkedHashMap<>();
        all.rows().forEach(r -> got.put((String) r.get(0), ((Number) r.get(1)).longValue()));
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(got));
        assertTrue(b.api().peerReads() > peerReadsBefore, "a read b's partitions over HTTP");

        // a key owned by b, asked of a: one read of b, no scan
        String remoteKey = null;
        for (String user : expected.keySet()) {
            KeyQueryMetadata meta = a.streams().queryMetadataForKey("counts-serve-store", keyBytes(app, user), new ByteArraySerializer());
            if (meta.activeHost().port() == b.api().port()) {
                remoteKey = user;
                break;
            }
        }
        assertNotNull(remoteKey, "some key lives on b");
        long bBefore = b.api().peerReads();
        long aBefore = a.api().peerReads();
        ServeClient.Answer one = ServeClient.query(a.api().port(), "SELECT user_id, n FROM counts WHERE user_id = :u",
                Map.of("u", remoteKey));
        assertEquals(List.of(List.of(remoteKey, expected.get(remoteKey))), one.rows().stream()
                .map(r -> List.<Object>of(r.get(0), ((Number) r.get(1)).longValue())).toList());
        assertEquals(bBefore + 1, b.api().peerReads(), "exactly one request to the owner");
        assertEquals(aBefore, a.api().peerReads());

        // a push query sees the next update of a key
        try (ServeClient.Push push = new ServeClient.Push(a.api().port(), "SELECT user_id, n FROM counts WHERE user_id = 'u4' EMIT CHANGES")) {
            JsonNode header = push.lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(header, "the push query's header");
            assertEquals("[\"user_id\",\"n\"]", header.get("columnNames").toString());
            produce(broker, app + "-in", List.<String[]>of(new String[]{"u4", "/new"}, new String[]{"u5", "/new"}));
            JsonNode row = push.lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(row, "an update within a minute");
            assertEquals("[\"u4\"," + (expected.get("u4") + 1) + "]", row.toString());
            expected.merge("u4", 1L, Long::sum);
            expected.merge("u5", 1L, Long::sum);
        }

        // b crashes: its API and its client stop without leaving the group, which still names b the owner
        // of its partitions until the session times out. a answers from its standby replicas meanwhile.
        waitUntil(() -> scanSum(a.api().port()) == expected.values().stream().mapToLong(Long::longValue).sum(), "the update served");
        Set<Integer> onB = partitions(b, app);
        assertEquals(2, onB.size());
        waitUntil(() -> standbyMirrorsActive(a, b, onB), "a's standby replicas of b's partitions caught up");
        b.api().close();
        b.streams().close(Duration.ofSeconds(20)); // no LEAVE_GROUP: a crash as the group sees it
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        ServeClient.Answer fromStandby = ServeClient.query(a.api().port(), "SELECT SUM(n) AS total, COUNT(*) AS users FROM counts", Map.of());
        assertEquals(owners(a, app).get(b.api().port()), onB, "answered while the group still names b, now gone, the owner");
        assertEquals(200, fromStandby.status(), String.valueOf(fromStandby.body()));
        assertEquals(List.of(total, 12L), fromStandby.rows().get(0).stream().map(v -> ((Number) v).longValue()).toList());
        JsonNode header = fromStandby.body().get(0);
        assertTrue(header.path("stale").asBoolean(), "marked as read from standbys: " + header);
        assertEquals(2, header.get("fromStandby").size(), header.toString());
        String bKey = expected.keySet().stream().filter(u -> onB.contains(partitionOf(a, app, u))).findFirst().orElseThrow();
        ServeClient.Answer keyFromStandby = ServeClient.query(a.api().port(), "SELECT n FROM counts WHERE user_id = :u",
                Map.of("u", bKey));
        assertEquals(List.of(List.of(expected.get(bKey))), keyFromStandby.rows().stream()
                .map(r -> List.<Object>of(((Number) r.get(0)).longValue())).toList());
        assertTrue(keyFromStandby.body().get(0).path("stale").asBoolean(), "a key of b's, from a's standby");

        // the session times out, the group rebalances, a takes every partition over; every answer complete
        int answers = 0;
        boolean sawRebalance = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !(owned(a, app) == 4 && a.streams().state() == KafkaStreams.State.RUNNING)) {
            sawRebalance |= a.streams().state() == KafkaStreams.State.REBALANCING;
            ServeClient.Answer during = ServeClient.query(a.api().port(), "SELECT SUM(n) AS total, COUNT(*) AS users FROM counts", Map.of());
            assertEquals(200, during.status(), "answered while b is gone: " + during.body());
            assertEquals(List.of(total, 12L), during.rows().get(0).stream().map(v -> ((Number) v).longValue()).toList());
            answers++;
        }
        assertEquals(4, owned(a, app), "a owns every partition after the rebalance");
        ServeClient.Answer after = ServeClient.query(a.api().port(), "SELECT SUM(n) AS total FROM counts", Map.of());
        assertEquals(total, ((Number) after.rows().get(0).get(0)).longValue());
        assertTrue(!after.body().get(0).has("stale"), "all active again: " + after.body().get(0));
        System.out.println("answers while b was gone: " + (answers + 2) + ", saw REBALANCING: " + sawRebalance);
    }

    private static Set<Integer> partitions(Instance i, String app) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (var t : i.streams().metadataForLocalThreads()) {
            for (var task : t.activeTasks()) {
                task.topicPartitions().stream().filter(tp -> tp.topic().equals(app + "-counts")).forEach(tp -> out.add(tp.partition()));
            }
        }
        return out;
    }

    /** Who the group says owns which partitions of the served store, by API port, as a knows it. */
    private static Map<Integer, Set<Integer>> owners(Instance a, String app) {
        Map<Integer, Set<Integer>> out = new LinkedHashMap<>();
        for (var m : a.streams().streamsMetadataForStore("counts-serve-store")) {
            m.topicPartitions().stream().filter(tp -> tp.topic().equals(app + "-counts"))
                    .forEach(tp -> out.computeIfAbsent(m.hostInfo().port(), p -> new java.util.TreeSet<>()).add(tp.partition()));
        }
        return out;
    }

    private static int partitionOf(Instance a, String app, String user) {
        return a.streams().queryMetadataForKey("counts-serve-store", keyBytes(app, user), new ByteArraySerializer()).partition();
    }

    /** Whether a's standby copy of b's partitions holds exactly what b's active stores hold. */
    private static boolean standbyMirrorsActive(Instance a, Instance b, Set<Integer> onB) {
        try {
            return contents(StoreReads.local(a.streams(), "counts-serve-store", onB, null, true))
                    .equals(contents(StoreReads.local(b.streams(), "counts-serve-store", onB, null, false)));
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static Map<String, String> contents(List<StoreReads.Entry> entries) {
        Map<String, String> out = new java.util.TreeMap<>();
        entries.forEach(e -> out.put(new String(e.key(), java.nio.charset.StandardCharsets.UTF_8),
                new String(e.value(), java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    private static int owned(Instance i, String app) {
        int n = 0;
        for (var t : i.streams().metadataForLocalThreads()) {
            for (var task : t.activeTasks()) {
                n += (int) task.topicPartitions().stream().filter(tp -> tp.topic().equals(app + "-counts")).count();
            }
        }
        return n;
    }

    private static byte[] keyBytes(String app, String user) {
        var format = new dev.sluice.runtime.plan.FormatSpec(app + "-counts", Map.of("format", "json"));
        var keySchema = new dev.sluice.serdes.row.Schema(List.of(new dev.sluice.serdes.row.Column("user_id",
                dev.sluice.serdes.row.ScalarType.VARCHAR)));
        return new FormatSerdeFactory().key(keySchema, format).serializer().serialize(app + "-counts", Row.of(user));
    }

    private static long scanCount(int port) {
        try {
            return ServeClient.query(port, "SELECT user_id FROM counts", Map.of()).rows().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long scanSum(int port) {
        try {
            return ServeClient.query(port, "SELECT user_id, n FROM counts", Map.of()).rows().stream()
                    .mapToLong(r -> ((Number) r.get(1)).longValue()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, List<String[]> clicks) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String[] c : clicks) {
                producer.send(new ProducerRecord<>(topic, null, "{\"user_id\":\"" + c[0] + "\",\"page\":\"" + c[1] + "\"}")).get();
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
