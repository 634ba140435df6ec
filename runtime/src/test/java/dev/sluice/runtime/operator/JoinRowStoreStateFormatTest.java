package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A regular inner join's row store is format 23 ({@link JoinRowStore}: a head per join key, a lone
 * row inside it). A store of the layout before it (row entries only, as a task restored from an
 * older changelog has it) is upgraded on the first record and then reads its rows as before; a store
 * of a format this version does not know is refused with a message that names both formats.
 */
class JoinRowStoreStateFormatTest {
    private static final byte[] ONE = JoinRowKeys.prefix(new byte[] {1});
    private static final byte[] THREE = JoinRowKeys.prefix(new byte[] {3});

    private record Seen(long timestamp, String row) {
    }

    private static List<Seen> rows(JoinRowStore store, byte[] prefix) {
        List<Seen> out = new ArrayList<>();
        store.forEach(prefix, Long.MIN_VALUE, Long.MAX_VALUE, (ts, row) -> out.add(new Seen(ts, new String(row))));
        return out;
    }

    @Test
    void rowsWithoutHeadsAreUpgradedInPlaceAndReadAsBefore() {
        KeyValueStore<Bytes, byte[]> old = new InMemoryKeyValueStore("old");
        ArrivalSequence arrivals = new ArrivalSequence(old); // the layout before 23 had the counter, no format entry
        old.put(JoinRowKeys.rowKey(ONE, 10, arrivals.next()), "a".getBytes());
        old.put(JoinRowKeys.rowKey(THREE, 7, arrivals.next()), "b".getBytes());
        old.put(JoinRowKeys.rowKey(THREE, 5, arrivals.next()), "c".getBytes());
        old.put(JoinRowKeys.rowKey(THREE, 7, arrivals.next()), "d".getBytes());

        JoinRowStore store = new JoinRowStore(old, "old");
        store.checkFormat();
        assertArrayEquals(new byte[] {JoinRowStore.FORMAT}, old.get(JoinRowStore.FORMAT_KEY));
        assertEquals(List.of(new Seen(10, "a")), rows(store, ONE));
        assertEquals(List.of(new Seen(5, "c"), new Seen(7, "b"), new Seen(7, "d")), rows(store, THREE));
        // counter, format entry, two heads (the lone row moved into its head), three row entries
        assertEquals(7, old.approximateNumEntries());

        // the upgraded store goes on: a second row of key 1 leaves the head for row entries
        store.add(ONE, 3, arrivals.next(), "e".getBytes());
        assertEquals(List.of(new Seen(3, "e"), new Seen(10, "a")), rows(store, ONE));
        store.expire(6);
        assertEquals(List.of(new Seen(10, "a")), rows(store, ONE));
        assertEquals(List.of(new Seen(7, "b"), new Seen(7, "d")), rows(store, THREE));
        assertEquals(6, old.approximateNumEntries(), "key 1's survivor is back in its head");
        store.expire(100);
        assertEquals(2, old.approximateNumEntries(), "only the counter and the format entry stay");
    }

    /**
     * The heads the upgrade writes join the store's key filter ({@link KnownStoreKeys}) even when it
     * was filled before them: a key asked about before the upgrade (the filter's scan then finds no
     * head) is found after it.
     */
    @Test
    void headsWrittenByTheUpgradeAreKnownToAFilterFilledBeforeIt() {
        KeyValueStore<Bytes, byte[]> old = new InMemoryKeyValueStore("old");
        ArrivalSequence arrivals = new ArrivalSequence(old);
        old.put(JoinRowKeys.rowKey(ONE, 10, arrivals.next()), "a".getBytes());
        old.put(JoinRowKeys.rowKey(THREE, 7, arrivals.next()), "b".getBytes());
        old.put(JoinRowKeys.rowKey(THREE, 5, arrivals.next()), "c".getBytes());
        JoinRowStore store = new JoinRowStore(old, "old");
        rows(store, ONE); // fills the filter from a store without heads
        store.checkFormat();
        assertEquals(List.of(new Seen(10, "a")), rows(store, ONE));
        assertEquals(List.of(new Seen(5, "c"), new Seen(7, "b")), rows(store, THREE));
    }

    @Test
    void aFreshStoreIsStampedWithFormat23() {
        KeyValueStore<Bytes, byte[]> fresh = new InMemoryKeyValueStore("fresh");
        JoinRowStore store = new JoinRowStore(fresh, "fresh");
        store.checkFormat();
        assertArrayEquals(new byte[] {23}, fresh.get(JoinRowStore.FORMAT_KEY));
        assertEquals(1, fresh.approximateNumEntries());
        store.add(ONE, 4, 0, "x".getBytes());
        assertEquals(List.of(new Seen(4, "x")), rows(store, ONE));
        assertEquals(List.of(), rows(store, THREE));
    }

    @Test
    void aStoreOfAnUnknownFormatIsRefused() {
        KeyValueStore<Bytes, byte[]> newer = new InMemoryKeyValueStore("newer");
        newer.put(JoinRowStore.FORMAT_KEY, new byte[] {24});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JoinRowStore(newer, "newer").checkFormat());
        assertTrue(e.getMessage().contains("format 24") && e.getMessage().contains("format 23"), e.getMessage());
    }
}
