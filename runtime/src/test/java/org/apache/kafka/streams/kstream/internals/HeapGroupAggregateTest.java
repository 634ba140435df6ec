package org.apache.kafka.streams.kstream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.operator.AggregateState;
import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.operator.HeapGroupStore;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HeapGroupAggregate} against the DSL's {@code grouped.aggregate} it stands for: the same
 * random batches of records (several groups changed, some twice, between two commits; absent
 * values; out-of-order timestamps; a join's value getter reading the table between them), over
 * three lives of the task, each restored from the earlier ones' changelog records, give the same ordered rows (old states included when a reader asks for
 * them), the same joined rows, the same ordered changelog records (key, value bytes, timestamp), the
 * same store and the same topology description; with the record cache on (the heap path) and off
 * (Kafka Streams' own processor), on both state backends. Fails if a Kafka Streams upgrade changes
 * what the DSL's aggregate does.
 *
 * <p>TopologyTestDriver commits after every input record; each input record here is a batch that a
 * flatMap spreads over several groups without a repartition, so a commit interval sees several
 * changes.
 */
class HeapGroupAggregateTest {
    private static final Schema VALUE = new Schema(List.of(new Column("k", ScalarType.VARCHAR),
            new Column("v", ScalarType.BIGINT)));
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.VARCHAR)));
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("MAX", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("SUM", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), false, Optional.empty(),
                    List.of(), ScalarType.BIGINT));
    private static final String APP = "heap-group-aggregate-test";

    private record Outcome(String description, List<String> rows, List<String> joined, List<String> changelog,
                           Map<String, String> store) {
    }

    @ParameterizedTest(name = "cache {0}, old states read {1}, {2}")
    @CsvSource({"true,true,ROCKSDB", "true,false,ROCKSDB", "false,true,ROCKSDB", "false,false,ROCKSDB",
            "true,true,HASHMAP", "true,false,HASHMAP", "false,true,HASHMAP", "false,false,HASHMAP"})
    void givesTheDslAggregatesRowsChangelogAndStore(boolean cache, boolean oldStates, StateBackend backend)
            throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            Outcome dsl = run(false, cache, oldStates, backend, seed);
            Outcome heap = run(true, cache, oldStates, backend, seed);
            assertEquals(dsl.description(), heap.description());
            assertEquals(dsl.rows(), heap.rows(), "seed " + seed);
            assertEquals(dsl.joined(), heap.joined(), "seed " + seed);
            assertEquals(dsl.changelog(), heap.changelog(), "seed " + seed);
            assertEquals(dsl.store(), heap.store(), "seed " + seed);
            assertTrue(dsl.rows().size() > 200, "the records changed groups: " + dsl.rows().size());
            assertTrue(dsl.joined().size() > 20, "the probes read groups: " + dsl.joined().size());
            assertTrue(dsl.changelog().size() > 200, "the changelog is captured: " + dsl.changelog().size());
        }
    }

    @ParameterizedTest(name = "cache {0}")
    @CsvSource({"true", "false"})
    void keepsTheStatesOnTheHeapOnlyWithTheCacheOn(boolean cache) throws IOException {
        Path dir = Files.createTempDirectory("heap-group-aggregate");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(true, true, aggregation()),
                props(cache, StateBackend.ROCKSDB, dir))) {
            Object store = driver.getAllStateStores().get("q-store");
            if (cache) {
                assertInstanceOf(HeapGroupStore.class, store);
            } else {
                assertFalse(store instanceof HeapGroupStore, "the cache is off: the DSL's store");
            }
        }
    }

    private static Aggregation aggregation() {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        return new Aggregation(CALLS, -1, functions, new ExprCompiler(functions));
    }

    private static String format(Aggregation aggregation, AggregateState state) {
        return state == null ? "-" : Arrays.toString(aggregation.results(state, 0));
    }

    private static Topology topology(boolean heap, boolean oldStates, Aggregation aggregation) {
        BinaryRowSerde keySerde = new BinaryRowSerde(KEY);
        BinaryRowSerde valueSerde = new BinaryRowSerde(VALUE);
        StreamsBuilder builder = new StreamsBuilder();
        // "a:3 b:- a:7": one record per group and value ("-": no value), keys changed without a repartition
        KStream<Row, Row> spread = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMap((batch, entries) -> {
                    List<KeyValue<Row, Row>> records = new ArrayList<>();
                    for (String entry : entries.split(" ")) {
                        String[] parts = entry.split(":");
                        Long v = parts[1].equals("-") ? null : Long.valueOf(parts[1]);
                        records.add(KeyValue.pair(Row.of(parts[0]), Row.of(parts[0], v)));
                    }
                    return records;
                }, Named.as("q-spread"));
        KGroupedStream<Row, Row> grouped = SluiceGraph.partitionedByKey(spread)
                .groupByKey(Grouped.with("q-groupby", keySerde, valueSerde));
        // as AggregateBuilder#groupTable: a copy when a reader asks for old states (the cache-off DSL
        // forwards the state it handed the aggregator as the old one)
        Aggregator<Row, Row, AggregateState> aggregator = oldStates
                ? (k, v, agg) -> aggregation.add(v, agg)
                : (k, v, agg) -> aggregation.addInPlace(v, agg);
        Materialized<Row, AggregateState, KeyValueStore<Bytes, byte[]>> materialized =
                Materialized.<Row, AggregateState, KeyValueStore<Bytes, byte[]>>as("q-store")
                        .withKeySerde(keySerde).withValueSerde(aggregation.serde());
        KTable<Row, AggregateState> table = heap
                ? HeapGroupAggregate.aggregate(grouped, aggregation::initial, aggregator, aggregation,
                Named.as("q-aggregate"), materialized)
                : grouped.aggregate(aggregation::initial, aggregator, Named.as("q-aggregate"), materialized);
        KStream<Row, String> rows = oldStates
                ? SluiceGraph.changes(table, "q-changes",
                        (old, now) -> format(aggregation, old) + ">" + format(aggregation, now)).orElseThrow()
                : table.toStream(Named.as("q-to-stream")).mapValues(now -> format(aggregation, now),
                        Named.as("q-changes"));
        rows.to("out", Produced.with(keySerde, Serdes.String()));
        // a join's value getter reads the table's current value between the commits
        builder.stream("probe", Consumed.with(keySerde, Serdes.String()))
                .join(table, (probe, state) -> probe + "=" + format(aggregation, state),
                        org.apache.kafka.streams.kstream.Joined.with(keySerde, Serdes.String(), aggregation.serde(),
                                "q-probe"))
                .to("joined", Produced.with(keySerde, Serdes.String()));
        return builder.build();
    }

    private static Properties props(boolean cache, StateBackend backend, Path dir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache ? 10 * 1024 * 1024 : 0);
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, backend.dslStoreSuppliers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        return props;
    }

    private static Outcome run(boolean heap, boolean cache, boolean oldStates, StateBackend backend, long seed)
            throws IOException {
        Aggregation aggregation = aggregation();
        Topology topology = topology(heap, oldStates, aggregation);
        Random random = new Random(seed);
        List<String> rows = new ArrayList<>();
        List<String> joined = new ArrayList<>();
        List<String> changelog = new ArrayList<>();
        Map<String, String> store = new TreeMap<>();
        // the changelog so far, compacted: what a restore puts back (value: timestamp, then the state's bytes)
        Map<Bytes, byte[]> compacted = new LinkedHashMap<>();
        long time = 1_000;
        BinaryRowSerde keySerde = new BinaryRowSerde(KEY);
        HexFormat hex = HexFormat.of();
        for (int life = 0; life < 3; life++) {
            // each life of the task starts from an empty state directory, restored from the earlier lives' changelog
            try (TopologyTestDriver driver = new TopologyTestDriver(topology,
                    props(cache, backend, Files.createTempDirectory("heap-group-aggregate")))) {
                restore(driver.getAllStateStores().get("q-store"), compacted);
                TestInputTopic<String, String> input = driver.createInputTopic("in", Serdes.String().serializer(),
                        Serdes.String().serializer());
                TestInputTopic<Row, String> probe = driver.createInputTopic("probe", keySerde.serializer(),
                        Serdes.String().serializer());
                TestOutputTopic<Row, String> out = driver.createOutputTopic("out", keySerde.deserializer(),
                        Serdes.String().deserializer());
                TestOutputTopic<Row, String> joins = driver.createOutputTopic("joined", keySerde.deserializer(),
                        Serdes.String().deserializer());
                TestOutputTopic<byte[], byte[]> log = driver.createOutputTopic(APP + "-q-store-changelog",
                        Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
                int batches = 60 + random.nextInt(60);
                for (int i = 0; i < batches; i++) {
                    StringBuilder batch = new StringBuilder();
                    int size = 1 + random.nextInt(6);
                    for (int j = 0; j < size; j++) {
                        String v = random.nextInt(4) == 0 ? "-" : String.valueOf(random.nextInt(50) - 10);
                        batch.append(j == 0 ? "" : " ").append((char) ('a' + random.nextInt(8))).append(':').append(v);
                    }
                    time += random.nextInt(9) - 3; // now and then a record older than the last
                    input.pipeInput("batch" + i, batch.toString(), time);
                    if (random.nextInt(3) == 0) {
                        probe.pipeInput(Row.of(String.valueOf((char) ('a' + random.nextInt(9)))), "p" + i, time);
                    }
                    for (var r : out.readRecordsToList()) {
                        rows.add(r.key() + "=" + r.value() + "@" + r.timestamp());
                    }
                    for (var r : joins.readRecordsToList()) {
                        joined.add(r.key() + "=" + r.value() + "@" + r.timestamp());
                    }
                    for (var r : log.readRecordsToList()) {
                        changelog.add(hex.formatHex(r.key()) + "=" + (r.value() == null ? "null" : hex.formatHex(r.value()))
                                + "@" + r.timestamp());
                        if (r.value() == null) {
                            compacted.remove(Bytes.wrap(r.key()));
                        } else {
                            compacted.put(Bytes.wrap(r.key()), ByteBuffer.allocate(8 + r.value().length)
                                    .putLong(r.timestamp()).put(r.value()).array());
                        }
                    }
                }
                if (life == 2) {
                    KeyValueStore<Row, ValueAndTimestamp<AggregateState>> kept =
                            driver.getTimestampedKeyValueStore("q-store");
                    try (KeyValueIterator<Row, ValueAndTimestamp<AggregateState>> all = kept.all()) {
                        while (all.hasNext()) {
                            KeyValue<Row, ValueAndTimestamp<AggregateState>> e = all.next();
                            store.put(e.key.toString(), format(aggregation, e.value.value()) + "@" + e.value.timestamp());
                        }
                    }
                }
            }
        }
        return new Outcome(topology.describe().toString(), rows, joined, changelog, store);
    }

    /** A restore: the compacted changelog into the innermost (byte) store, below every layer that logs or caches. */
    @SuppressWarnings("unchecked")
    private static void restore(StateStore outermost, Map<Bytes, byte[]> compacted) {
        StateStore layer = outermost;
        while (layer instanceof WrappedStateStore<?, ?, ?> wrapped) {
            layer = wrapped.wrapped();
        }
        KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) layer;
        compacted.forEach(bytes::put);
    }
}
