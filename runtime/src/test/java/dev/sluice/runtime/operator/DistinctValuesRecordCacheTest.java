package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
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
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DistinctValues} over its production store ({@link DistinctValues#store}: no record cache,
 * {@link CallBitsStore}'s cache and filter in front), as {@code sluice run} runs it: each input
 * record is a batch of rows processed between two commits (TopologyTestDriver commits after each
 * input record), so a value put in the batch is found again in the cache, and with a cache of a few
 * hundred bytes after its eviction, in RocksDB. The marks of
 * every row are compared with a plain set of (group, call, value) seen so far, and the store ends
 * with one entry per (group, value) of that set (state format 22: the calls' bits in one entry).
 */
class DistinctValuesRecordCacheTest {
    private static final Schema KEY = new Schema(List.of(new Column("channel", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("channel", ScalarType.VARCHAR),
            new Column("bidder", ScalarType.BIGINT), new Column("price", ScalarType.BIGINT)));
    private static final Schema MARKED = VALUE.append(new Column("distinct$first", ScalarType.BIGINT));
    private static final String STEP = "q-aggregate";
    private static final long TEN_MB = 10 * 1024 * 1024;
    private static final long SMALL = 200;

    /** COUNT(*), COUNT(DISTINCT bidder), COUNT(DISTINCT bidder) FILTER (WHERE price < 100). */
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), true, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), true,
                    Optional.of(new Expr.Call("<", List.of(new Expr.InputRef(2, ScalarType.BIGINT),
                            new Expr.Literal(100L, ScalarType.BIGINT)), ScalarType.BOOLEAN)),
                    List.of(), ScalarType.BIGINT));

    /** Runs {@code batches} from {@code stateDir}; returns each row's marks in order, and the store's entry count. */
    private static KeyValue<List<Long>, Long> run(List<List<Row>> batches, Path stateDir, long cacheBytes) {
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(CALLS, -1, functions, new ExprCompiler(functions), false,
                VALUE.size());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DistinctValues.store(STEP, StateBackend.ROCKSDB));
        builder.stream("batches", Consumed.with(Serdes.Integer(), Serdes.Integer()))
                .flatMap((k, b) -> batches.get(b).stream().map(row -> KeyValue.pair(Row.of(row.get(0)), row)).toList(),
                        Named.as("q-batch"))
                .processValues(() -> DistinctValues.of(STEP, CALLS, aggregation, new BinaryRowSerde(KEY)),
                        Named.as(STEP + "-distinct"), DistinctValues.storeName(STEP))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(MARKED)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "distinct-values-cache-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(cacheBytes));
        props.put(CallBitsStore.CACHE_BYTES_CONFIG, String.valueOf(cacheBytes));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        List<Long> marks = new ArrayList<>();
        long entries = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<Integer, Integer> in = driver.createInputTopic("batches", new IntegerSerializer(),
                    new IntegerSerializer());
            TestOutputTopic<Row, Row> out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                    new BinaryRowSerde(MARKED).deserializer());
            for (int b = 0; b < batches.size(); b++) {
                in.pipeInput(b, b);
            }
            out.readValuesToList().forEach(row -> marks.add((Long) row.get(VALUE.size())));
            KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(DistinctValues.storeName(STEP));
            assertFalse(((WrappedStateStore<?, ?, ?>) store).wrapped() instanceof CachingKeyValueStore,
                    "the production store runs without the record cache, behind CallBitsStore's own");
            try (var it = store.all()) {
                while (it.hasNext()) {
                    it.next();
                    entries++;
                }
            }
        }
        return KeyValue.pair(marks, entries);
    }

    private static List<List<Row>> randomBatches(Random random, int count) {
        List<List<Row>> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            List<Row> batch = new ArrayList<>();
            for (int n = random.nextInt(15); n >= 0; n--) {
                String channel = "c" + random.nextInt(3);
                // few bidders, so most values repeat within a batch and across batches
                batch.add(Row.of(channel, (long) random.nextInt(12), (long) random.nextInt(200)));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** The marks a set of (group, call, value) seen so far gives, updated with {@code batches}. */
    private static List<Long> expectedMarks(List<List<Row>> batches, Set<String> seen) {
        List<Long> marks = new ArrayList<>();
        for (List<Row> batch : batches) {
            for (Row row : batch) {
                long bits = 0;
                if (seen.add(row.get(0) + "/1/" + row.get(1))) {
                    bits |= 1L << 1;
                }
                if ((Long) row.get(2) < 100 && seen.add(row.get(0) + "/2/" + row.get(1))) {
                    bits |= 1L << 2;
                }
                marks.add(bits);
            }
        }
        return marks;
    }

    @Test
    void firstOccurrencesMatchASetAcrossCommitsAndEvictions() throws Exception {
        for (long cacheBytes : new long[] {TEN_MB, SMALL}) {
            Random random = new Random(29);
            Path stateDir = Files.createTempDirectory("distinct-values-cache");
            Set<String> seen = new HashSet<>();
            List<List<Row>> batches = randomBatches(random, 60);
            KeyValue<List<Long>, Long> run = run(batches, stateDir, cacheBytes);
            assertEquals(expectedMarks(batches, seen), run.key, "cache " + cacheBytes);
            // state format 22: both calls read bidder, so one entry per (group, value) holds both calls' bits
            long groupValues = seen.stream().map(s -> s.replaceFirst("/[12]/", "/")).distinct().count();
            assertTrue(groupValues < seen.size(), "some value was seen by both calls");
            assertEquals(groupValues, run.value, "one entry per (group, value), cache " + cacheBytes);
        }
    }
}
