package dev.sluice.compiler.aggregate;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A reference query whose collections stay in the aggregate's value: since state format 18 a stream
 * step keeps ARRAY_AGG, COLLECT_SET and HISTOGRAM (DISTINCT ones too) in {@code <step>-elements-store}
 * beside DISTINCT calls, except when {@code DistinctValues} cannot mark them all (64 calls or more,
 * one bit each). {@link #PAD} gives a step a DISTINCT call and that many more calls; {@link #strip}
 * takes their columns out of its rows, which then compare with the stored query's.
 */
final class InValueCollections {
    /**
     * COUNT(DISTINCT v) and 63 further calls (pad1 .. pad63: MAX(v + i), all different, as the planner
     * merges equal calls), to append to a select list.
     */
    static final String PAD = ", COUNT(DISTINCT v) AS kinds" + IntStream.rangeClosed(1, 63)
            .mapToObj(i -> ", MAX(v + " + i + ") AS pad" + i).collect(Collectors.joining());

    private InValueCollections() {
    }

    /** A row printed by {@code ChangelogDriver} without the {@link #PAD} columns. */
    static String strip(String row) {
        return row.replaceAll(",\"(kinds|pad\\d+)\":[^,}]*", "");
    }
}
