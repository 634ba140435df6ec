package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * An aggregate whose default accumulator is compact but cannot retract (MIN keeps one value), and
 * that offers a larger accumulator which can (MIN keeps every distinct value with its count).
 * Windowed stream aggregates should use {@link #implement}, because Kafka Streams re-serializes
 * the state on every record; aggregates over a changelog (a table) need
 * {@link #implementRetractable}. {@link AggregateFunctionRegistry#implementForChangelog} picks.
 */
public interface RetractableAggregate extends AggregateFunction {

    /** Like {@link #implement}, but every accumulator it creates answers {@code canRetract() == true}. */
    AccumulatorFactory implementRetractable(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending);
}
