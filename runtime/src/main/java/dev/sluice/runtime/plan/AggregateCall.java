package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Optional;

/**
 * One aggregate in an {@link AggregateStep}: {@code function(arguments)} over the input row,
 * optionally {@code DISTINCT}, {@code FILTER (WHERE filter)}, and ordered by trailing sort
 * arguments ({@code sortDescending} has one flag per ORDER BY key, which follow the arguments).
 */
public record AggregateCall(String function, List<Expr> arguments, boolean distinct, Optional<Expr> filter,
                            List<Boolean> sortDescending, SqlType type) {
    public AggregateCall {
        arguments = List.copyOf(arguments);
        sortDescending = List.copyOf(sortDescending);
    }
}
