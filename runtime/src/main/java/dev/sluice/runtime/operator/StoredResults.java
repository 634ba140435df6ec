package dev.sluice.runtime.operator;

import java.util.Arrays;

/**
 * {@link MultisetValues}' results for one record: per window the record reaches (one when the
 * aggregate is not windowed or tumbling), per call the call's result after the record, or
 * {@link StoredMultiset#UNCHANGED} (and null for calls kept elsewhere). Windows are in the order the
 * window aggregate visits them, as {@link WindowMarks}; {@link Aggregation} takes the next one each
 * time the aggregate updates a window with the row.
 *
 * <p>Mutable and never serialized: it lives only between {@link MultisetValues} and the aggregate,
 * which run in the same sub-topology with no repartition between them.
 */
public final class StoredResults {
    private final Object[][] perWindow;
    private int next;

    public StoredResults(Object[][] perWindow) {
        this.perWindow = perWindow;
    }

    /** The results for the next window the aggregate visits; more visits than windows fail loudly. */
    Object[] nextWindow() {
        if (next >= perWindow.length) {
            throw new IllegalStateException("the window aggregate visited more windows (" + (next + 1)
                    + ") than MultisetValues computed (" + perWindow.length + ")");
        }
        return perWindow[next++];
    }

    /** How many windows the results cover. */
    public int windows() {
        return perWindow.length;
    }

    /** Call {@code call}'s result in window {@code window} (for tests). */
    public Object result(int window, int call) {
        return perWindow[window][call];
    }

    @Override
    public String toString() {
        return "StoredResults" + Arrays.deepToString(perWindow) + "@" + next;
    }
}
