package dev.sluice.runtime.plan;

import java.util.List;
import java.util.Optional;

/**
 * One persistent or transient query: its id (stable, derived from the query: the sink name, or
 * {@code select_N} for the N-th bare SELECT), the plan root and where results go. {@code sink} is
 * empty for a bare SELECT, whose rows go to the internal topic {@code <id>-output} for printing.
 * {@code sinkKeyColumns}: output columns written to the record key and left out of the value, as
 * ksqlDB writes its KEY columns (empty: the key is the root's key and the value holds every column).
 */
public record QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput,
                        List<Integer> sinkKeyColumns) {
    public QueryPlan {
        sinkKeyColumns = List.copyOf(sinkKeyColumns);
    }

    public QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput) {
        this(id, root, sink, changelogOutput, List.of());
    }
}
