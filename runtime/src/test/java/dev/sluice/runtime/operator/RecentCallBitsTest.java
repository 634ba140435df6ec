package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RecentCallBits} against a model: an insertion-ordered map whose oldest entries leave while
 * the estimated bytes exceed the bound. Random puts, updates, removals and lookups over key sets
 * small and large against the bound (so the ring wraps, grows, and evicts past removed entries), with
 * keys of different lengths and keys whose hashes collide, so probing runs cross the table's end and
 * backward shifting moves entries over it.
 */
class RecentCallBitsTest {

    /** The cache's contract, written plainly. */
    private static final class Model {
        private final long bound;
        private long used;
        private final LinkedHashMap<Bytes, Long> entries = new LinkedHashMap<>();

        Model(long bound) {
            this.bound = bound;
        }

        void put(Bytes key, long value) {
            if (entries.containsKey(key)) {
                entries.put(key, value); // an update keeps its place
                return;
            }
            entries.put(key, value);
            used += RecentCallBits.entryBytes(key);
            Iterator<Map.Entry<Bytes, Long>> oldest = entries.entrySet().iterator();
            while (used > bound && oldest.hasNext()) {
                used -= RecentCallBits.entryBytes(oldest.next().getKey());
                oldest.remove();
            }
        }

        void remove(Bytes key) {
            if (entries.remove(key) != null) {
                used -= RecentCallBits.entryBytes(key);
            }
        }
    }

    /** Key k: variable length; with {@code colliding}, many keys share Arrays.hashCode (same hash, other bytes). */
    private static Bytes key(int k, boolean colliding) {
        if (colliding) {
            // "Aa" and "BB" hash alike: strings of them collide in pairs of pairs
            StringBuilder s = new StringBuilder();
            for (int bit = 0; bit < 6; bit++) {
                s.append((k >> bit & 1) == 0 ? "Aa" : "BB");
            }
            s.append(k >> 6);
            return Bytes.wrap(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] bytes = new byte[4 + k % 13];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (k >> (8 * (i % 4)));
        }
        return Bytes.wrap(bytes);
    }

    private static void run(long seed, int keys, long bound, boolean colliding) {
        Random random = new Random(seed);
        RecentCallBits cache = new RecentCallBits(bound);
        Model model = new Model(bound);
        for (int step = 0; step < 40_000; step++) {
            // a fresh Bytes each time, as DistinctValues makes its keys
            Bytes k = key(random.nextInt(keys), colliding);
            int op = random.nextInt(10);
            if (op < 5) {
                long value = random.nextInt(1 << 20);
                cache.put(k, value);
                model.put(k, value);
            } else if (op == 5) {
                cache.remove(k);
                model.remove(k);
            }
            Long expected = model.entries.get(k);
            assertEquals(expected == null ? -1L : expected, cache.get(k, -1L), "step " + step + " key " + k);
            assertEquals(model.entries.size(), cache.size(), "entries at step " + step);
        }
        for (int k = 0; k < keys; k++) {
            Bytes key = key(k, colliding);
            Long expected = model.entries.get(key);
            assertEquals(expected == null ? -1L : expected, cache.get(key, -1L), "at the end, key " + k);
        }
    }

    @Test
    void keepsTheNewestEntriesWithinTheBound() {
        // bound of ~60 entries among 500 keys: evictions all the time, the ring wraps
        run(1, 500, 60 * 75, false);
    }

    @Test
    void growsWhileTheBoundAllowsAndKeepsEverythingThatFits() {
        // every key fits: the ring doubles from 1024 several times, nothing is evicted
        run(2, 5_000, 10L << 20, false);
    }

    @Test
    void collidingHashesProbeAndShiftAcrossTheTable() {
        run(3, 3_000, 400 * 80, true);
        run(4, 300, 10L << 20, true);
    }

    @Test
    void aBoundBelowOneEntryCachesNothing() {
        RecentCallBits cache = new RecentCallBits(10);
        cache.put(key(1, false), 5);
        assertEquals(0, cache.size());
        assertEquals(-1L, cache.get(key(1, false), -1L));
    }
}
