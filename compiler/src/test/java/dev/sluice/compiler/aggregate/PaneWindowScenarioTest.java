package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.optimizer.StateResources;
import dev.sluice.compiler.optimizer.UpgradeCheck;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sluice's own TUMBLE/HOP EMIT FINAL operator ({@code PaneWindowAggregate}) against an in-memory
 * model of what Kafka Streams' window aggregate and suppress buffer emitted: random keys (one a
 * prefix of another, so the order of the key bytes matters), times in and out of order, late
 * records, restarts from the changelog, record cache on and off, several size/slide pairs. The
 * ordered rows and their timestamps must be equal, and once a far-future record closed every
 * window, the store holds only its stream time and that record's pane.
 */
class PaneWindowScenarioTest {
    private static final long BASE = 3_600_000;
    /** The watermark's two minutes less 1 ms: Flink's rule in Kafka Streams' terms. */
    private static final long GRACE = 119_999;
    private static final String STREAM = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String CALLS = "COUNT(*) AS n, COUNT(v) AS nv, SUM(v) AS s, MIN(v) AS mn, MAX(v) AS mx, "
            + "AVG(v) AS av, COUNT(*) FILTER (WHERE v > 5) AS big";
    private static final Map<String, String> CACHE_ON = Map.of("statestore.cache.max.bytes", "10485760");
    private static final Map<String, String> SKIP_LATE = Map.of("processing.exception.handler",
            "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler");
    private static final String[] KEYS = {"a", "ab", "b", "c", "abc", "d"};
    private static final BinaryRowSerde KEY_SERDE = new BinaryRowSerde(new Schema(List.of(new Column("k", ScalarType.VARCHAR))));

    private static String sql(String window) {
        return STREAM + "CREATE STREAM t AS SELECT k, window_start, window_end, " + CALLS + " FROM TABLE(" + window
                + ") GROUP BY k, window_start, window_end EMIT FINAL";
    }

    private static String tumble(int seconds) {
        return "TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '" + seconds + "' SECOND)";
    }

    private static String hop(int slideSeconds, int sizeSeconds) {
        return "HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '" + slideSeconds + "' SECOND, INTERVAL '" + sizeSeconds + "' SECOND)";
    }

    private record In(String k, Long v, long ts) {
    }

    /** Kafka Streams' windows and suppress buffer, as far as the rows go. */
    private static final class Model {
        final long size;
        final long slide;
        long streamTime = Long.MIN_VALUE;
        int late;
        /** Windows not yet emitted: start -> key -> values (null for a NULL v). */
        final TreeMap<Long, Map<String, List<Long>>> open = new TreeMap<>();
        final List<String> out = new ArrayList<>();

        Model(long size, long slide) {
            this.size = size;
            this.slide = slide;
        }

        void add(In in) {
            if (in.ts > streamTime) {
                streamTime = in.ts;
                emitThrough(streamTime - GRACE);
            }
            long close = streamTime - GRACE;
            if (Math.floorDiv(in.ts, slide) * slide + size <= close) {
                late++;
                return; // the late guard dead-letters it
            }
            for (long start = Math.floorDiv(in.ts, slide) * slide; start > in.ts - size && start >= 0; start -= slide) {
                if (start + size > close) {
                    open.computeIfAbsent(start, x -> new HashMap<>()).computeIfAbsent(in.k, x -> new ArrayList<>()).add(in.v);
                }
            }
        }

        private void emitThrough(long close) {
            while (!open.isEmpty() && open.firstKey() + size <= close) {
                var first = open.pollFirstEntry();
                long start = first.getKey();
                TreeMap<Bytes, String> byBytes = new TreeMap<>();
                first.getValue().forEach((k, values) -> byBytes.put(windowed(k, start), row(k, start, values)));
                out.addAll(byBytes.values());
            }
        }

        private String row(String k, long start, List<Long> values) {
            List<Long> v = values.stream().filter(java.util.Objects::nonNull).toList();
            long sum = v.stream().mapToLong(Long::longValue).sum();
            return k + "|" + start + "|" + (start + size) + "|" + values.size() + "|" + v.size() + "|"
                    + (v.isEmpty() ? "null" : sum) + "|"
                    + (v.isEmpty() ? "null" : v.stream().mapToLong(Long::longValue).min().getAsLong()) + "|"
                    + (v.isEmpty() ? "null" : v.stream().mapToLong(Long::longValue).max().getAsLong()) + "|"
                    + (v.isEmpty() ? "null" : (double) sum / v.size()) + "|"
                    + v.stream().filter(x -> x > 5).count() + " @" + (start + size - 1);
        }
    }

