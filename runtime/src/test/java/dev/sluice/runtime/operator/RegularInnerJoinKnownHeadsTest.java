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
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The key filter of a regular join's row stores ({@link JoinRowStore}, {@link KnownStoreKeys}):
 * a join key never written on a side is answered "no rows" without a read of that side's store,
 * and every key that was written is still found: written by the other side's processor (the two
 * share one filter per store, {@link JoinRowStores}), expired by the state TTL and written again,
 * and after a restart over a store restored from its changelog (no write in this life: the scan at
 * the first question finds it). A one-entry head cache sends nearly every lookup past the cache.
 * Both backends: RocksDB ({@code persistent}) and the heap ({@code hashmap}).
 */
class RegularInnerJoinKnownHeadsTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.BIGINT)));
    private static final Schema LEFT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("l", ScalarType.VARCHAR)));
    private static final Schema RIGHT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("r", ScalarType.VARCHAR)));
    private static final String LEFT_STORE = "j-left-rows-store";
    private static final String RIGHT_STORE = "j-right-rows-store";
    private static final long TTL = 10;

    /** One life of the join's task: its driver, inputs, output and the two counting stores. */
    private static final class Life implements AutoCloseable {
        final HeadReadCountingStore[] left = new HeadReadCountingStore[1];
        final HeadReadCountingStore[] right = new HeadReadCountingStore[1];
        final TopologyTestDriver driver;
        final TestInputTopic<Row, Row> leftIn;
        final TestInputTopic<Row, Row> rightIn;
        final TestOutputTopic<Row, Row> out;

        Life(boolean rocksdb) throws Exception {
            BinaryRowSerde key = new BinaryRowSerde(KEY);
            RegularInnerJoinProcessor.Layout layout = new RegularInnerJoinProcessor.Layout(LEFT_STORE, RIGHT_STORE,
                    LEFT.size(), RIGHT.size(), -1, -1, TTL, 5);
            JoinStreamTime time = new JoinStreamTime();
            JoinRowStores rows = new JoinRowStores(1);
            Topology topology = new Topology();
            topology.addSource("left", key.deserializer(), new BinaryRowSerde(LEFT).deserializer(), "left");
            topology.addSource("right", key.deserializer(), new BinaryRowSerde(RIGHT).deserializer(), "right");
            topology.addProcessor("left-join", () -> new RegularInnerJoinProcessor(RegularInnerJoinProcessor.Side.LEFT,
                    layout, key, new BinaryRowSerde(LEFT), new BinaryRowSerde(RIGHT), time, rows), "left");
            topology.addProcessor("right-join", () -> new RegularInnerJoinProcessor(RegularInnerJoinProcessor.Side.RIGHT,
                    layout, key, new BinaryRowSerde(RIGHT), new BinaryRowSerde(LEFT), time, rows), "right");
            for (String name : List.of(LEFT_STORE, RIGHT_STORE)) {
                KeyValueBytesStoreSupplier inner = rocksdb ? Stores.persistentKeyValueStore(name)
                        : Stores.inMemoryKeyValueStore(name);
                HeadReadCountingStore[] slot = name.equals(LEFT_STORE) ? left : right;
                topology.addStateStore(Stores.keyValueStoreBuilder(HeadReadCountingStore.supplier(inner, () -> slot),
                        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(), "left-join", "right-join");
            }
            Schema joined = LEFT.append(RIGHT.columns().get(0)).append(RIGHT.columns().get(1));
            topology.addSink("out", "out", key.serializer(), new BinaryRowSerde(joined).serializer(), "left-join",
                    "right-join");
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "regular-inner-join-known-heads-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("join-known-heads").toString());
            driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0));
            leftIn = driver.createInputTopic("left", key.serializer(), new BinaryRowSerde(LEFT).serializer());
            rightIn = driver.createInputTopic("right", key.serializer(), new BinaryRowSerde(RIGHT).serializer());
            out = driver.createOutputTopic("out", key.deserializer(), new BinaryRowSerde(joined).deserializer());
        }

        void left(long k, String payload, long ts) {
            leftIn.pipeInput(new Row(new Object[] {k}), new Row(new Object[] {k, payload}), ts);
        }

        void right(long k, String payload, long ts) {
            rightIn.pipeInput(new Row(new Object[] {k}), new Row(new Object[] {k, payload}), ts);
        }

        /** The joined rows emitted since the last call, as "key left right". */
        List<String> joined() {
            List<String> rows = new ArrayList<>();
            for (KeyValue<Row, Row> kv : out.readKeyValuesToList()) {
                rows.add(kv.value.get(0) + " " + kv.value.get(1) + " " + kv.value.get(3));
            }
            return rows;
        }

        /** Every entry of {@code store}: what its compacted changelog holds and a restore writes back. */
        Map<Bytes, byte[]> entries(String store) {
            Map<Bytes, byte[]> entries = new TreeMap<>();
            KeyValueStore<Bytes, byte[]> s = driver.getKeyValueStore(store);
            try (KeyValueIterator<Bytes, byte[]> all = s.all()) {
                all.forEachRemaining(e -> entries.put(e.key, e.value));
            }
            return entries;
        }

        void restore(String store, Map<Bytes, byte[]> entries) {
            KeyValueStore<Bytes, byte[]> s = driver.getKeyValueStore(store);
            entries.forEach(s::put);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    @ParameterizedTest(name = "rocksdb {0}")
    @ValueSource(booleans = {true, false})
    void keysNeverWrittenAreNotReadAndWrittenOnesAreAlwaysFound(boolean rocksdb) throws Exception {
        Map<Bytes, byte[]> leftEntries;
        Map<Bytes, byte[]> rightEntries;
        try (Life life = new Life(rocksdb)) {
            for (long k = 1; k <= 40; k++) {
                life.left(k, "L" + k, 100);
            }
            assertEquals(0, life.left[0].headReads(), "40 new left keys: no read of their own heads");
            assertEquals(0, life.right[0].headReads(), "nor of the other side's, which has none");
            List<String> expected = new ArrayList<>();
            for (long k = 1; k <= 40; k++) {
                life.right(k, "R" + k, 105);
                expected.add(k + " L" + k + " R" + k);
            }
            assertEquals(expected, life.joined(), "each right row finds the left row the left processor wrote");
            assertEquals(0, life.right[0].headReads(), "40 new right keys: no read of their own heads");
            long leftReads = life.left[0].headReads();
            for (long k = 1001; k <= 1040; k++) {
                life.right(k, "R" + k, 106);
            }
            assertEquals(List.of(), life.joined());
            assertEquals(leftReads, life.left[0].headReads(), "keys never written on the left are not read there");

            life.left(2000, "L2000", 5000); // stream time 5000: both sides expire every row before 4975
            life.right(1, "R1b", 5000);
            assertEquals(List.of(), life.joined(), "key 1's left row expired");
            life.left(1, "L1b", 5001);
            life.right(2000, "R2000", 5002);
            assertEquals(List.of("1 L1b R1b", "2000 L2000 R2000"), life.joined(), "keys written again after expiry");
            leftEntries = life.entries(LEFT_STORE);
            rightEntries = life.entries(RIGHT_STORE);
            assertEquals(4, leftEntries.size(), "the counter, the format entry, the heads of keys 1 and 2000");
        }
        try (Life restarted = new Life(rocksdb)) {
            restarted.restore(LEFT_STORE, leftEntries);
            restarted.restore(RIGHT_STORE, rightEntries);
            restarted.right(2000, "R2000b", 5003);
            restarted.left(1, "L1c", 5003);
            assertEquals(List.of("2000 L2000 R2000b", "1 L1c R1b"), restarted.joined(),
                    "restored keys are found by the scan at the first question");
            long leftReads = restarted.left[0].headReads();
            restarted.right(3000, "R3000", 5004);
            assertEquals(List.of(), restarted.joined());
            assertEquals(leftReads, restarted.left[0].headReads(), "a key never written is not read after a restore");
        }
    }
}
