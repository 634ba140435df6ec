package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeyMembershipFilter}: never forgets a key it was given while it grows through several
 * filters, answers no for most others (its point: those skip the store), and past its bound gives
 * up, answering "maybe" for every key.
 */
class KeyMembershipFilterTest {
    /** A store-like key: a group prefix, then a value. */
    private static Bytes key(String group, long value) {
        byte[] prefix = group.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(4 + prefix.length + 9).putInt(prefix.length).put(prefix)
                .put((byte) 3).putLong(value).array());
    }

    @Test
    void everyAddedKeyIsFoundAndFewOthersAre() {
        KeyMembershipFilter filter = new KeyMembershipFilter(0, 1 << 20);
        int added = 200_000; // the first filter holds 16 384 keys: several doublings
        for (int i = 0; i < added; i++) {
            filter.add(key("channel-" + (i % 97), i));
        }
        for (int i = 0; i < added; i++) {
            assertTrue(filter.mightContain(key("channel-" + (i % 97), i)), "added key " + i);
        }
        int falsePositives = 0;
        int probes = 100_000;
        for (int i = 0; i < probes; i++) {
            falsePositives += filter.mightContain(key("channel-" + (i % 97), added + i)) ? 1 : 0;
        }
        // about 1 % per filter, five filters
        assertTrue(falsePositives < probes / 20, "false positives " + falsePositives + " of " + probes);
        assertTrue(filter.usable());
    }

    @Test
    void pastItsBoundItAnswersMaybe() {
        KeyMembershipFilter filter = new KeyMembershipFilter(10, 1_000);
        for (int i = 0; i < 1_000; i++) {
            filter.add(key("g", i));
        }
        assertTrue(filter.usable());
        assertFalse(filter.mightContain(key("other", 1)) && filter.mightContain(key("other", 2))
                && filter.mightContain(key("other", 3)), "some absent key is known absent");
        filter.add(key("g", 1_000));
        assertFalse(filter.usable());
        assertTrue(filter.mightContain(key("other", 1)));
    }
}