    /** The suppress buffer's key: the group key's bytes, then the window start. */
    private static Bytes windowed(String k, long start) {
        byte[] key = KEY_SERDE.serializer().serialize("t", new Row(new Object[] {k}));
        return Bytes.wrap(ByteBuffer.allocate(key.length + Long.BYTES).put(key).putLong(start).array());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "null" : n.asText();
    }

    /** An output record in the model's form. */
    private static String observed(String record) {
        JsonNode v = ChangelogDriver.valueOf(record);
        String ts = record.substring(record.lastIndexOf(" @"));
        return v.get("k").asText() + "|" + Instant.parse(v.get("window_start").asText()).toEpochMilli() + "|"
                + Instant.parse(v.get("window_end").asText()).toEpochMilli() + "|" + v.get("n").asLong() + "|"
                + v.get("nv").asLong() + "|" + text(v.get("s")) + "|" + text(v.get("mn")) + "|" + text(v.get("mx"))
                + "|" + (v.get("av") == null || v.get("av").isNull() ? "null" : String.valueOf(v.get("av").asDouble()))
                + "|" + v.get("big").asLong() + ts;
    }

    private static void scenario(String window, long size, long slide, boolean cache, long seed) {
        scenario(window, size, slide, cache, seed, BuildOptions.PRODUCTION);
    }

    private static void scenario(String window, long size, long slide, boolean cache, long seed, BuildOptions options) {
        Map<String, String> settings = new HashMap<>(SKIP_LATE);
        if (cache) {
            settings.putAll(CACHE_ON);
        }
        Random r = new Random(seed);
        Model model = new Model(size, slide);
        List<String> got = new ArrayList<>();
        Map<String, List<TestRecord<byte[], byte[]>>> changelogs = new HashMap<>();
        long clock = BASE;
        ChangelogDriver d = new ChangelogDriver(sql(window), options, settings);
        try {
            assertEquals(options.preAggregate(), d.stores().contains("t-aggregate-preaggregate-store"), d.stores().toString());
            assertFalse(d.stores().stream().anyMatch(s -> s.endsWith("-suppress-store")), d.stores().toString());
            for (int i = 0; i < 180; i++) {
                if (i == 60 || i == 130) {
                    // a restart: a new task restores the store from its changelog and carries on
                    got.addAll(d.read());
                    d.changelogs().forEach((store, records) -> changelogs.computeIfAbsent(store, x -> new ArrayList<>())
                            .addAll(records));
                    d.close();
                    d = new ChangelogDriver(sql(window), options, settings);
                    d.restore(changelogs);
                }
                clock += r.nextInt(9) == 0 ? 0 : r.nextInt(12_000);
                long ts = r.nextInt(4) == 0 ? clock - r.nextInt(400_000) : clock;
                In in = new In(KEYS[r.nextInt(KEYS.length)], r.nextInt(7) == 0 ? null : (long) r.nextInt(21) - 5, ts);
                model.add(in);
                d.pipe("s", "{\"k\":\"" + in.k + "\",\"v\":" + in.v + ",\"ts\":" + in.ts + "}", in.ts);
            }
            In last = new In("z", 1L, clock + 86_400_000L);
            model.add(last);
            d.pipe("s", "{\"k\":\"z\",\"v\":1,\"ts\":" + last.ts + "}", last.ts);
            got.addAll(d.read());
            List<String> rows = got.stream().map(PaneWindowScenarioTest::observed).toList();
            String what = window + (cache ? " cache on" : " cache off");
            assertTrue(model.late > 5 && model.out.size() > 40, what + ": late " + model.late + ", rows " + model.out.size());
            assertEquals(model.out, rows, what);
            assertEquals(2, d.entries(d.store("-aggregate-store")),
                    what + ": the stream time and the last record's pane are left");
        } finally {
            d.close();
        }
    }

    @Test
    void tumblingWindowsEmitTheRowsOfTheSuppressBufferInItsOrder() {
        scenario(tumble(60), 60_000, 60_000, false, 1);
        scenario(tumble(60), 60_000, 60_000, true, 2);
    }

    @Test
    void hoppingWindowsMergeTheirPanesIntoTheRowsOfTheSuppressBuffer() {
        scenario(hop(60, 180), 180_000, 60_000, false, 3);
        scenario(hop(120, 180), 180_000, 120_000, true, 5);
        scenario(hop(40, 120), 120_000, 40_000, false, 6);
    }

    /**
     * The same model without the pre-aggregation before the repartition topic (the tests above run
     * with it: TopologyTestDriver commits after each record, so each partial is one record there;
     * PanePreAggregateScenarioTest merges many).
     */
    @Test
    void withoutPreAggregationTheRowsAreTheSame() {
        BuildOptions plain = BuildOptions.PRODUCTION.withoutPreAggregation();
        scenario(tumble(60), 60_000, 60_000, false, 1, plain);
        scenario(hop(40, 120), 120_000, 40_000, true, 6, plain);
    }

