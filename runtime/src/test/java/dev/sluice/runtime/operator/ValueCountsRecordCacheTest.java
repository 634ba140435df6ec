package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ValueCounts} over its production store with the record cache on, as {@code sluice run}
 * runs it: between two commits the store's writes sit in Kafka Streams' record cache (deletions as
 * cache tombstones) and a MIN/MAX seek merges the cache with RocksDB. TopologyTestDriver commits
 * (flushes the cache) after every input record, so each input record here is one batch of count
 * changes applied between two commits; after every change, each call's extreme is compared with a
 * plain in-memory multiset's.
 *
 * <p>The calls: MIN(n) and MAX(n) over BIGINT, then MAX(s) and MIN(s) over VARCHAR: an empty
 * VARCHAR of call 3 is a key equal to the bound of call 2's range scan.
 */
class ValueCountsRecordCacheTest {
    private static final SqlType[] TYPES = {ScalarType.BIGINT, ScalarType.BIGINT, ScalarType.VARCHAR,
            ScalarType.VARCHAR};
    private static final String[] FUNCTIONS = {"MIN", "MAX", "MAX", "MIN"};
    /** Kafka Streams' default record cache, as sluice run's. */
    private static final long TEN_MB = 10 * 1024 * 1024;
    /** A record cache of a few entries: the least recently used keys are evicted to RocksDB. */
    private static final long SMALL = 100;

    /** One count change: {@code delta} (1 or -1) to the count of {@code value} in call {@code call} of {@code group}. */
    private record Change(String group, int call, Object value, int delta) {
    }

    private static Change add(String group, int call, Object value) {
        return new Change(group, call, value, 1);
    }

    private static Change remove(String group, int call, Object value) {
        return new Change(group, call, value, -1);
    }

    private static Aggregation aggregation() {
        List<AggregateCall> calls = new ArrayList<>();
        for (int i = 0; i < FUNCTIONS.length; i++) {
            calls.add(new AggregateCall(FUNCTIONS[i], List.of(new Expr.InputRef(i / 2, TYPES[i])), false,
                    Optional.empty(), List.of(), TYPES[i]));
        }
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return Aggregation.overChangelogWithValueStore(calls, -1, functions, new ExprCompiler(functions));
    }

