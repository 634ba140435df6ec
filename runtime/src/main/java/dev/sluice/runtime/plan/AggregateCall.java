package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Optional;

/**
 * One aggregate in an {@link AggregateStep}: {@code function(arguments)} over the input row,
 * optionally {@code DISTINCT}, {@code FILTER (WHERE filter)}, and ordered by trailing sort
 * arguments ({@code sortDescending} has one flag per ORDER BY key, which follow the arguments).
 * {@code retractFirstEqual}: over a changelog, a retraction takes out the first arrival of an equal
 * element, as Flink's ARRAY_AGG does, rather than the latest, as ksqlDB's COLLECT_LIST does (only
 * ARRAY_AGG / COLLECT_LIST without DISTINCT can tell the two apart).
 */
public record AggregateCall(String function, List<Expr> arguments, boolean distinct, Optional<Expr> filter,
                            List<Boolean> sortDescending, SqlType type, boolean retractFirstEqual) {
    public AggregateCall {
        arguments = List.copyOf(arguments);
        sortDescending = List.copyOf(sortDescending);
    }

    /** A call whose retraction takes out the latest equal element (ksqlDB's way; the only one that differs). */
    public AggregateCall(String function, List<Expr> arguments, boolean distinct, Optional<Expr> filter,
                         List<Boolean> sortDescending, SqlType type) {
        this(function, arguments, distinct, filter, sortDescending, type, false);
    }
}
