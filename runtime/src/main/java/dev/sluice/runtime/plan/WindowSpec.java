package dev.sluice.runtime.plan;

/**
 * A window. Sizes in milliseconds. TUMBLE: size; HOP: size and advance; SESSION: gap (in
 * {@code size}); CUMULATE: step (in {@code advance}) and max size. {@code graceMs} is how long
 * after a window's end records are still accepted; derived from the source watermark so that a
 * window closes exactly when Flink's would.
 *
 * <p>{@code processingTime}: the window is over the wall-clock time each row is processed at (a
 * {@code PROCTIME()} column, Nexmark q12), not over event time. Such a window closes when the wall
 * clock passes its end; nothing is late, so {@code graceMs} is 0. Its rows depend on when the input
 * is read (see {@code ProcessingTimeWindowAggregate}).
 */
public record WindowSpec(Kind kind, long sizeMs, long advanceMs, long graceMs, boolean ksql, boolean processingTime) {
    public enum Kind { TUMBLE, HOP, SESSION, CUMULATE }

    /** ksqlDB's default grace when a WINDOW clause names none. */
    public static final long KSQL_DEFAULT_GRACE_MS = 24L * 60 * 60 * 1000;

    public WindowSpec(Kind kind, long sizeMs, long advanceMs, long graceMs, boolean ksql) {
        this(kind, sizeMs, advanceMs, graceMs, ksql, false);
    }

    public WindowSpec(Kind kind, long sizeMs, long advanceMs, long graceMs) {
        this(kind, sizeMs, advanceMs, graceMs, false, false);
    }

    /**
     * ksqlDB's bounds ({@code ksql}): a session ends at its last event (Flink: last event + gap), each
     * result keeps Kafka Streams' timestamp, and the sink writes the window into the record key.
     */
    public WindowSpec asKsql() {
        return new WindowSpec(kind, sizeMs, advanceMs, graceMs, true, processingTime);
    }

    /** The same window over processing time (no grace: nothing is ever late). */
    public static WindowSpec processingTime(Kind kind, long sizeMs, long advanceMs) {
        return new WindowSpec(kind, sizeMs, advanceMs, 0, false, true);
    }

    public static WindowSpec tumble(long size, long grace) {
        return new WindowSpec(Kind.TUMBLE, size, size, grace);
    }
}
