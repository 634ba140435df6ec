package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CommitBatchedKeyValueStore} over an in-memory store: reads see the waiting writes, the store
 * below holds them only after {@code flushCache} (the commit), {@code clearCache} (a discarded
 * task) drops them, whole-store scans and the waiting bound write them first. Random operations
 * against a map model of what was committed and what waits; on both backends (RocksDB's byte order
 * must be the waiting map's), key ranges, reverse ranges and prefix scans merge the waiting writes
 * and deletions with the store's entries, in order, without writing them.
 */
class CommitBatchedKeyValueStoreTest {
    /** The bound of the tests that do not reach it: the distinct store's. */
    private static final int BOUND = DistinctValues.MAX_WAITING;

    private static Bytes key(int k) {
        return Bytes.wrap(("k" + k).getBytes(StandardCharsets.UTF_8));
    }

    private static CommitBatchedKeyValueStore open(CommitBatchedKeyValueStore.Reads reads) {
        KeyValueStore<Bytes, byte[]> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        CommitBatchedKeyValueStore store = new CommitBatchedKeyValueStore(inner, BOUND, reads);
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static CommitBatchedKeyValueStore open(StateBackend backend, CommitBatchedKeyValueStore.Reads reads)
            throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "commit-batched-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        java.io.File stateDir = Files.createTempDirectory("commit-batched").toFile();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir);
        KeyValueStore<Bytes, byte[]> inner = backend.keyValue("s").withLoggingDisabled().withCachingDisabled().build();
        CommitBatchedKeyValueStore store = new CommitBatchedKeyValueStore(inner, BOUND, reads);
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static Map<Bytes, byte[]> below(CommitBatchedKeyValueStore store) {
        Map<Bytes, byte[]> entries = new HashMap<>();
        try (var it = store.wrapped().all()) {
            it.forEachRemaining(kv -> entries.put(kv.key, kv.value));
        }
        return entries;
    }

    private static void assertSameEntries(Map<Bytes, byte[]> expected, Map<Bytes, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), what + " " + k));
    }

    @ParameterizedTest
    @EnumSource(CommitBatchedKeyValueStore.Reads.class)
    void readsSeeWaitingWritesAndTheCommitWritesThem(CommitBatchedKeyValueStore.Reads reads) {
        Random random = new Random(7);
        CommitBatchedKeyValueStore store = open(reads);
        Map<Bytes, byte[]> committed = new HashMap<>();
        Map<Bytes, byte[]> current = new HashMap<>();
        for (int step = 0; step < 5000; step++) {
            Bytes k = key(random.nextInt(50));
            switch (random.nextInt(10)) {
                case 0 -> {
                    assertArrayEquals(current.get(k), store.delete(k), "delete returns the current value");
                    current.remove(k);
                }
                case 1 -> {
                    store.flushCache();
                    committed = new HashMap<>(current);
                }
                case 2 -> {
                    store.clearCache();
                    current = new HashMap<>(committed);
                }
                case 3 -> {
                    byte[] v = {(byte) step};
                    byte[] before = store.putIfAbsent(k, v);
                    assertArrayEquals(current.get(k), before);
                    current.putIfAbsent(k, v);
                }
                case 4 -> {
                    List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
                    entries.add(KeyValue.pair(k, new byte[] {(byte) step, 1}));
                    entries.add(KeyValue.pair(key(random.nextInt(50)), null));
                    store.putAll(entries);
                    for (KeyValue<Bytes, byte[]> e : entries) {
                        if (e.value == null) {
                            current.remove(e.key);
                        } else {
                            current.put(e.key, e.value);
                        }
                    }
                }
                default -> {
                    byte[] v = {(byte) step, 2};
                    store.put(k, v);
                    current.put(k, v);
                }
            }
            assertArrayEquals(current.get(k), store.get(k), "step " + step);
            assertSameEntries(committed, below(store), "below the layer, step " + step);
        }
        // a scan writes what waits first, and reads everything
        Map<Bytes, byte[]> scanned = new HashMap<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> scanned.put(kv.key, kv.value));
        }
        assertSameEntries(current, scanned, "all()");
        assertSameEntries(current, below(store), "after the scan");
        store.close();
    }

    /** The keys of the scan test: "k0".."k49" (k1 before k10) and ten that start with a byte above 0x7F. */
    private static Bytes scanKey(int k) {
        return k < 50 ? key(k) : Bytes.wrap(new byte[] {(byte) (k < 55 ? 0x80 : 0xFF), (byte) (k % 5)});
    }

    /** Prefixes that match many keys, one, none, and keys past 0x7F (none is all 0xFF: no store scans that). */
    private static final List<byte[]> PREFIXES = List.of("k".getBytes(StandardCharsets.UTF_8),
            "k1".getBytes(StandardCharsets.UTF_8), "k40".getBytes(StandardCharsets.UTF_8),
            "j".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF, 2});

    private static List<KeyValue<Bytes, byte[]>> read(KeyValueIterator<Bytes, byte[]> iterator) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                Bytes peeked = iterator.peekNextKey();
                KeyValue<Bytes, byte[]> next = iterator.next();
                assertEquals(peeked, next.key, "peekNextKey is the next key");
                out.add(next);
            }
        }
        return out;
    }

    private static void assertSameOrderedEntries(List<Map.Entry<Bytes, byte[]>> expected,
                                                 List<KeyValue<Bytes, byte[]>> actual, String what) {
        assertEquals(expected.stream().map(Map.Entry::getKey).toList(), actual.stream().map(kv -> kv.key).toList(),
                what);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).getValue(), actual.get(i).value, what + " " + expected.get(i).getKey());
        }
    }

    private static boolean sameEntries(List<Map.Entry<Bytes, byte[]>> a, List<Map.Entry<Bytes, byte[]>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getKey().equals(b.get(i).getKey())
                    || !Arrays.equals(a.get(i).getValue(), b.get(i).getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The model's entries in [from, to] (null: unbounded), none when from is past to. */
    private static NavigableMap<Bytes, byte[]> between(NavigableMap<Bytes, byte[]> model, Bytes from, Bytes to) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            return new TreeMap<>();
        }
        NavigableMap<Bytes, byte[]> range = from == null ? model : model.tailMap(from, true);
        return to == null ? range : range.headMap(to, true);
    }

    private static Bytes boundOrNull(Random random) {
        return random.nextInt(8) == 0 ? null : scanKey(random.nextInt(60));
    }

    /** A random reverse key range of {@code store} against the model {@code current}. */
    private static void assertReverseRange(CommitBatchedKeyValueStore store, TreeMap<Bytes, byte[]> current,
                                           Random random, int step) {
        Bytes from = boundOrNull(random);
        Bytes to = boundOrNull(random);
        assertSameOrderedEntries(new ArrayList<>(between(current, from, to).descendingMap().entrySet()),
                read(store.reverseRange(from, to)), "reverse range " + from + " " + to + " at step " + step);
    }

    /** A random prefix scan of {@code store} against the model {@code current}. */
    private static void assertPrefixScan(CommitBatchedKeyValueStore store, TreeMap<Bytes, byte[]> current,
                                         Random random, int step) {
        byte[] prefix = PREFIXES.get(random.nextInt(PREFIXES.size()));
        List<Map.Entry<Bytes, byte[]>> expected = current.entrySet().stream()
                .filter(e -> e.getKey().get().length >= prefix.length
                        && Arrays.equals(e.getKey().get(), 0, prefix.length, prefix, 0, prefix.length))
                .toList();
        assertSameOrderedEntries(expected, read(store.prefixScan(prefix, new ByteArraySerializer())),
                "prefix " + Bytes.wrap(prefix) + " at step " + step);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void rangesMergeTheWaitingWritesInTheStoresByteOrder(StateBackend backend) throws Exception {
        Random random = new Random(11);
        CommitBatchedKeyValueStore store = open(backend, CommitBatchedKeyValueStore.Reads.RANGES);
        TreeMap<Bytes, byte[]> committed = new TreeMap<>();
        TreeMap<Bytes, byte[]> current = new TreeMap<>();
        int changedByWaiting = 0;
        for (int step = 0; step < 6000; step++) {
            Bytes k = scanKey(random.nextInt(60));
            int op = random.nextInt(20);
            if (op < 6) {
                byte[] v = {(byte) step, (byte) (step >> 8)};
                store.put(k, v);
                current.put(k, v);
            } else if (op < 9) {
                assertArrayEquals(current.get(k), store.delete(k), "delete returns the current value");
                current.remove(k);
            } else if (op == 9) {
                store.flushCache();
                committed = new TreeMap<>(current);
            } else if (op == 10 && random.nextInt(3) == 0) {
                store.clearCache();
                current = new TreeMap<>(committed);
            } else if (op < 14) {
                Bytes from = boundOrNull(random);
                Bytes to = boundOrNull(random);
                List<Map.Entry<Bytes, byte[]>> expected = new ArrayList<>(between(current, from, to).entrySet());
                if (!sameEntries(expected, new ArrayList<>(between(committed, from, to).entrySet()))) {
                    changedByWaiting++;
                }
                assertSameOrderedEntries(expected, read(store.range(from, to)),
                        "range " + from + " " + to + " at step " + step);
            } else if (op < 17) {
                assertReverseRange(store, current, random, step);
            } else {
                assertPrefixScan(store, current, random, step);
            }
            assertArrayEquals(current.get(k), store.get(k), "step " + step);
            // the key-range scans read the waiting writes without writing them
            assertSameEntries(committed, below(store), "below the layer, step " + step);
        }
        assertTrue(changedByWaiting > 300, "waiting writes changed the answer of many ranges: " + changedByWaiting);
        List<KeyValue<Bytes, byte[]>> all = read(store.reverseAll());
        assertSameOrderedEntries(new ArrayList<>(current.descendingMap().entrySet()), all, "reverseAll()");
        assertSameEntries(current, below(store), "a whole-store scan writes what waits first");
        store.close();
    }

    /**
     * A store read by key only keeps its waiting writes unordered: a range, which its reader never
     * asks, is still right, because it writes what waits first (as a whole-store scan does).
     */
    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aPointReadStoreAnswersRangesAfterWritingWhatWaits(StateBackend backend) throws Exception {
        Random random = new Random(13);
        CommitBatchedKeyValueStore store = open(backend, CommitBatchedKeyValueStore.Reads.POINT);
        TreeMap<Bytes, byte[]> current = new TreeMap<>();
        for (int step = 0; step < 3000; step++) {
            Bytes k = scanKey(random.nextInt(60));
            int op = random.nextInt(10);
            if (op < 5) {
                byte[] v = {(byte) step, (byte) (step >> 8)};
                store.put(k, v);
                current.put(k, v);
            } else if (op < 7) {
                assertArrayEquals(current.get(k), store.delete(k), "delete returns the current value");
                current.remove(k);
            } else if (op == 7) {
                Bytes from = boundOrNull(random);
                Bytes to = boundOrNull(random);
                assertSameOrderedEntries(new ArrayList<>(between(current, from, to).entrySet()),
                        read(store.range(from, to)), "range " + from + " " + to + " at step " + step);
                assertEquals(0, store.waitingKeys(), "a range wrote what waited");
            } else if (op == 8) {
                assertReverseRange(store, current, random, step);
            } else {
                assertPrefixScan(store, current, random, step);
            }
            assertArrayEquals(current.get(k), store.get(k), "step " + step);
        }
        store.close();
    }

    @ParameterizedTest
    @EnumSource(CommitBatchedKeyValueStore.Reads.class)
    void pastTheBoundTheWritesGoThrough(CommitBatchedKeyValueStore.Reads reads) {
        CommitBatchedKeyValueStore store = open(reads);
        for (int k = 0; k <= BOUND; k++) {
            store.put(key(k), new byte[] {1});
        }
        assertEquals(0, store.waitingKeys());
        assertEquals(BOUND + 1, below(store).size());
        store.put(key(-1), new byte[] {2});
        assertEquals(1, store.waitingKeys());
        assertNull(store.wrapped().get(key(-1)));
        store.close();
    }
}
