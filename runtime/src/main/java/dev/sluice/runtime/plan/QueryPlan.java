package dev.sluice.runtime.plan;

import java.util.Optional;

/**
 * One persistent or transient query: its id (stable, derived from the query: the sink name, or
 * {@code select_N} for the N-th bare SELECT), the plan root and where results go. {@code sink} is
 * empty for a bare SELECT, whose rows go to the internal topic {@code <id>-output} for printing.
 */
public record QueryPlan(String id, Step root, Optional<FormatSpec> sink, boolean changelogOutput) {
}
