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
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.internals.BlindWriteTableSource;
import org.apache.kafka.streams.kstream.internals.SluiceGraph;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RankProcessor#overResultTable} (the kept rows read from the output table built in the
 * task) against the processor with its own store, as RankBuilder wires each: batches of random
 * stream rows over three partitions (few costs: many ties, many rows ranked past the limit), one
 * commit per batch. The ordered changelog of the output table (old rows included, as a WHERE over
 * it asks for them) must be the same, with the record cache large, tiny (evictions to RocksDB
 * mid-batch) and off, and with the decoded partitions kept for all, one or none (read back from the
 * table at every record, as after a restart); for ROW_NUMBER the table after each batch must be a
 * sorted in-memory model's top 3; for RANK (ties may keep more than 3 rows) the same as the own
 * store's. The table keeps only what ranks: at most the positions of the top, no other store.
 */
class RankProcessorOverResultTableTest {
    private static final Schema ROW = new Schema(List.of(new Column("id", ScalarType.VARCHAR),
            new Column("cost", ScalarType.BIGINT)));
    private static final Schema PARTITION = new Schema(List.of(new Column("p", ScalarType.VARCHAR)));
    private static final Schema OUT_KEY = PARTITION.append(new Column("position", ScalarType.BIGINT));
    private static final Schema OUT = ROW.append(new Column("rank", ScalarType.BIGINT));
    private static final Schema STATE = new Schema(List.of(new Column("rows", new ArrayType(new StructType(ROW.columns())))));
    private static final String TABLE = "q-rank-table-store";
    private static final String STORE = "q-rank-store";
    private static final int LIMIT = 3;
    private static final long TINY = 200;

    private record Change(String partition, String id, long cost) {
    }

    /** The ordered changelog, the table after each batch (the changelog applied), and the table's store at the end. */
    private record Run(List<String> changelog, List<Map<Row, String>> views, Map<Row, Row> table) {
    }

