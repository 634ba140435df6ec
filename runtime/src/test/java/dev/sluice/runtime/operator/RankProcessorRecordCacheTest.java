package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RankProcessor} over its production store ({@link RankProcessor#store}, record cache on),
 * as {@code sluice run} runs it: each input record is a batch of changes applied between two
 * commits (TopologyTestDriver commits after each input record), so a partition's rows are read
 * back from the cache, and with a cache of a few hundred bytes evicted to RocksDB mid-batch.
 * Random changes over three partitions, top 3 by cost descending (ROW_NUMBER, ties in arrival
 * order); after each batch the output changelog, applied to a map keyed by (partition, position),
 * must equal a sorted in-memory model's top 3, and the ordered changelog must be the same with the
 * cache on, tiny, and off, and with the processor's decoded partitions ({@code recentPartitions})
 * kept for all three partitions, for one, and for none.
 */
class RankProcessorRecordCacheTest {
    private static final Schema ROW = new Schema(List.of(new Column("id", ScalarType.VARCHAR),
            new Column("cost", ScalarType.BIGINT)));
    private static final Schema CHANGE = ROW.append(new Column("rank$deleted", ScalarType.BOOLEAN));
    private static final Schema PARTITION = new Schema(List.of(new Column("p", ScalarType.VARCHAR)));
    private static final Schema OUT_KEY = PARTITION.append(new Column("position", ScalarType.BIGINT));
    private static final Schema OUT = ROW.append(new Column("rank", ScalarType.BIGINT));
    private static final Schema STATE = new Schema(List.of(new Column("rows", new ArrayType(new StructType(ROW.columns())))));
    private static final String STORE = "q-rank-store";
    private static final int LIMIT = 3;
    private static final long TEN_MB = 10 * 1024 * 1024;
    private static final long SMALL = 200;
    /** The store without the record cache, for comparison. */
    private static final long OFF = -1;

    /** One change of one partition: a row (id, cost) arriving, or (over a table) the id's row deleted. */
    private record Change(String partition, String id, long cost, boolean deleted) {
    }

    /** What one run saw: the ordered output, and the store's rows per partition at the end. */
    private record Run(List<KeyValue<Row, Row>> changelog, Map<String, Integer> storedRows) {
    }

    private static Run run(List<List<Change>> batches, boolean table, long cacheBytes, int recentPartitions)
            throws Exception {
        SourceStep source = new SourceStep("s", new FormatSpec("t", Map.of()),
                table ? new Schema(List.of(ROW.column(0))) : new Schema(List.of()), ROW, OptionalInt.empty(), false);
        RankStep step = new RankStep("q-rank", source, RankStep.Function.ROW_NUMBER, List.of(),
                List.of(new RankStep.SortKey(1, true, true)), LIMIT, true, OUT_KEY, OUT);
        Ranking ranking = new Ranking(step, table ? new int[]{0} : new int[0]);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(cacheBytes == OFF
                ? Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), new BinaryRowSerde(PARTITION),
                        new BinaryRowSerde(STATE))
                : RankProcessor.store(STORE, new BinaryRowSerde(PARTITION), new BinaryRowSerde(STATE), StateBackend.ROCKSDB));
        builder.stream("batches", Consumed.with(Serdes.Integer(), Serdes.Integer()))
                .flatMap((k, b) -> batches.get(b).stream()
                        .map(c -> KeyValue.pair(Row.of(c.partition()), Row.of(c.id(), c.cost(), c.deleted())))
                        .toList(), Named.as("q-batch"))
                .process(() -> new RankProcessor(ranking, STORE, recentPartitions), Named.as("q-rank"), STORE)
                .to("out", Produced.with(new BinaryRowSerde(OUT_KEY), new BinaryRowSerde(OUT)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rank-cache-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(Math.max(cacheBytes, 0)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("rank-cache").toString());
        List<KeyValue<Row, Row>> changelog = new ArrayList<>();
        Map<String, Integer> storedRows = new TreeMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<Integer, Integer> in = driver.createInputTopic("batches", new IntegerSerializer(),
                    new IntegerSerializer());
            TestOutputTopic<Row, Row> out = driver.createOutputTopic("out", new BinaryRowSerde(OUT_KEY).deserializer(),
                    new BinaryRowSerde(OUT).deserializer());
            Map<Row, Row> view = new HashMap<>();
            for (int b = 0; b < batches.size(); b++) {
                in.pipeInput(b, b);
                for (KeyValue<Row, Row> kv : out.readKeyValuesToList()) {
                    changelog.add(kv);
                    if (kv.value == null) {
                        view.remove(kv.key);
                    } else {
                        view.put(kv.key, kv.value);
                    }
                }
                assertEquals(modelTop(batches.subList(0, b + 1), table), view,
                        "after batch " + b + " (table " + table + ", cache " + cacheBytes + ", recent " + recentPartitions + ")");
            }
            KeyValueStore<Row, Row> store = driver.getKeyValueStore(STORE);
            if (cacheBytes != OFF) {
                assertTrue(((WrappedStateStore<?, ?, ?>) store).wrapped() instanceof CachingKeyValueStore,
                        "the production store runs with the record cache");
            }
            try (var it = store.all()) {
                it.forEachRemaining(kv -> storedRows.put((String) kv.key.get(0), ((List<?>) kv.value.get(0)).size()));
            }
        }
        return new Run(changelog, storedRows);
    }

    /**
     * The top 3 of every partition after {@code batches}, keyed as the output is: rows in arrival
     * order (a table's update moves its row to the end, as a retraction and a new row), stably
     * sorted by cost descending.
     */
    private static Map<Row, Row> modelTop(List<List<Change>> batches, boolean table) {
        Map<String, LinkedHashMap<String, Long>> tables = new TreeMap<>();
        Map<String, List<Long>> streams = new TreeMap<>();
        Map<String, List<String>> streamIds = new TreeMap<>();
        for (List<Change> batch : batches) {
            for (Change c : batch) {
                if (table) {
                    LinkedHashMap<String, Long> rows = tables.computeIfAbsent(c.partition(), k -> new LinkedHashMap<>());
                    rows.remove(c.id());
                    if (!c.deleted()) {
                        rows.put(c.id(), c.cost());
                    }
                } else {
                    streams.computeIfAbsent(c.partition(), k -> new ArrayList<>()).add(c.cost());
                    streamIds.computeIfAbsent(c.partition(), k -> new ArrayList<>()).add(c.id());
                }
            }
        }
        Map<Row, Row> top = new HashMap<>();
        Map<String, List<Map.Entry<String, Long>>> arrivals = new TreeMap<>();
        tables.forEach((p, rows) -> arrivals.put(p, new ArrayList<>(rows.entrySet())));
        streams.forEach((p, costs) -> {
            List<Map.Entry<String, Long>> rows = new ArrayList<>();
            for (int i = 0; i < costs.size(); i++) {
                rows.add(Map.entry(streamIds.get(p).get(i), costs.get(i)));
            }
            arrivals.put(p, rows);
        });
        arrivals.forEach((p, rows) -> {
            rows.sort(Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue()).reversed());
            for (int i = 0; i < Math.min(LIMIT, rows.size()); i++) {
                top.put(Row.of(p, (long) i + 1), Row.of(rows.get(i).getKey(), rows.get(i).getValue(), (long) i + 1));
            }
        });
        return top;
    }

    private static List<List<Change>> randomBatches(long seed, boolean table) {
        Random random = new Random(seed);
        List<List<Change>> batches = new ArrayList<>();
        int next = 0;
        for (int b = 0; b < 50; b++) {
            List<Change> batch = new ArrayList<>();
            for (int n = random.nextInt(10); n >= 0; n--) {
                String partition = "p" + random.nextInt(3);
                long cost = random.nextInt(8); // few costs: many ties, many rows ranked past the limit
                if (table) {
                    // ids per partition (a table row stays in its partition); a deletion of an id with no row is a no-op
                    String id = partition + "-" + random.nextInt(6);
                    batch.add(new Change(partition, id, cost, random.nextInt(4) == 0));
                } else {
                    batch.add(new Change(partition, "r" + next++, cost, false));
                }
            }
            batches.add(batch);
        }
        if (table) {
            // at the end every row goes: the store must be left with no entry
            List<Change> last = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                for (int id = 0; id < 6; id++) {
                    last.add(new Change("p" + p, "p" + p + "-" + id, 0, true));
                }
            }
            batches.add(last);
        }
        return batches;
    }

    @Test
    void overAStreamTheTopMatchesTheModelAndTheStoreKeepsOnlyTheTop() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            List<List<Change>> batches = randomBatches(seed, false);
            Run cached = run(batches, false, TEN_MB, RankProcessor.RECENT_PARTITIONS);
            assertEquals(run(batches, false, OFF, 0), cached, "seed " + seed + ": the same changelog without the cache");
            assertEquals(run(batches, false, SMALL, 1), cached, "seed " + seed + ": the same changelog with evictions");
            cached.storedRows().values().forEach(n -> assertTrue(n <= LIMIT, "a stream partition keeps its top 3 only"));
            assertEquals(3, cached.storedRows().size());
        }
    }

    @Test
    void overATableTheTopMatchesTheModelAndAnEmptiedPartitionLeavesNoEntry() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            List<List<Change>> batches = randomBatches(seed, true);
            Run cached = run(batches, true, TEN_MB, RankProcessor.RECENT_PARTITIONS);
            assertEquals(run(batches, true, OFF, 0), cached, "seed " + seed + ": the same changelog without the cache");
            assertEquals(run(batches, true, SMALL, 1), cached, "seed " + seed + ": the same changelog with evictions");
            assertEquals(Map.of(), cached.storedRows(), "every row was deleted");
        }
    }
}
