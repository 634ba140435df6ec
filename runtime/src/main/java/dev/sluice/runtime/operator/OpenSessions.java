package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The store of {@link SessionWindowAggregate}: one entry per group key holding that key's sessions
 * (start, end, serialized accumulator state) sorted by start, plus one entry holding the
 * aggregate's stream time. A record then costs one cached {@code get} and one {@code put} of its
 * key, however many records the key had: Kafka Streams' session store keys each session by its
 * end, so extending a session deletes one entry and writes another, and with the record cache on
 * every such deletion stays in the cache as a tombstone that later lookups of the key walk.
 *
 * <p>Keys: {@code 'K'} + the group key's bytes, and {@code 'T'} alone for the stream time (kept so
 * that a restarted task closes and expires sessions, and judges late records, as the task before it
 * would have). Sessions of one key never overlap, so sorted by start they are sorted by end too.
 */
public final class OpenSessions {
    /** One session of a key: [start, end] are its first and last event times. */
    public record Session(long start, long end, byte[] state) {
        @Override
        public String toString() {
            return "Session[" + start + ", " + end + "]";
        }
    }

    static final Bytes STREAM_TIME = Bytes.wrap(new byte[] {'T'});
    private static final byte GROUP = 'K';

    private OpenSessions() {
    }

    /** The store: a changelogged key-value store behind the record cache. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, StateBackend backend) {
        return backend.keyValue(name).withCachingEnabled();
    }

    static Bytes key(byte[] group) {
        byte[] key = new byte[group.length + 1];
        key[0] = GROUP;
        System.arraycopy(group, 0, key, 1, group.length);
        return Bytes.wrap(key);
    }

    static boolean isGroup(Bytes key) {
        return key.get().length > 0 && key.get()[0] == GROUP;
    }

    static byte[] group(Bytes key) {
        return Arrays.copyOfRange(key.get(), 1, key.get().length);
    }

    /** The stream time kept in the store, or {@code Long.MIN_VALUE} before any record. */
    static long streamTime(KeyValueStore<Bytes, byte[]> store) {
        byte[] time = store.get(STREAM_TIME);
        return time == null ? Long.MIN_VALUE : ByteBuffer.wrap(time).getLong();
    }

    static void putStreamTime(KeyValueStore<Bytes, byte[]> store, long time) {
        store.put(STREAM_TIME, ByteBuffer.allocate(Long.BYTES).putLong(time).array());
    }

    /** A key's sessions (a new, modifiable list), empty when the store has none. */
    static List<Session> read(KeyValueStore<Bytes, byte[]> store, byte[] group) {
        return decode(store.get(key(group)));
    }

    /**
     * The sessions of {@code group} that Kafka Streams' {@code findSessions(key, earliestEnd,
     * latestStart)} would return: ending at or after {@code earliestEnd}, starting at or before
     * {@code latestStart}, and still retained (ending after {@code retainedAfter}), in start order.
     */
    static List<Session> find(KeyValueStore<Bytes, byte[]> store, byte[] group, long earliestEnd, long latestStart,
                              long retainedAfter) {
        List<Session> found = new ArrayList<>(1);
        for (Session s : read(store, group)) {
            if (s.end() >= earliestEnd && s.start() <= latestStart && s.end() > retainedAfter) {
                found.add(s);
            }
        }
        return found;
    }

    static List<Session> decode(byte[] value) {
        if (value == null) {
            return new ArrayList<>(1);
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        int n = in.getInt();
        List<Session> sessions = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            long start = in.getLong();
            long end = in.getLong();
            byte[] state = new byte[in.getInt()];
            in.get(state);
            sessions.add(new Session(start, end, state));
        }
        return sessions;
    }

    static byte[] encode(List<Session> sessions) {
        int size = Integer.BYTES;
        for (Session s : sessions) {
            size += 2 * Long.BYTES + Integer.BYTES + s.state().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(sessions.size());
        for (Session s : sessions) {
            out.putLong(s.start()).putLong(s.end()).putInt(s.state().length).put(s.state());
        }
        return out.array();
    }
}