    /**
     * Applies each batch between two commits and returns, per change, every call's extreme in the
     * group as the store answers it, then as a multiset answers it (the two lists must be equal).
     */
    private static List<List<String>> run(List<List<Change>> batches, long cacheBytes) throws IOException {
        Aggregation aggregation = aggregation();
        List<String> stored = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        Map<String, TreeMap<Comparable<Object>, Integer>> model = new HashMap<>();
        Topology topology = new Topology();
        topology.addSource("batches", Serdes.Integer().deserializer(), Serdes.Integer().deserializer(), "batches");
        topology.addProcessor("q-apply", () -> new Processor<Integer, Integer, Void, Void>() {
            private ValueCounts values;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                KeyValueStore<Bytes, byte[]> store = context.getStateStore(ValueCounts.storeName("q"));
                values = new ValueCounts(store, aggregation);
            }

            @Override
            @SuppressWarnings("unchecked")
            public void process(Record<Integer, Integer> record) {
                for (Change c : batches.get(record.value())) {
                    values.group(c.group().getBytes(StandardCharsets.UTF_8));
                    values.count(c.call(), new Object[] {c.value()}, c.delta());
                    TreeMap<Comparable<Object>, Integer> counts = model.computeIfAbsent(c.group() + "/" + c.call(),
                            k -> new TreeMap<>());
                    counts.merge((Comparable<Object>) c.value(), c.delta(), (a, b) -> a + b == 0 ? null : a + b);
                    for (int call = 0; call < FUNCTIONS.length; call++) {
                        boolean max = aggregation.isMax(call);
                        TreeMap<Comparable<Object>, Integer> m = model.getOrDefault(c.group() + "/" + call,
                                new TreeMap<>());
                        String at = "batch " + record.value() + " after " + c + ": " + FUNCTIONS[call] + " of call "
                                + call + " = ";
                        stored.add(at + values.extreme(call, max));
                        expected.add(at + (m.isEmpty() ? null : max ? m.lastKey() : m.firstKey()));
                    }
                }
            }
        }, "batches");
        // the production store, with the record cache on (as sluice run's defaults set it)
        topology.addStateStore(ValueCounts.store("q", StateBackend.ROCKSDB).withCachingEnabled(), "q-apply");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "value-counts-cache-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(cacheBytes));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("value-counts-cache").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<Integer, Integer> in = driver.createInputTopic("batches", new IntegerSerializer(),
                    new IntegerSerializer());
            for (int b = 0; b < batches.size(); b++) {
                in.pipeInput(b, b);
            }
        }
        return List.of(stored, expected);
    }

    /** Every extreme as the multiset's; a failure names the first change after which they differ. */
    private static void assertSameExtremes(List<List<Change>> batches, long cacheBytes) throws IOException {
        List<List<String>> both = run(batches, cacheBytes);
        List<String> stored = both.get(0);
        List<String> expected = both.get(1);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), stored.get(i), "with a record cache of " + cacheBytes + " bytes");
        }
    }

    /**
     * agg_dedup_then_aggregate on a real broker: a user's row with the group's largest latency
     * came and went within one commit, so the value's key was put and deleted in the record cache
     * and never reached RocksDB. The cache's tombstone sorts after every key RocksDB holds for the
     * group, and Kafka Streams 4.3's merged reverse iterator returned it (with a null value) instead
     * of skipping it: MAX stayed 2325 instead of falling back to 1000.
     */
    @Test
    void maxFallsBackWhenItsValueCameAndWentWithinOneCommit() throws IOException {
        List<List<Change>> batches = List.of(
                List.of(add("gpt-4", 1, 1000L)),
                List.of(add("gpt-4", 1, 2325L), remove("gpt-4", 1, 2325L)));
        List<String> stored = run(batches, TEN_MB).get(0);
        assertEquals("batch 1 after " + remove("gpt-4", 1, 2325L) + ": MAX of call 1 = 1000",
                stored.get(stored.size() - 3));
        assertSameExtremes(batches, TEN_MB);
    }

    @Test
    void minFallsBackWhenItsValueCameAndWentWithinOneCommit() throws IOException {
        assertSameExtremes(List.of(
                List.of(add("g", 0, 1000L)),
                List.of(add("g", 0, 5L), remove("g", 0, 5L))), TEN_MB);
    }

    /**
     * The other half of the same defect: a cache tombstone that sorts before RocksDB's next key in a
     * reverse scan is dropped, and RocksDB's stale copy of the deleted key comes back later in the
     * scan. It shows when the scan's first key is not the call's own: an empty VARCHAR of the next
     * call is the key the range ends at.
     */
    @Test
    void aValueDeletedWithinTheCommitIsNotFoundAgainByTheMaxScan() throws IOException {
        assertSameExtremes(List.of(
                List.of(add("g", 2, "a"), add("g", 2, "b"), add("g", 3, "")),
                List.of(remove("g", 2, "b"), remove("g", 2, "a"))), SMALL);
    }

    @Test
    void randomBatchesOfAddsAndRetractionsGiveTheMultisetsExtremes() throws IOException {
        Random random = new Random(17);
        Map<String, List<Object>> live = new HashMap<>();
        List<List<Change>> batches = new ArrayList<>();
        for (int b = 0; b < 60; b++) {
            List<Change> batch = new ArrayList<>();
            for (int n = random.nextInt(12); n >= 0; n--) {
                String group = "g" + random.nextInt(3);
                int call = random.nextInt(FUNCTIONS.length);
                List<Object> held = live.computeIfAbsent(group + "/" + call, k -> new ArrayList<>());
                if (!held.isEmpty() && random.nextInt(5) < 2) {
                    batch.add(remove(group, call, held.remove(random.nextInt(held.size()))));
                } else {
                    Object value = call < 2 ? (Object) (long) (random.nextInt(20) - 10)
                            : "abc".substring(0, random.nextInt(4));
                    held.add(value);
                    batch.add(add(group, call, value));
                }
            }
            batches.add(batch);
        }
        for (long cacheBytes : new long[] {TEN_MB, SMALL, 300, 1_000}) {
            assertSameExtremes(batches, cacheBytes);
        }
    }
}
