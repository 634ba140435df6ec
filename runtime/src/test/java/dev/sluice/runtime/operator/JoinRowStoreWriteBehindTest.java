package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A regular join's row store written behind ({@link JoinRowStore} over
 * {@link CommitBatchedKeyValueStore}, as {@link JoinRowStores#store} builds it) answers every lookup
 * as the store written through does: random rows of a few join keys (equal times, lone rows and
 * many), lookups over random time spans, commits ({@code flushCache}) at random points, uncommitted
 * work thrown away ({@code clearCache}, the written-through store put back to its last commit, both
 * read by new instances as a revived task's processors open them), and expiry followed by a commit,
 * with a head cache of two keys so that most head reads miss it and meet the waiting heads. After
 * each commit the two stores hold the same entries, byte for byte.
 */
class JoinRowStoreWriteBehindTest {
    private record Seen(long timestamp, String row) {
    }

    private static List<Seen> rows(JoinRowStore store, byte[] prefix, long from, long to) {
        List<Seen> out = new ArrayList<>();
        store.forEach(prefix, from, to, (ts, row) -> out.add(new Seen(ts, new String(row))));
        return out;
    }

    private static List<KeyValue<Bytes, byte[]>> entries(KeyValueStore<Bytes, byte[]> store) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(out::add);
        }
        return out;
    }

    private static void assertSameEntries(KeyValueStore<Bytes, byte[]> expected, KeyValueStore<Bytes, byte[]> actual) {
        List<KeyValue<Bytes, byte[]>> e = entries(expected);
        List<KeyValue<Bytes, byte[]>> a = entries(actual);
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).key, a.get(i).key);
            assertEquals(Bytes.wrap(e.get(i).value), Bytes.wrap(a.get(i).value), "value of " + e.get(i).key);
        }
    }

    /** A copy of {@code store}'s entries: the state its last commit left. */
    private static InMemoryKeyValueStore copy(KeyValueStore<Bytes, byte[]> store, String name) {
        InMemoryKeyValueStore out = new InMemoryKeyValueStore(name);
        entries(store).forEach(e -> out.put(e.key, e.value));
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void lookupsAndCommittedEntriesEqualTheStoreWrittenThrough(long seed) {
        Random random = new Random(seed);
        InMemoryKeyValueStore throughStore = new InMemoryKeyValueStore("through");
        InMemoryKeyValueStore behindStore = new InMemoryKeyValueStore("behind");
        CommitBatchedKeyValueStore batched = new CommitBatchedKeyValueStore(behindStore, JoinRowStores.MAX_WAITING);
        JoinRowStore through = new JoinRowStore(throughStore, "through", new JoinHeadCache(2, 1 << 20));
        JoinRowStore behind = new JoinRowStore(batched, "behind", new JoinHeadCache(2, 1 << 20));
        through.checkFormat();
        behind.checkFormat();
        batched.flushCache(); // the first record's commit: the format entry
        InMemoryKeyValueStore committed = copy(throughStore, "committed");
        long arrival = 0;
        int held = 0;
        for (int step = 0; step < 3000; step++) {
            byte[] prefix = JoinRowKeys.prefix(new byte[] {(byte) random.nextInt(6)});
            int op = random.nextInt(100);
            if (op < 50) {
                long ts = random.nextInt(40);
                byte[] row = ("r" + step).getBytes();
                through.add(prefix, ts, arrival, row);
                behind.add(prefix, ts, arrival++, row);
                held++;
            } else if (op < 90) {
                long from = random.nextInt(50) - 5;
                long to = random.nextBoolean() ? Long.MAX_VALUE : from + random.nextInt(20);
                if (random.nextInt(4) == 0) {
                    from = Long.MIN_VALUE;
                }
                assertEquals(rows(through, prefix, from, to), rows(behind, prefix, from, to), "step " + step);
            } else if (op < 96) {
                batched.flushCache();
                assertSameEntries(throughStore, behindStore);
                committed = copy(throughStore, "committed");
                held = 0;
            } else if (op < 98 && held > 0) {
                // the task's uncommitted work is thrown away: both stores are as the last commit left them
                batched.clearCache();
                behind = new JoinRowStore(batched, "behind", new JoinHeadCache(2, 1 << 20));
                behind.checkFormat();
                throughStore = copy(committed, "through");
                through = new JoinRowStore(throughStore, "through", new JoinHeadCache(2, 1 << 20));
                through.checkFormat();
                assertSameEntries(throughStore, behindStore);
                held = 0;
            } else {
                long before = random.nextInt(30);
                through.expire(before);
                behind.expire(before); // writes what waits first; its deletions wait: a commit here
                batched.flushCache();
                assertSameEntries(throughStore, behindStore);
                committed = copy(throughStore, "committed");
                held = 0;
            }
        }
        batched.flushCache();
        assertSameEntries(throughStore, behindStore);
    }

    @ParameterizedTest
    @ValueSource(ints = {JoinRowStores.MAX_WAITING - 1, JoinRowStores.MAX_WAITING})
    void holdsNoMoreThanItsBoundBeforeACommit(int rows) {
        InMemoryKeyValueStore store = new InMemoryKeyValueStore("bounded");
        JoinRowStore behind = new JoinRowStore(new CommitBatchedKeyValueStore(store, JoinRowStores.MAX_WAITING),
                "bounded", new JoinHeadCache());
        byte[] prefix = JoinRowKeys.prefix(new byte[] {1});
        for (int i = 0; i < rows; i++) {
            behind.add(prefix, i, i, new byte[] {1});
        }
        // a head and its rows: held up to the bound, then all written at once
        long expected = rows + 1 > JoinRowStores.MAX_WAITING ? rows + 1 : 0;
        assertEquals(expected, store.approximateNumEntries());
        assertEquals(rows, rows(behind, prefix, Long.MIN_VALUE, Long.MAX_VALUE).size());
    }
}
