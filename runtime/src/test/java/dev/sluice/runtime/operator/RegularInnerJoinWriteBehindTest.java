package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A regular inner join whose row stores are written behind until each commit (the stores
 * {@link JoinRowStores#store} builds, with {@link CommitBatchedKeyValueStore}) emits what the join over
 * stores written through ({@link StateBackend#keyValue}, the layout before) emits: the same rows in
 * the same order with the same timestamps, on RocksDB and on the heap. Both processors run in a mock
 * task context so that many records meet between two commits (TopologyTestDriver commits after every
 * record); the run with write-behind also commits at random points, restarts (new processors and
 * {@link JoinRowStores} over the same stores after a commit, as a task that moves) and crashes (its
 * uncommitted work thrown away, as Kafka Streams does under exactly-once: the records since the last
 * commit are processed again and what they emitted before is not counted), with and without a TTL.
 */
class RegularInnerJoinWriteBehindTest {
    private static final Schema KEY = new Schema(List.of(new Column("k", ScalarType.BIGINT)));
    private static final Schema LEFT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("l", ScalarType.VARCHAR)));
    private static final Schema RIGHT = new Schema(List.of(new Column("k", ScalarType.BIGINT),
            new Column("r", ScalarType.VARCHAR)));
    private static final long GRACE = 5;

    private sealed interface Action permits Input, Commit, Restart, Crash, Punctuate {
    }

    private record Input(boolean left, long key, String payload, long ts) implements Action {
        Row row() {
            return new Row(new Object[] {key, payload});
        }
    }

    private record Commit() implements Action {
    }

    private record Restart() implements Action {
    }

    private record Crash() implements Action {
    }

    private record Punctuate(long streamTime) implements Action {
    }

    private static List<Action> plan(long seed, int count, long ttl) {
        Random random = new Random(seed);
        List<Action> out = new ArrayList<>();
        long time = 0;
        long streamTime = 0;
        for (int i = 0; i < count; i++) {
            int dice = random.nextInt(100);
            if (dice < 6) {
                out.add(new Commit());
            } else if (dice < 8) {
                out.add(new Restart());
            } else if (dice < 10) {
                out.add(new Crash());
            } else if (dice < 13 && ttl > 0) {
                out.add(new Punctuate(streamTime));
            } else {
                time += random.nextInt(4);
                long ts = Math.max(0, time - random.nextInt(ttl > 0 ? (int) (ttl + GRACE) + 3 : 30));
                if (ttl > 0 && ts + ttl + GRACE < streamTime) {
                    continue; // the late guard stops it before the join
                }
                streamTime = Math.max(streamTime, ts);
                out.add(new Input(random.nextBoolean(), random.nextInt(5), "p" + random.nextInt(3), ts));
            }
        }
        return out;
    }

    /** Both processors of one join in a mock task over two stores, with the task's commit and restarts. */
    private static final class JoinTask {
        final RegularInnerJoinProcessor.Layout layout;
        final boolean writeBehind;
        final KeyValueStore<Bytes, byte[]> leftStore;
        final KeyValueStore<Bytes, byte[]> rightStore;
        final MockProcessorContext<Row, Row> context;
        final List<String> committed = new ArrayList<>();
        final List<String> sinceCommit = new ArrayList<>();
        final List<Input> inputsSinceCommit = new ArrayList<>();
        RegularInnerJoinProcessor left;
        RegularInnerJoinProcessor right;

        JoinTask(StateBackend backend, boolean writeBehind, long ttl) throws Exception {
            this.writeBehind = writeBehind;
            layout = new RegularInnerJoinProcessor.Layout("j-left-rows-store", "j-right-rows-store", LEFT.size(),
                    RIGHT.size(), -1, -1, ttl, GRACE);
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-behind-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            java.io.File stateDir = Files.createTempDirectory("write-behind").toFile();
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir);
            leftStore = build(backend, layout.leftStore());
            rightStore = build(backend, layout.rightStore());
            start();
        }

        private KeyValueStore<Bytes, byte[]> build(StateBackend backend, String name) {
            var builder = writeBehind ? JoinRowStores.store(name, backend) : backend.keyValue(name);
            KeyValueStore<Bytes, byte[]> store = builder.withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            return store;
        }

        /** New processors and shared row stores over the same stores: a task started again. */
        void start() {
            JoinStreamTime time = new JoinStreamTime();
            JoinRowStores rows = new JoinRowStores(3); // a tiny head cache: most head reads miss it
            BinaryRowSerde key = new BinaryRowSerde(KEY);
            left = new RegularInnerJoinProcessor(RegularInnerJoinProcessor.Side.LEFT, layout, key,
                    new BinaryRowSerde(LEFT), new BinaryRowSerde(RIGHT), time, rows);
            right = new RegularInnerJoinProcessor(RegularInnerJoinProcessor.Side.RIGHT, layout, key,
                    new BinaryRowSerde(RIGHT), new BinaryRowSerde(LEFT), time, rows);
            context.resetForwards();
            left.init(context);
            right.init(context);
        }

        void process(Input in) {
            (in.left() ? left : right).process(new Record<>(new Row(new Object[] {in.key()}), in.row(), in.ts()));
            for (var f : context.forwarded()) {
                sinceCommit.add(f.record().key() + " " + f.record().value() + " @" + f.record().timestamp());
            }
            context.resetForwards();
            inputsSinceCommit.add(in);
        }

        /** What {@code StreamTask#prepareCommit} does to the stores: flush their caches (the waiting rows). */
        void commit() {
            ((CachedStateStore<?, ?>) leftStore).flushCache();
            ((CachedStateStore<?, ?>) rightStore).flushCache();
            committed.addAll(sinceCommit);
            sinceCommit.clear();
            inputsSinceCommit.clear();
        }

        /** A task closed dirty and revived: its uncommitted rows dropped, its records since the commit again. */
        void crash() {
            ((CachedStateStore<?, ?>) leftStore).clearCache();
            ((CachedStateStore<?, ?>) rightStore).clearCache();
            sinceCommit.clear();
            List<Input> again = new ArrayList<>(inputsSinceCommit);
            inputsSinceCommit.clear();
            left.close();
            right.close();
            start();
            again.forEach(this::process);
        }

        void punctuate(long streamTime) {
            // the current processors' schedules only: the mock context keeps those of closed ones too
            var scheduled = context.scheduledPunctuators();
            for (var p : scheduled.subList(Math.max(0, scheduled.size() - 2), scheduled.size())) {
                p.getPunctuator().punctuate(streamTime);
            }
            for (var f : context.forwarded()) {
                sinceCommit.add(f.record().key() + " " + f.record().value() + " @" + f.record().timestamp());
            }
            context.resetForwards();
        }

        List<String> finish() {
            commit();
            leftStore.close();
            rightStore.close();
            return committed;
        }
    }

    @ParameterizedTest(name = "{0} ttl {1} seed {2}")
    @CsvSource({
            "ROCKSDB, 0, 1", "ROCKSDB, 0, 2", "ROCKSDB, 10, 3", "ROCKSDB, 10, 4",
            "HASHMAP, 0, 5", "HASHMAP, 0, 6", "HASHMAP, 10, 7", "HASHMAP, 10, 8"})
    void sameOrderedRowsAsTheStoresWrittenThrough(StateBackend backend, long ttl, long seed) throws Exception {
        List<Action> plan = plan(seed, 1500, ttl);
        JoinTask through = new JoinTask(backend, false, ttl);
        JoinTask behind = new JoinTask(backend, true, ttl);
        for (Action action : plan) {
            if (action instanceof Input in) {
                through.process(in);
                behind.process(in);
            } else if (action instanceof Commit) {
                behind.commit();
            } else if (action instanceof Restart) {
                behind.commit();
                behind.left.close();
                behind.right.close();
                behind.start();
            } else if (action instanceof Crash) {
                behind.crash();
            } else if (action instanceof Punctuate p) {
                // expiry runs at the same point of both; it writes the held rows first, which these
                // kept stores could not take back at a crash (Kafka Streams wipes them): a commit here
                through.punctuate(p.streamTime());
                behind.punctuate(p.streamTime());
                behind.commit();
            }
        }
        List<String> expected = through.finish();
        List<String> actual = behind.finish();
        assertTrue(expected.size() > 500, "the plan joins enough rows to say something: " + expected.size());
        assertEquals(expected, actual);
    }
}