    @ParameterizedTest(name = "{0}, cache {1} bytes, {2} recent partitions")
    @CsvSource({"ROW_NUMBER,10485760,1024", "ROW_NUMBER,200,1", "ROW_NUMBER,0,0", "RANK,10485760,1024", "RANK,200,0",
            "RANK,0,1"})
    void theTablesRowsAreTheKeptRows(RankStep.Function function, long cacheBytes, int recent) throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            List<List<Change>> batches = randomBatches(seed);
            Run own = run(batches, function, cacheBytes, recent, false);
            Run overTable = run(batches, function, cacheBytes, recent, true);
            if (cacheBytes != TINY) {
                assertEquals(own.changelog(), overTable.changelog(), "seed " + seed);
            }
            // a tiny cache evicts at other moments when the own store shares it: a position may be
            // deleted and written again in two flushes where it was written once; each commit's table is the same
            assertEquals(own.views(), overTable.views(), "seed " + seed);
            assertEquals(own.table(), overTable.table(), "seed " + seed);
            assertFalse(overTable.changelog().isEmpty());
            if (function == RankStep.Function.ROW_NUMBER) {
                assertEquals(modelTop(batches), overTable.table(), "seed " + seed);
            }
        }
    }

    private static Run run(List<List<Change>> batches, RankStep.Function function, long cacheBytes, int recent,
                           boolean overTable) throws Exception {
        SourceStep source = new SourceStep("s", new FormatSpec("t", Map.of()), new Schema(List.of()), ROW,
                OptionalInt.empty(), false);
        RankStep step = new RankStep("q-rank", source, function, List.of(),
                List.of(new RankStep.SortKey(1, true, true)), LIMIT, true, OUT_KEY, OUT).withTableInTask();
        Ranking ranking = new Ranking(step, new int[0]);
        StreamsBuilder builder = new StreamsBuilder();
        KStream<Row, Row> changes = builder.stream("batches", Consumed.with(Serdes.Integer(), Serdes.Integer()))
                .flatMap((k, b) -> batches.get(b).stream()
                        .map(c -> KeyValue.pair(Row.of(c.partition()), Row.of(c.id(), c.cost(), false)))
                        .toList(), Named.as("q-batch"));
        KStream<Row, Row> ranked;
        if (overTable) {
            ranked = changes.process(() -> RankProcessor.overResultTable(ranking, TABLE, ROW.size(), recent),
                    Named.as("q-rank"));
        } else {
            builder.addStateStore(RankProcessor.store(STORE, new BinaryRowSerde(PARTITION), new BinaryRowSerde(STATE), StateBackend.ROCKSDB));
            ranked = changes.process(() -> new RankProcessor(ranking, STORE, recent), Named.as("q-rank"), STORE);
        }
        var table = BlindWriteTableSource.toTable(SluiceGraph.partitionedByKey(ranked), Named.as("q-rank-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(TABLE)
                        .withKeySerde(new BinaryRowSerde(OUT_KEY)).withValueSerde(new BinaryRowSerde(OUT)));
        SluiceGraph.changes(table, "q-changes", (old, now) -> old + " -> " + now).orElseThrow()
                .to("out", Produced.with(new BinaryRowSerde(OUT_KEY), Serdes.String()));
        Topology topology = builder.build();
        if (overTable) {
            topology.connectProcessorAndStateStores("q-rank", TABLE);
            assertFalse(topology.describe().toString().contains(STORE + "]"), "no store of the rank's own");
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rank-table-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(cacheBytes));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("rank-table").toString());
        List<String> changelog = new ArrayList<>();
        List<Map<Row, String>> views = new ArrayList<>();
        Map<Row, String> view = new HashMap<>();
        Map<Row, Row> rows = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var in = driver.createInputTopic("batches", new IntegerSerializer(), new IntegerSerializer());
            var out = driver.createOutputTopic("out", new BinaryRowSerde(OUT_KEY).deserializer(),
                    Serdes.String().deserializer());
            for (int b = 0; b < batches.size(); b++) {
                in.pipeInput(b, b);
                for (KeyValue<Row, String> kv : out.readKeyValuesToList()) {
                    changelog.add(kv.key + ": " + kv.value);
                    String now = kv.value.substring(kv.value.indexOf(" -> ") + 4);
                    if (now.equals("null")) {
                        view.remove(kv.key);
                    } else {
                        view.put(kv.key, now);
                    }
                }
                views.add(new HashMap<>(view));
            }
            KeyValueStore<Row, Row> store = driver.getKeyValueStore(TABLE);
            try (var it = store.all()) {
                it.forEachRemaining(kv -> rows.put(kv.key, kv.value));
            }
        }
        if (function == RankStep.Function.ROW_NUMBER) {
            assertTrue(rows.size() <= 3 * LIMIT, "the table keeps the top positions only: " + rows.size());
        }
        return new Run(changelog, views, rows);
    }

    /** Each partition's top 3 by cost descending, ties in arrival order, keyed (partition, position). */
    private static Map<Row, Row> modelTop(List<List<Change>> batches) {
        Map<String, List<Change>> arrivals = new HashMap<>();
        batches.forEach(batch -> batch.forEach(c -> arrivals.computeIfAbsent(c.partition(), k -> new ArrayList<>()).add(c)));
        Map<Row, Row> top = new HashMap<>();
        arrivals.forEach((p, rows) -> {
            rows.sort(Comparator.comparing(Change::cost).reversed());
            for (int i = 0; i < Math.min(LIMIT, rows.size()); i++) {
                top.put(Row.of(p, (long) i + 1), Row.of(rows.get(i).id(), rows.get(i).cost(), (long) i + 1));
            }
        });
        return top;
    }

    private static List<List<Change>> randomBatches(long seed) {
        Random random = new Random(seed);
        List<List<Change>> batches = new ArrayList<>();
        int next = 0;
        for (int b = 0; b < 40; b++) {
            List<Change> batch = new ArrayList<>();
            for (int n = random.nextInt(10); n >= 0; n--) {
                batch.add(new Change("p" + random.nextInt(3), "r" + next++, random.nextInt(8)));
            }
            batches.add(batch);
        }
        return batches;
    }
}
