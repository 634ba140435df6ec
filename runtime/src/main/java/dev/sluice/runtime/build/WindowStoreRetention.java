package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.WindowSpec;

import java.time.Duration;

/**
 * How long a window or session aggregate's store keeps windows: at least their size plus grace
 * (what the results need), and at least {@link #MINIMUM} so that the store's segments are coarse.
 *
 * <p>Why a minimum: Kafka Streams splits a window store into segments of max(retention / 2, 60 s)
 * of event time, and every segment is its own RocksDB instance, opened when stream time reaches it
 * and deleted when it expires. With retention = size + grace (90 s for a 1-minute window with 30 s
 * of grace) a backlog rolls a new RocksDB per minute of event time. With the record cache on, the
 * writes of one commit reach the store together when the cache is flushed, inside the commit's
 * transaction: a catch-up batch spanning hours of event time opened and deleted a RocksDB per minute
 * in one flush, took longer than the 10 s transaction timeout on a loaded machine, was fenced,
 * aborted, re-processed from the last commit and fenced again, forever (ex5_1_qps on the broker).
 * With 10-minute segments the same batch opens a handful. The cost is disk: closed windows stay
 * up to {@link #MINIMUM} plus one segment before their segment is dropped; results do not change
 * (grace, not retention, decides which records are late and when a window closes).
 */
public final class WindowStoreRetention {
    /** Twenty minutes: segments of at least ten minutes of event time. */
    public static final Duration MINIMUM = Duration.ofMinutes(20);

    private WindowStoreRetention() {
    }

    /**
     * Kafka Streams' own retention, size + grace, with no minimum: where the windows an
     * emitStrategy(onWindowClose()) aggregate emits must be Kafka Streams' (ksqlDB's EMIT FINAL),
     * since its store returns no window older than that when it looks up the closed ones.
     */
    public static Duration exact(WindowSpec window) {
        return Duration.ofMillis(window.sizeMs() + window.graceMs());
    }

    /**
     * The retention of a session aggregate's own store ({@code SessionWindowAggregate}, a key-value
     * store, so no segments to keep coarse). In ksqlDB's dialect it is Kafka Streams' gap + grace: a
     * session that ended before {@code streamTime - gap - grace} is no longer found, so a record a gap
     * after it opens a new session rather than joining the closed one, as in ksqlDB.
     */
    public static Duration sessions(WindowSpec window) {
        return window.ksql() ? exact(window) : of(window);
    }

    public static Duration of(WindowSpec window) {
        return Duration.ofMillis(Math.max(window.sizeMs() + window.graceMs(), MINIMUM.toMillis()));
    }
}
