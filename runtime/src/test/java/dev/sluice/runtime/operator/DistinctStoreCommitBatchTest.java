package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DistinctValues}' store writes wait for the commit ({@link CommitBatchedKeyValueStore}): each
 * input record of the driver is a batch of rows processed between two commits (TopologyTestDriver
 * commits after each input record). Against a model of (group, value) to the bits of the calls
 * that saw it, on both state backends:
 * <ul>
 *   <li>every row's marks are those of the model (reads see the writes still waiting), also after
 *       restarts whose store is restored from the changelog records of the earlier lives;
 *   <li>after each commit the store below the layer holds exactly the model's entries, and nothing waits;
 *   <li>each commit's changelog records are the entries its batch changed, one record each, in key
 *       order (the store's byte order, in which the layer holds them), with the bits at the commit:
 *       an entry changed twice in a batch (a second call's bit) is one record, where a write per
 *       change made two.
 * </ul>
 */
class DistinctStoreCommitBatchTest {
    private static final Schema KEY = new Schema(List.of(new Column("channel", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("channel", ScalarType.VARCHAR),
            new Column("bidder", ScalarType.BIGINT), new Column("price", ScalarType.BIGINT)));
    private static final Schema MARKED = VALUE.append(new Column("distinct$first", ScalarType.BIGINT));
    private static final String STEP = "q-aggregate";
    private static final String APP = "distinct-commit-batch-test";
    private static final String CHANGELOG = APP + "-" + DistinctValues.storeName(STEP) + "-changelog";

    /** COUNT(*), COUNT(DISTINCT bidder), COUNT(DISTINCT bidder) FILTER (WHERE price < 100). */
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), true, Optional.empty(),
                    List.of(), ScalarType.BIGINT),
            new AggregateCall("COUNT", List.of(new Expr.InputRef(1, ScalarType.BIGINT)), true,
                    Optional.of(new Expr.Call("<", List.of(new Expr.InputRef(2, ScalarType.BIGINT),
                            new Expr.Literal(100L, ScalarType.BIGINT)), ScalarType.BOOLEAN)),
                    List.of(), ScalarType.BIGINT));

    /** The model: (group, value) entry key to its calls' bits, and the marks and records it predicts. */
    private static final class Model {
        final Map<Bytes, Long> entries = new HashMap<>();
        /** The changelog's records so far, compacted: what a restore puts back. */
        final Map<Bytes, byte[]> changelog = new LinkedHashMap<>();
        final List<Long> marks = new ArrayList<>();
        /** Per batch, the changelog records expected: key order, bits at the commit. */
        final List<List<KeyValue<Bytes, Long>>> records = new ArrayList<>();
        int entriesChangedTwiceInABatch;

        void add(List<Row> batch) {
            TreeMap<Bytes, Long> changed = new TreeMap<>();
            Map<Bytes, Integer> changes = new HashMap<>();
            for (Row row : batch) {
                Bytes key = entryKey((String) row.get(0), (Long) row.get(1));
                long before = entries.getOrDefault(key, 0L);
                long after = before | 1L << 1 | ((Long) row.get(2) < 100 ? 1L << 2 : 0);
                marks.add(after & ~before);
                if (after != before) {
                    entries.put(key, after);
                    changed.put(key, after);
                    if (changes.merge(key, 1, Integer::sum) == 2) {
                        entriesChangedTwiceInABatch++;
                    }
                }
            }
            records.add(changed.entrySet().stream().map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList());
        }
    }

    /** The store key of (channel, bidder) as {@link DistinctValues} writes it (format 22). */
    private static Bytes entryKey(String channel, long bidder) {
        byte[] group = new BinaryRowSerde(KEY).serializer().serialize("", Row.of(channel));
        ByteArrayDataOutput out = new ByteArrayDataOutput(64);
        out.writeInt(group.length);
        out.write(group);
        DistinctArgumentKeys.write(out, List.<SqlType>of(ScalarType.BIGINT), new Object[] {bidder});
        return Bytes.wrap(out.copyBytes());
    }

    private static List<List<Row>> randomBatches(Random random, int count) {
        List<List<Row>> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            List<Row> batch = new ArrayList<>();
            for (int n = random.nextInt(40); n >= 0; n--) {
                // few bidders, more with time, two price bands: values repeat within a batch and gain
                // the second bit there
                batch.add(Row.of("c" + random.nextInt(2), (long) random.nextInt(10 + b), (long) random.nextInt(400)));
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Runs {@code batches} on one driver (a life of the task) over a new state directory whose store
     * is first restored from the changelog records of the earlier lives, checking the store and the
     * changelog after each commit against {@code model}, which it advances; returns the rows' marks.
     */
    private static List<Long> run(List<List<Row>> batches, StateBackend backend, Model model) throws Exception {
        Path stateDir = Files.createTempDirectory("distinct-commit-batch");
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(CALLS, -1, functions, new ExprCompiler(functions), false,
                VALUE.size());
        aggregation.tagDistinctPerValue();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DistinctValues.store(STEP, backend));
        builder.stream("batches", Consumed.with(Serdes.Integer(), Serdes.Integer()))
                .flatMap((k, b) -> batches.get(b).stream().map(row -> KeyValue.pair(Row.of(row.get(0)), row)).toList(),
                        Named.as("q-batch"))
                .processValues(() -> DistinctValues.of(STEP, CALLS, aggregation, new BinaryRowSerde(KEY)),
                        Named.as(STEP + "-distinct"), DistinctValues.storeName(STEP))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(MARKED)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        List<Long> marks = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<Integer, Integer> in = driver.createInputTopic("batches", new IntegerSerializer(),
                    new IntegerSerializer());
            TestOutputTopic<Row, Row> out = driver.createOutputTopic("out", new BinaryRowSerde(KEY).deserializer(),
                    new BinaryRowSerde(MARKED).deserializer());
            TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(CHANGELOG,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(DistinctValues.storeName(STEP));
            CommitBatchedKeyValueStore batched = assertInstanceOf(CommitBatchedKeyValueStore.class, store);
            // the restore: the changelog so far, below the layer (the driver logs these puts too, and
            // hands their records out with the first batch's: they are skipped there)
            model.changelog.forEach(batched.wrapped()::put);
            int restoreRecords = model.changelog.size();
            for (int b = 0; b < batches.size(); b++) {
                in.pipeInput(b, b);
                model.add(batches.get(b));
                assertEquals(0, batched.waitingKeys(), "the commit wrote every waiting entry");
                List<KeyValue<byte[], byte[]>> logged = changelog.readKeyValuesToList();
                if (b == 0) {
                    logged = logged.subList(restoreRecords, logged.size());
                }
                logged.forEach(kv -> model.changelog.put(Bytes.wrap(kv.key), kv.value));
                List<KeyValue<Bytes, Long>> records = logged.stream()
                        .map(kv -> KeyValue.pair(Bytes.wrap(kv.key), CallBits.read(kv.value))).toList();
                assertEquals(model.records.get(model.records.size() - 1), records, "batch " + b + "'s changelog");
                Map<Bytes, Long> stored = new HashMap<>();
                try (var it = batched.wrapped().all()) {
                    it.forEachRemaining(kv -> stored.put(kv.key, CallBits.read(kv.value)));
                }
                assertEquals(model.entries, stored, "the store below the layer after batch " + b);
            }
            out.readValuesToList().forEach(row -> marks.add((Long) row.get(VALUE.size())));
        }
        return marks;
    }

    @Test
    void commitWritesEachChangedEntryOnceAndRestartsFindThem() throws Exception {
        for (StateBackend backend : StateBackend.values()) {
            Random random = new Random(41);
            List<List<Row>> batches = randomBatches(random, 90);
            Model model = new Model();
            List<Long> marks = new ArrayList<>();
            // three lives of the task, at random points: the later ones restored from the changelog
            int first = 1 + random.nextInt(40);
            int second = first + 1 + random.nextInt(40);
            marks.addAll(run(batches.subList(0, first), backend, model));
            marks.addAll(run(batches.subList(first, second), backend, model));
            marks.addAll(run(batches.subList(second, batches.size()), backend, model));
            assertEquals(model.marks, marks, backend + ": every row's marks");
            assertTrue(model.entriesChangedTwiceInABatch >= 5,
                    backend + ": the input changes entries twice within a commit (" + model.entriesChangedTwiceInABatch + ")");
        }
    }
}
