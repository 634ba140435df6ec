package dev.sluice.runtime.operator;

import java.util.Arrays;

/**
 * {@link DistinctValues}' first-occurrence bits for a record that lies in several windows (hopping
 * and cumulating windows): one bit set per open window, in the order Kafka Streams' window
 * aggregate visits them ({@code Windows#windowsFor}, skipping windows whose end is at or before
 * stream time minus grace). The aggregate calls its aggregator once per open window with the same
 * row object, so {@link Aggregation} takes the next bit set on each call.
 *
 * <p>Mutable and never serialized: it lives only between {@link DistinctValues} and the aggregate,
 * which run in the same sub-topology with no repartition between them.
 */
public final class WindowMarks {
    private final long[] perWindow;
    private int next;

    public WindowMarks(long[] perWindow) {
        this.perWindow = perWindow.clone();
    }

    /**
     * The bits of the next window the aggregate visits. More calls than open windows mean the
     * aggregate visits windows another way than {@link DistinctValues} predicted: fail loudly
     * rather than count wrong.
     */
    long nextWindow() {
        if (next >= perWindow.length) {
            throw new IllegalStateException("the window aggregate visited more windows (" + (next + 1)
                    + ") than DistinctValues marked (" + perWindow.length + ")");
        }
        return perWindow[next++];
    }

    /** How many windows the marks cover. */
    public int windows() {
        return perWindow.length;
    }

    /** The bits of window {@code i} (for tests and diagnostics). */
    public long window(int i) {
        return perWindow[i];
    }

    @Override
    public String toString() {
        return "WindowMarks" + Arrays.toString(perWindow) + "@" + next;
    }
}
