package dev.sluice.runtime.build;

import org.apache.kafka.streams.kstream.Windows;
import org.apache.kafka.streams.kstream.internals.TimeWindow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flink's CUMULATE(step, max) windows as Kafka Streams windows: each period [p, p + max), aligned to
 * the epoch, has windows [p, p + step), [p, p + 2 step), ..., [p, p + max).
 *
 * <p>All windows of a period start at p, but a window store keys windows by start. So each is stored
 * under a synthetic start {@code p + k} (k = 1 .. max/step, which stays inside the period because
 * a period is longer than its window count in milliseconds) and carries its real end
 * {@code p + k * step}, which is what the aggregate uses to decide when the window closes.
 * {@link #realStart} and {@link #realEnd} decode a stored window.
 */
final class CumulativeWindows extends Windows<TimeWindow> {
    private final long step;
    private final long max;
    private final long grace;

    CumulativeWindows(long step, long max, long grace) {
        if (step <= 0 || max % step != 0 || max / step >= max) {
            throw new IllegalArgumentException("CUMULATE needs a positive step that divides the max size");
        }
        this.step = step;
        this.max = max;
        this.grace = grace;
    }

    @Override
    public Map<Long, TimeWindow> windowsFor(long timestamp) {
        long period = Math.floorDiv(timestamp, max) * max;
        Map<Long, TimeWindow> windows = new LinkedHashMap<>();
        // the first window whose end is after the record: k * step > timestamp - period
        for (long k = (timestamp - period) / step + 1; k <= max / step; k++) {
            windows.put(period + k, new TimeWindow(period + k, period + k * step));
        }
        return windows;
    }

    /** The largest window: retention and suppress buffering are sized by it. */
    @Override
    public long size() {
        return max;
    }

    @Override
    public long gracePeriodMs() {
        return grace;
    }

    long realStart(long storedStart) {
        return Math.floorDiv(storedStart, max) * max;
    }

    long realEnd(long storedStart) {
        long period = realStart(storedStart);
        return period + (storedStart - period) * step;
    }
}
