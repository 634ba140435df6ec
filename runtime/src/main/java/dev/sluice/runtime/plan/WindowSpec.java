package dev.sluice.runtime.plan;

/**
 * An event-time window. Sizes in milliseconds. TUMBLE: size; HOP: size and advance; SESSION: gap
 * (in {@code size}); CUMULATE: step (in {@code advance}) and max size. {@code graceMs} is how long
 * after a window's end records are still accepted; derived from the source watermark so that a
 * window closes exactly when Flink's would.
 */
public record WindowSpec(Kind kind, long sizeMs, long advanceMs, long graceMs) {
    public enum Kind { TUMBLE, HOP, SESSION, CUMULATE }

    public static WindowSpec tumble(long size, long grace) {
        return new WindowSpec(Kind.TUMBLE, size, size, grace);
    }
}
