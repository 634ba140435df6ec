package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link RegularOuterJoinProcessor} (LEFT and FULL, rows kept for good) against an in-memory
 * model, with the record cache on and off: random rows on both sides over a few join keys, equal
 * rows and equal times included. After every record the table its changelog builds (key = join key
 * and the two rows' identities, a deletion removes its key) must hold what Flink's regular join
 * holds: every matching pair joined, and each row of a padded side that has met nothing, padded.
 * A deletion must remove a row the table holds, and an insert must not overwrite one.
 */
class RegularOuterJoinProcessorTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.BIGINT)));
    private static final Schema LEFT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("l", ScalarType.VARCHAR)));
    private static final Schema RIGHT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("r", ScalarType.VARCHAR)));
    private static final Schema OUT_KEY = KEY.append(new Column("left_row", ScalarType.BIGINT))
            .append(new Column("right_row", ScalarType.BIGINT));
    private static final Schema JOINED = LEFT.append(RIGHT.columns().get(0)).append(RIGHT.columns().get(1));

    private record Input(boolean left, long key, String payload, long ts) {
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, boolean cached) {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> b = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray());
        return cached ? b.withCachingEnabled() : b;
    }

    /** What the join's table holds after {@code seen}, as sorted row texts (Flink's regular join). */
    private static List<String> model(List<Input> seen, boolean full) {
        List<String> rows = new ArrayList<>();
        for (Input l : seen) {
            boolean matched = false;
            for (Input r : seen) {
                if (l.left() && !r.left() && l.key() == r.key()) {
                    rows.add(List.of(l.key(), l.payload(), r.key(), r.payload()).toString());
                    matched = true;
                }
            }
            if (l.left() && !matched) {
                rows.add(java.util.Arrays.asList(l.key(), l.payload(), null, null).toString());
            }
            if (!l.left() && full && seen.stream().noneMatch(o -> o.left() && o.key() == l.key())) {
                rows.add(java.util.Arrays.asList(null, null, l.key(), l.payload()).toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    private static void run(long seed, boolean full, boolean cached) throws Exception {
        BinaryRowSerde key = new BinaryRowSerde(KEY);
        Topology topology = new Topology();
        topology.addSource("left", key.deserializer(), new BinaryRowSerde(LEFT).deserializer(), "left");
        topology.addSource("right", key.deserializer(), new BinaryRowSerde(RIGHT).deserializer(), "right");
        topology.addProcessor("left-join", () -> new RegularOuterJoinProcessor(RegularOuterJoinProcessor.Side.LEFT,
                "j-left-store", "j-right-store", true, full, LEFT.size(), RIGHT.size(), 0, key,
                new BinaryRowSerde(LEFT), new BinaryRowSerde(RIGHT)), "left");
        topology.addProcessor("right-join", () -> new RegularOuterJoinProcessor(RegularOuterJoinProcessor.Side.RIGHT,
                "j-right-store", "j-left-store", full, true, LEFT.size(), RIGHT.size(), 0, key,
                new BinaryRowSerde(RIGHT), new BinaryRowSerde(LEFT)), "right");
        topology.addStateStore(store("j-left-store", cached), "left-join", "right-join");
        topology.addStateStore(store("j-right-store", cached), "left-join", "right-join");
        topology.addSink("out", "out", new BinaryRowSerde(OUT_KEY).serializer(), new BinaryRowSerde(JOINED).serializer(),
                "left-join", "right-join");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "regular-outer-join-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("regular-outer-join").toString());
        Random random = new Random(seed);
        List<Input> seen = new ArrayList<>();
        Map<Row, Row> table = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0))) {
            TestInputTopic<Row, Row> left = driver.createInputTopic("left", key.serializer(),
                    new BinaryRowSerde(LEFT).serializer());
            TestInputTopic<Row, Row> right = driver.createInputTopic("right", key.serializer(),
                    new BinaryRowSerde(RIGHT).serializer());
            TestOutputTopic<Row, Row> out = driver.createOutputTopic("out", new BinaryRowSerde(OUT_KEY).deserializer(),
                    new BinaryRowSerde(JOINED).deserializer());
            long time = 0;
            for (int i = 0; i < 100; i++) {
                time += random.nextInt(3);
                Input in = new Input(random.nextBoolean(), random.nextInt(4), "p" + random.nextInt(2),
                        Math.max(0, time - random.nextInt(5)));
                Row row = new Row(new Object[] {in.key(), in.payload()});
                (in.left() ? left : right).pipeInput(new Row(new Object[] {in.key()}), row, in.ts());
                seen.add(in);
                for (TestRecord<Row, Row> r : out.readRecordsToList()) {
                    String at = "seed " + seed + (full ? " FULL" : " LEFT") + " cache " + cached + " record " + i;
                    if (r.value() == null) {
                        assertNotNull(table.remove(r.key()), at + ": deletes " + r.key() + ", which it never inserted");
                    } else {
                        assertNull(table.put(r.key(), r.value()), at + ": inserts " + r.key() + " twice");
                    }
                }
                List<String> actual = new ArrayList<>(table.values().stream().map(v -> java.util.Arrays.asList(
                        v.toArray()).toString()).toList());
                actual.sort(null);
                assertEquals(model(seen, full), actual, "after record " + i + " " + in);
            }
        }
    }

    @Test
    void leftAndFullJoinsHoldFlinksRowsAfterEveryRecord() throws Exception {
        run(1, false, true);
        run(3, true, false);
    }
}
