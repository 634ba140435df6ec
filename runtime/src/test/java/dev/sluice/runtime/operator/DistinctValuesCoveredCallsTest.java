package dev.sluice.runtime.operator;

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
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * q15/q16's shape: several DISTINCT calls over one column, one without FILTER and some with, where
 * {@link DistinctValues} skips the unfiltered call's lookup once a filtered call over the same
 * column found its value stored. The marks of every row must be those of a plain set of (group,
 * call, value) seen so far, with the record cache large, tiny and off, and the store must end with
 * one entry per element of the set.
 */
class DistinctValuesCoveredCallsTest {
    private static final Schema KEY = new Schema(List.of(new Column("channel", ScalarType.VARCHAR)));
    private static final Schema VALUE = new Schema(List.of(new Column("channel", ScalarType.VARCHAR),
            new Column("bidder", ScalarType.BIGINT), new Column("auction", ScalarType.BIGINT),
            new Column("price", ScalarType.BIGINT)));
    private static final Schema MARKED = VALUE.append(new Column("distinct$first", ScalarType.BIGINT));
    private static final String STEP = "q-aggregate";
    private static final Expr BIDDER = new Expr.InputRef(1, ScalarType.BIGINT);
    private static final Expr AUCTION = new Expr.InputRef(2, ScalarType.BIGINT);
    private static final Expr PRICE = new Expr.InputRef(3, ScalarType.BIGINT);

    private record Case(AggregateCall call, Predicate<Row> filter, int column) {
    }

    private static Expr price(String op, long bound) {
        return new Expr.Call(op, List.of(PRICE, new Expr.Literal(bound, ScalarType.BIGINT)), ScalarType.BOOLEAN);
    }

    private static Case distinct(Expr argument, Expr filter, Predicate<Row> model, int column) {
        return new Case(new AggregateCall("COUNT", List.of(argument), true, Optional.ofNullable(filter), List.of(),
                ScalarType.BIGINT), model, column);
    }

    private static long price(Row row) {
        return (Long) row.get(3);
    }

    /**
     * COUNT(*); a filtered COUNT(DISTINCT auction) before its unfiltered call; COUNT(DISTINCT bidder)
     * and three filters over price bands; a filtered call over bidder + 1 (an expression, not paired).
     */
    private static final List<Case> CASES = List.of(
            new Case(new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
                    row -> false, -1),
            distinct(AUCTION, price(">=", 150), row -> price(row) >= 150, 2),
            distinct(BIDDER, null, row -> true, 1),
            distinct(BIDDER, price("<", 50), row -> price(row) < 50, 1),
            distinct(BIDDER, null /* price >= 50 AND price < 150, set in calls() */,
                    row -> price(row) >= 50 && price(row) < 150, 1),
            distinct(BIDDER, price(">=", 150), row -> price(row) >= 150, 1),
            distinct(AUCTION, null, row -> true, 2),
            distinct(new Expr.Call("+", List.of(BIDDER, new Expr.Literal(1L, ScalarType.BIGINT)), ScalarType.BIGINT),
                    price("<", 100), row -> price(row) < 100, 4));

    private static List<AggregateCall> calls() {
        List<AggregateCall> calls = new ArrayList<>();
        for (Case c : CASES) {
            calls.add(c.call());
        }
        // the middle band: price >= 50 AND price < 150
        calls.set(4, new AggregateCall("COUNT", List.of(BIDDER), true,
                Optional.of(new Expr.Call("AND", List.of(price(">=", 50), price("<", 150)), ScalarType.BOOLEAN)),
                List.of(), ScalarType.BIGINT));
        return calls;
    }

    private static KeyValue<List<Long>, Long> run(List<List<Row>> batches, Path stateDir, long cacheBytes) {
        List<AggregateCall> calls = calls();
        DefaultFunctionCatalog functions = DefaultFunctionCatalog.wallClock();
        Aggregation aggregation = new Aggregation(calls, -1, functions, new ExprCompiler(functions), false,
                VALUE.size());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DistinctValues.store(STEP));
        builder.stream("batches", Consumed.with(Serdes.Integer(), Serdes.Integer()))
                .flatMap((k, b) -> batches.get(b).stream().map(row -> KeyValue.pair(Row.of(row.get(0)), row)).toList(),
                        Named.as("q-batch"))
                .processValues(() -> DistinctValues.of(STEP, calls, aggregation, new BinaryRowSerde(KEY)),
                        Named.as(STEP + "-distinct"), DistinctValues.storeName(STEP))
                .to("out", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(MARKED)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "distinct-values-covered-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, String.valueOf(cacheBytes));
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
                // few bidders and auctions: most values repeat, in one band and then in another
                batch.add(Row.of("c" + random.nextInt(3), (long) random.nextInt(10), (long) random.nextInt(25),
                        (long) random.nextInt(200)));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static List<Long> expectedMarks(List<List<Row>> batches, Set<String> seen) {
        List<Long> marks = new ArrayList<>();
        for (List<Row> batch : batches) {
            for (Row row : batch) {
                long bits = 0;
                for (int call = 1; call < CASES.size(); call++) {
                    Case c = CASES.get(call);
                    Object value = c.column() == 4 ? (Long) row.get(1) + 1 : row.get(c.column());
                    if (c.filter().test(row) && seen.add(row.get(0) + "/" + call + "/" + value)) {
                        bits |= 1L << call;
                    }
                }
                marks.add(bits);
            }
        }
        return marks;
    }

    @Test
    void marksEqualASetWithTheCacheOnTinyAndOff() throws Exception {
        for (long cacheBytes : new long[] {10 * 1024 * 1024, 200, 0}) {
            Random random = new Random(17);
            Path stateDir = Files.createTempDirectory("distinct-values-covered");
            Set<String> seen = new HashSet<>();
            List<List<Row>> batches = randomBatches(random, 100);
            KeyValue<List<Long>, Long> run = run(batches, stateDir, cacheBytes);
            assertEquals(expectedMarks(batches, seen), run.key, "cache " + cacheBytes);
            assertEquals(seen.size(), run.value, "one entry per (group, call, value), cache " + cacheBytes);
        }
    }
}