    /**
     * The repartition topic carries pane partials (state format 25) where it carried input rows: an
     * application whose topic holds rows cannot resume, nor one of partials without pre-aggregation.
     */
    @Test
    void theRepartitionTopicSaysItCarriesPartials() {
        try (ChangelogDriver with = new ChangelogDriver(sql(hop(60, 180)), SKIP_LATE);
             ChangelogDriver without = new ChangelogDriver(sql(hop(60, 180)), BuildOptions.PRODUCTION.withoutPreAggregation(),
                     SKIP_LATE)) {
            var now = StateResources.of(with.script());
            String topic = now.stream().filter(x -> x.kind() == StateResources.Kind.REPARTITION).findFirst().orElseThrow()
                    .value();
            assertTrue(topic.startsWith("pane partials (state format 25) of accumulators [COUNT"), topic);
            assertFalse(now.stream().anyMatch(x -> x.name().endsWith("-preaggregate-store-changelog")), now.toString());
            var before = StateResources.of(without.script());
            String app = with.script().applicationId();
            for (var pair : List.of(List.of(before, now), List.of(now, before))) {
                UpgradeCheck.Result result = UpgradeCheck.compare(app, pair.get(0), app, pair.get(1));
                String text = String.join("\n", result.explain());
                assertFalse(result.canResume(), text);
                assertTrue(result.changes().stream().anyMatch(c -> c.verdict().blocksResume
                        && c.resource().name().endsWith("-groupby-repartition")), text);
            }
        }
    }

    /** DOUBLE sums round differently when panes are merged: a hopping window keeps Kafka Streams' operator. */
    @Test
    void onlyCallsWhosePanesMergeExactlyUseThePanes() {
        String doubles = STREAM.replace("v BIGINT", "v DOUBLE");
        String hopSum = doubles + "CREATE STREAM t AS SELECT k, window_start, window_end, SUM(v) AS s FROM TABLE("
                + hop(60, 180) + ") GROUP BY k, window_start, window_end EMIT FINAL";
        try (ChangelogDriver d = new ChangelogDriver(hopSum, SKIP_LATE)) {
            assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-suppress-store")), d.stores().toString());
        }
        try (ChangelogDriver d = new ChangelogDriver(hopSum.replace(hop(60, 180), tumble(60)), SKIP_LATE)) {
            assertFalse(d.stores().stream().anyMatch(s -> s.endsWith("-suppress-store")), d.stores().toString());
        }
        String distinct = sql(tumble(60)).replace("COUNT(v) AS nv", "COUNT(DISTINCT v) AS nv");
        try (ChangelogDriver d = new ChangelogDriver(distinct, SKIP_LATE)) {
            assertTrue(d.stores().stream().anyMatch(s -> s.endsWith("-suppress-store")), d.stores().toString());
        }
    }

    /** {@code sluice diff} and the start-up guard see the new store layout: an old application's store is not resumed. */
    @Test
    void theStoreSaysItHoldsPanes() {
        try (ChangelogDriver d = new ChangelogDriver(sql(hop(60, 180)), SKIP_LATE)) {
            String value = StateResources.of(d.script()).stream().filter(x -> x.name().endsWith("-aggregate-store"))
                    .findFirst().orElseThrow().value();
            assertTrue(value.contains("panes per key (state format 24)"), value);
            // the resources an older Sluice listed: Kafka Streams' window store (no note) and the suppress buffer
            var now = StateResources.of(d.script());
            var before = new ArrayList<StateResources.Resource>();
            for (StateResources.Resource r : now) {
                before.add(new StateResources.Resource(r.name(), r.kind(), r.step(), r.queries(), r.key(),
                        r.value().replace(", panes per key (state format 24)", "")));
            }
            before.add(new StateResources.Resource("t-aggregate-suppress-store", StateResources.Kind.STORE,
                    "t-aggregate", List.of("t"), now.get(0).key(), "suppress"));
            String app = d.script().applicationId();
            UpgradeCheck.Result result = UpgradeCheck.compare(app, before, app, now);
            String text = String.join("\n", result.explain());
            assertFalse(result.canResume(), text);
            assertTrue(result.changes().stream().anyMatch(c -> c.verdict() == UpgradeCheck.Verdict.CHANGED_SCHEMA
                    && c.resource().name().equals("t-aggregate-store")), text);
            assertTrue(text.contains("panes per key (state format 24)"), text);
            assertTrue(UpgradeCheck.compare(d.script(), d.script()).canResume());
        }
    }
}
