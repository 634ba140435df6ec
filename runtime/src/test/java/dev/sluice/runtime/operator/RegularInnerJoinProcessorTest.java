package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RegularInnerJoinProcessor} against an in-memory model of a regular inner join: random
 * rows on both sides over a few join keys, with equal rows and equal times, with and without a
 * state TTL, with the record cache on and off. The model joins each record with the other side's
 * rows of its key (within the TTL) in (event time, arrival) order, which is the order and the
 * stamps Kafka Streams' window join gave; records the interval join's late guard would stop are
 * not sent. At the end, with a TTL, the stores hold only rows a record could still reach.
 */
class RegularInnerJoinProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.BIGINT)));
    private static final Schema LEFT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("l", ScalarType.VARCHAR), new Column("lt", ScalarType.BIGINT)));
    private static final Schema RIGHT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("r", ScalarType.VARCHAR)));
    private static final long GRACE = 5;

    /** One input row: its side, join key, payload and event time; {@code arrival} orders equal times. */
    private record Input(boolean left, long key, String payload, long ts, int arrival) {
        Row row() {
            return left ? new Row(new Object[] {key, payload, ts}) : new Row(new Object[] {key, payload});
        }
    }

    private record Output(Row key, Row value, long ts) {
        @Override
        public String toString() {
            return key + " " + value + " @" + ts;
        }
    }

    private static List<Input> randomInputs(long seed, int count, long ttl) {
        return randomInputs(seed, count, ttl, 4);
    }

    private static List<Input> randomInputs(long seed, int count, long ttl, int keys) {
        Random random = new Random(seed);
        List<Input> out = new ArrayList<>();
        long streamTime = 0;
        long time = 0;
        for (int i = 0; i < count; i++) {
            time += random.nextInt(4); // equal times are frequent
            long ts = Math.max(0, time - random.nextInt(ttl > 0 ? (int) (ttl + GRACE) + 3 : 30));
            if (ttl > 0 && ts + ttl + GRACE < streamTime) {
                continue; // the late guard stops it before the join
            }
            streamTime = Math.max(streamTime, ts);
            // few payloads: equal rows of one key and time must both be kept
            out.add(new Input(random.nextBoolean(), random.nextInt(keys), "p" + random.nextInt(3), ts, i));
        }
        return out;
    }

    private static List<Output> model(List<Input> inputs, long ttl, boolean stampLeft) {
        List<Output> out = new ArrayList<>();
        List<Input> seen = new ArrayList<>();
        for (Input in : inputs) {
            List<Input> partners = new ArrayList<>();
            for (Input s : seen) {
                if (s.left() != in.left() && s.key() == in.key() && (ttl == 0 || Math.abs(s.ts() - in.ts()) <= ttl)) {
                    partners.add(s);
                }
            }
            partners.sort(Comparator.comparingLong(Input::ts).thenComparingInt(Input::arrival));
            for (Input p : partners) {
                Input l = in.left() ? in : p;
                Input r = in.left() ? p : in;
                Row joined = new Row(new Object[] {l.key(), l.payload(), l.ts(), r.key(), r.payload()});
                out.add(new Output(new Row(new Object[] {in.key()}), joined, stampLeft ? l.ts() : Math.max(l.ts(), r.ts())));
            }
            seen.add(in);
        }
        return out;
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, boolean cached) {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> b = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray());
        return cached ? b.withCachingEnabled() : b;
    }

    /** Runs the processor pair over {@code inputs}; returns what it emitted and the rows each store kept. */
    private static Result run(List<Input> inputs, long ttl, boolean cached, boolean stampLeft) throws Exception {
        return run(inputs, ttl, cached, stampLeft, new Heads(JoinHeadCache.MAX_ENTRIES, -1, false));
    }

    /**
     * How the heap caches of heads are put to the test: their size ({@code entries}), and a restart
     * before input {@code restartAt} (none if negative) over the same stores, with the processors'
     * shared {@link JoinRowStores} kept ({@code revive}: a task revived in the same JVM, its store
     * objects reused) or new (another process).
     */
    private record Heads(int entries, int restartAt, boolean revive) {
    }

    /** A store that keeps its rows when closed: the state a restarted task finds again. */
    private static final class KeptStore extends InMemoryKeyValueStore {
        KeptStore(String name) {
            super(name);
        }

        @Override
        public void close() {
        }
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> kept(KeptStore store, boolean cached) {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> b = Stores.keyValueStoreBuilder(
                new org.apache.kafka.streams.state.KeyValueBytesStoreSupplier() {
                    @Override
                    public String name() {
                        return store.name();
                    }

                    @Override
                    public KeyValueStore<Bytes, byte[]> get() {
                        return store;
                    }

                    @Override
                    public String metricsScope() {
                        return "in-memory";
                    }
                }, Serdes.Bytes(), Serdes.ByteArray());
        return cached ? b.withCachingEnabled() : b;
    }

    private static Result run(List<Input> inputs, long ttl, boolean cached, boolean stampLeft, Heads heads)
            throws Exception {
        RegularInnerJoinProcessor.Layout layout = new RegularInnerJoinProcessor.Layout("j-left-rows-store",
                "j-right-rows-store", LEFT.size(), RIGHT.size(), stampLeft ? 2 : -1, -1, ttl, GRACE);
        BinaryRowSerde key = new BinaryRowSerde(KEY);
        JoinStreamTime time = new JoinStreamTime();
        JoinRowStores rows = new JoinRowStores(heads.entries());
        KeptStore keptLeft = new KeptStore("j-left-rows-store");
        KeptStore keptRight = new KeptStore("j-right-rows-store");
        Schema joined = LEFT.append(RIGHT.columns().get(0)).append(RIGHT.columns().get(1));
        String stateDir = Files.createTempDirectory("regular-inner-join").toString();
        List<List<Input>> runs = heads.restartAt() < 0 ? List.of(inputs)
                : List.of(inputs.subList(0, heads.restartAt()), inputs.subList(heads.restartAt(), inputs.size()));
        List<Output> emitted = new ArrayList<>();
        for (int run = 0; run < runs.size(); run++) {
            JoinRowStores shared = run == 0 || heads.revive() ? rows : new JoinRowStores(heads.entries());
            Topology topology = new Topology();
            topology.addSource("left", key.deserializer(), new BinaryRowSerde(LEFT).deserializer(), "left");
            topology.addSource("right", key.deserializer(), new BinaryRowSerde(RIGHT).deserializer(), "right");
            topology.addProcessor("left-join", () -> new RegularInnerJoinProcessor(RegularInnerJoinProcessor.Side.LEFT,
                    layout, key, new BinaryRowSerde(LEFT), new BinaryRowSerde(RIGHT), time, shared), "left");
            topology.addProcessor("right-join", () -> new RegularInnerJoinProcessor(
                    RegularInnerJoinProcessor.Side.RIGHT, layout, key, new BinaryRowSerde(RIGHT), new BinaryRowSerde(LEFT),
                    time, shared), "right");
            boolean restarts = heads.restartAt() >= 0;
            topology.addStateStore(restarts ? kept(keptLeft, cached) : store("j-left-rows-store", cached),
                    "left-join", "right-join");
            topology.addStateStore(restarts ? kept(keptRight, cached) : store("j-right-rows-store", cached),
                    "left-join", "right-join");
            topology.addSink("out", "out", key.serializer(), new BinaryRowSerde(joined).serializer(), "left-join",
                    "right-join");
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "regular-inner-join-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
            try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0))) {
                TestInputTopic<Row, Row> left = driver.createInputTopic("left", key.serializer(),
                        new BinaryRowSerde(LEFT).serializer());
                TestInputTopic<Row, Row> right = driver.createInputTopic("right", key.serializer(),
                        new BinaryRowSerde(RIGHT).serializer());
                TestOutputTopic<Row, Row> out = driver.createOutputTopic("out", key.deserializer(),
                        new BinaryRowSerde(joined).deserializer());
                for (Input in : runs.get(run)) {
                    (in.left() ? left : right).pipeInput(new Row(new Object[] {in.key()}), in.row(), in.ts());
                    for (TestRecord<Row, Row> r : out.readRecordsToList()) {
                        emitted.add(new Output(r.key(), r.value(), r.timestamp()));
                    }
                }
                if (run == runs.size() - 1) {
                    return stored(driver, emitted);
                }
            }
        }
        throw new AssertionError("unreachable");
    }

    /** The result of a run: what was emitted, and what the two stores keep at its end. */
    private static Result stored(TopologyTestDriver driver, List<Output> emitted) {
        List<Long> kept = new ArrayList<>();
        int entries = 0;
        for (String name : List.of("j-left-rows-store", "j-right-rows-store")) {
            KeyValueStore<Bytes, byte[]> s = driver.getKeyValueStore(name);
            int rows = 0;
            try (KeyValueIterator<Bytes, byte[]> all = s.all()) {
                while (all.hasNext()) {
                    KeyValue<Bytes, byte[]> e = all.next();
                    byte[] k = e.key.get();
                    entries++;
                    if (JoinRowKeys.isRow(k)) {
                        kept.add(JoinRowKeys.timestamp(k));
                        rows++;
                    } else if (JoinRowKeys.isHead(k)) {
                        if (e.value[0] == 1) { // a lone row, kept in its key's head
                            kept.add(ByteBuffer.wrap(e.value, 1, 8).getLong());
                        } else {
                            assertEquals(1, e.value.length, "a 'many' head holds no row");
                        }
                    }
                }
            }
            assertTrue(rows == 0 || rows >= 2, name + ": a lone row is kept in its head, not in a row entry");
        }
        kept.sort(Comparator.naturalOrder());
        return new Result(emitted, kept, entries);
    }

    /** What the join emitted, the event times of the rows both stores keep, and the stores' entry count. */
    private record Result(List<Output> emitted, List<Long> keptTimes, int entries) {
    }

    private static void assertSameChangelog(List<Output> expected, List<Output> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i).toString(), actual.get(i).toString(), what + ": output " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": number of joined rows");
    }

    @Test
    void unboundedJoinEmitsEveryPairInTimeAndArrivalOrderAndKeepsEveryRow() throws Exception {
        for (boolean cached : List.of(false, true)) {
            for (long seed = cached ? 2 : 1; seed <= (cached ? 3 : 2); seed++) {
                List<Input> inputs = randomInputs(seed, 200, 0);
                Result r = run(inputs, 0, cached, false);
                assertSameChangelog(model(inputs, 0, false), r.emitted(), "seed " + seed + " cache " + cached);
                assertEquals(inputs.size(), r.keptTimes().size(), "every row is kept for good");
            }
        }
    }

    @Test
    void stateTtlBoundsTheMatchesAndTheStores() throws Exception {
        long ttl = 20;
        for (boolean cached : List.of(false, true)) {
            for (long seed = cached ? 2 : 1; seed <= (cached ? 2 : 1); seed++) {
                List<Input> inputs = new ArrayList<>(randomInputs(seed, 300, ttl));
                long last = inputs.stream().mapToLong(Input::ts).max().orElseThrow();
                // a row far ahead on each side, of a key no one else has: each side's punctuation
                // then runs past every other row's reach
                long far = last + 10 * (2 * ttl + GRACE) + 2000;
                inputs.add(new Input(true, 99, "end", far, 100_000));
                inputs.add(new Input(false, 99, "end", far, 100_001));
                Result r = run(inputs, ttl, cached, true);
                assertSameChangelog(model(inputs, ttl, true), r.emitted(), "seed " + seed + " cache " + cached);
                assertEquals(List.of(far, far), r.keptTimes(), "only the last two rows can still be matched");
                assertEquals(6, r.entries(), "per store: the arrival counter, the format entry, one head");
            }
        }
    }

    /**
     * Many join keys with few rows each: keys go from no row to one (kept in the key's head) to
     * many (row entries) and, as the TTL expires rows, back to one and to none, on both sides.
     */
    @Test
    void keysWithOneRowAreReadFromTheirHeadThroughGrowthAndExpiry() throws Exception {
        long ttl = 15;
        for (boolean cached : List.of(false, true)) {
            for (long seed = cached ? 6 : 5; seed <= (cached ? 6 : 5); seed++) {
                List<Input> inputs = new ArrayList<>(randomInputs(seed, 300, ttl, 40));
                long last = inputs.stream().mapToLong(Input::ts).max().orElseThrow();
                long far = last + 10 * (2 * ttl + GRACE) + 2000;
                inputs.add(new Input(true, 99, "end", far, 100_000));
                inputs.add(new Input(false, 99, "end", far, 100_001));
                Result r = run(inputs, ttl, cached, false);
                assertSameChangelog(model(inputs, ttl, false), r.emitted(), "seed " + seed + " cache " + cached);
                assertEquals(List.of(far, far), r.keptTimes(), "only the last two rows can still be matched");
                assertEquals(6, r.entries(), "per store: the arrival counter, the format entry, one head");
            }
            List<Input> inputs = randomInputs(7, 200, 0, 60);
            Result r = run(inputs, 0, cached, true);
            assertSameChangelog(model(inputs, 0, true), r.emitted(), "unbounded, cache " + cached);
            assertEquals(inputs.size(), r.keptTimes().size(), "every row is kept for good");
        }
    }

    /**
     * The heap caches of heads ({@link JoinHeadCache}) stay equal to the stores: tiny caches over
     * many keys evict all the time, and a restart over the same stores (a revived task reusing its
     * store objects, or a new process) starts them empty, so the joined rows are the model's and,
     * with a TTL, the stores end with only the rows a record can still reach.
     */
    @Test
    void headCachesEvictAndRestartWithoutChangingTheJoin() throws Exception {
        long ttl = 15;
        for (boolean cached : List.of(false, true)) {
            for (boolean revive : List.of(false, true)) {
                long seed = 11 + (cached ? 2 : 0) + (revive ? 1 : 0);
                List<Input> inputs = new ArrayList<>(randomInputs(seed, 300, ttl, 30));
                long last = inputs.stream().mapToLong(Input::ts).max().orElseThrow();
                long far = last + 10 * (2 * ttl + GRACE) + 2000;
                inputs.add(new Input(true, 99, "end", far, 100_000));
                inputs.add(new Input(false, 99, "end", far, 100_001));
                String what = "seed " + seed + " cache " + cached + " revive " + revive;
                Result r = run(inputs, ttl, cached, false, new Heads(3, 150, revive));
                assertSameChangelog(model(inputs, ttl, false), r.emitted(), what);
                assertEquals(List.of(far, far), r.keptTimes(), what + ": only the last two rows can still be matched");
                assertEquals(6, r.entries(), what + ": per store: the arrival counter, the format entry, one head");
                List<Input> unbounded = randomInputs(seed, 200, 0, 25);
                Result u = run(unbounded, 0, cached, true, new Heads(revive ? 2 : JoinHeadCache.MAX_ENTRIES, 90, revive));
                assertSameChangelog(model(unbounded, 0, true), u.emitted(), "unbounded, " + what);
                assertEquals(unbounded.size(), u.keptTimes().size(), "unbounded, " + what + ": every row is kept");
            }
        }
    }

    @Test
    void headCacheEvictsItsLeastRecentlyUsedKeysByCountAndBytes() {
        JoinHeadCache byCount = new JoinHeadCache(2, Long.MAX_VALUE);
        JoinHeadCache.Key a = new JoinHeadCache.Key(JoinRowKeys.prefix(new byte[] {1}));
        JoinHeadCache.Key b = new JoinHeadCache.Key(JoinRowKeys.prefix(new byte[] {2}));
        JoinHeadCache.Key c = new JoinHeadCache.Key(JoinRowKeys.prefix(new byte[] {3}));
        byCount.put(a, new byte[] {2});
        byCount.put(b, JoinHeadCache.ABSENT);
        byCount.get(a); // b is now the least recently used
        byCount.put(c, new byte[] {2});
        assertEquals(2, byCount.size());
        assertTrue(byCount.get(b) == null && byCount.get(a) != null && byCount.get(c) != null);
        assertTrue(byCount.get(new JoinHeadCache.Key(JoinRowKeys.prefix(new byte[] {3}))) != null,
                "an equal prefix finds the entry");
        JoinHeadCache byBytes = new JoinHeadCache(100, 1000);
        byBytes.put(a, new byte[600]);
        byBytes.put(b, new byte[600]);
        assertEquals(1, byBytes.size(), "two 600-byte heads exceed 1000 bytes");
        assertTrue(byBytes.get(a) == null && byBytes.get(b) != null);
        byBytes.put(b, new byte[] {2});
        byBytes.put(a, JoinHeadCache.ABSENT);
        assertEquals(2, byBytes.size());
        assertTrue(byBytes.bytes() < 1000, "a replaced head's bytes are no longer counted");
        byBytes.clear();
        assertEquals(0, byBytes.bytes());
    }

    @Test
    void consecutiveBigintKeysGetDistinctHashes() {
        BinaryRowSerde key = new BinaryRowSerde(KEY);
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (long id = 1000; id < 11_000; id++) {
            hashes.add(new JoinHeadCache.Key(JoinRowKeys.prefix(key.serializer().serialize(null,
                    new Row(new Object[] {id})))).hashCode());
        }
        assertEquals(10_000, hashes.size());
    }

    @Test
    void expiryKeepsEveryRowARecordPassingTheLateGuardCanReach() throws Exception {
        long ttl = 10;
        // stream time reaches 1000; a right row at 1000 - ttl - grace is not late and meets a left
        // row at 1000 - 2 ttl - grace, which must still be there after the punctuation at 1000
        List<Input> inputs = List.of(
                new Input(true, 1, "old", 1000 - 2 * ttl - GRACE, 0),
                new Input(true, 2, "now", 1000, 1),
                new Input(false, 1, "late-but-not-too-late", 1000 - ttl - GRACE, 2));
        Result r = run(inputs, ttl, false, false);
        assertSameChangelog(model(inputs, ttl, false), r.emitted(), "edge of the reach");
        assertEquals(1, r.emitted().size());
    }

    @Test
    void arrivalNumbersContinueAboveEveryNumberInUseAfterARestart() {
        KeyValueStore<Bytes, byte[]> store = new InMemoryKeyValueStore("s");
        ArrivalSequence first = new ArrivalSequence(store);
        long last = -1;
        for (int i = 0; i < 10; i++) {
            last = first.next();
        }
        assertEquals(9, last);
        // a restarted task reads the reserved block's end back from the (restored) store
        ArrivalSequence restarted = new ArrivalSequence(store);
        long next = restarted.next();
        assertTrue(next > last, "continues above " + last + ", got " + next);
        assertEquals(ArrivalSequence.BLOCK, next);
        assertTrue(store.approximateNumEntries() == 1 && !JoinRowKeys.isRow(new byte[] {0}),
                "the counter is one entry that no row key equals");
    }

    @Test
    void rowKeysSortByJoinKeyThenTimeThenArrivalAndBoundTheirRange() {
        byte[] p = JoinRowKeys.prefix(new byte[] {7});
        byte[] longer = JoinRowKeys.prefix(new byte[] {7, 0});
        List<Bytes> keys = new ArrayList<>(List.of(JoinRowKeys.rowKey(p, 5, 2), JoinRowKeys.rowKey(p, -3, 9),
                JoinRowKeys.rowKey(p, 5, 1), JoinRowKeys.rowKey(p, Long.MAX_VALUE, 0)));
        keys.sort(Comparator.naturalOrder());
        assertEquals(List.of(-3L, 5L, 5L, Long.MAX_VALUE), keys.stream().map(k -> JoinRowKeys.timestamp(k.get())).toList());
        Bytes lower = JoinRowKeys.lowerBound(p, Long.MIN_VALUE);
        Bytes upper = JoinRowKeys.upperBound(p, Long.MAX_VALUE);
        for (Bytes k : keys) {
            assertTrue(k.compareTo(lower) >= 0 && k.compareTo(upper) <= 0);
        }
        Bytes other = JoinRowKeys.rowKey(longer, 5, 0);
        assertTrue(other.compareTo(lower) < 0 || other.compareTo(upper) > 0, "another join key is outside the range");
        KeyValue<Bytes, byte[]> unused = KeyValue.pair(other, new byte[0]);
        assertTrue(JoinRowKeys.isRow(unused.key.get()));
    }
}
