package dev.sluice.runtime.operator;

/**
 * Tells a processor before a stream aggregate, in the same sub-topology, that the record it just
 * forwarded failed in the aggregate's accumulators (a Java aggregate threw). Kafka Streams hands
 * that exception to the processing exception handler at the aggregate's own node, so the
 * forwarding processor's {@code forward} returns normally and cannot see it; without this signal
 * the values it marked in its store for the dead-lettered record would stay (issue 17 point 5).
 * Per stream thread: a task processes one record at a time, and forwarding is synchronous.
 */
public final class AggregationFailure {
    private static final ThreadLocal<boolean[]> FAILED = ThreadLocal.withInitial(() -> new boolean[1]);

    private AggregationFailure() {
    }

    /** Forgets any earlier failure: call before forwarding the record to the aggregate. */
    public static void clear() {
        FAILED.get()[0] = false;
    }

    /** The record being aggregated failed. */
    static void mark() {
        FAILED.get()[0] = true;
    }

    /** Whether the record forwarded since {@link #clear} failed in the aggregate. */
    public static boolean failed() {
        return FAILED.get()[0];
    }
}
