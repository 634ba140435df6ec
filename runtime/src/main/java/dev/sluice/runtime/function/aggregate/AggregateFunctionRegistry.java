package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.SqlType;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The aggregate functions Sluice knows, by name and alias, case-insensitively.
 *
 * <p>{@code agg(DISTINCT ...)} is not a separate function: wrap the factory of the plain one in
 * {@link DistinctAccumulatorFactory}.
 */
public final class AggregateFunctionRegistry {
    private final Map<String, AggregateFunction> byName;

    public AggregateFunctionRegistry() {
        this(List.of(
                new CountFunction(),
                new SumFunction(),
                new ListSumFunction(),
                new AvgFunction(),
                MinMaxFunction.min(),
                MinMaxFunction.max(),
                new VarianceFunction(VarianceFunction.Kind.STDDEV_SAMP),
                new VarianceFunction(VarianceFunction.Kind.STDDEV_POP),
                new VarianceFunction(VarianceFunction.Kind.VAR_SAMP),
                new VarianceFunction(VarianceFunction.Kind.VAR_POP),
                new ApproxPercentileFunction(),
                new ApproxCountDistinctFunction(),
                PercentileFunction.cont(),
                PercentileFunction.disc(),
                new ArrayAggFunction(),
                BoundedCollectFunction.list(),
                BoundedCollectFunction.set(),
                FirstLastFunction.first(),
                FirstLastFunction.last(),
                ByOffsetFunction.earliest(),
                ByOffsetFunction.latest(),
                new BooleanAggregateFunction(BooleanAggregateFunction.Kind.COUNT_IF),
                new BooleanAggregateFunction(BooleanAggregateFunction.Kind.BOOL_AND),
                new BooleanAggregateFunction(BooleanAggregateFunction.Kind.BOOL_OR),
                new ValueCountsFunction(ValueCountsFunction.Kind.COLLECT_SET),
                new ValueCountsFunction(ValueCountsFunction.Kind.COUNT_DISTINCT),
                new ValueCountsFunction(ValueCountsFunction.Kind.HISTOGRAM),
                new ValueCountsFunction(ValueCountsFunction.Kind.TOPK),
                new ValueCountsFunction(ValueCountsFunction.Kind.TOPKDISTINCT),
                new ValueCountsFunction(ValueCountsFunction.Kind.ATTR),
                new CorrelationFunction(),
                new KsqlStddevSampleFunction()));
    }

    /** A registry of exactly these functions; names and aliases must not collide. */
    public AggregateFunctionRegistry(List<? extends AggregateFunction> functions) {
        Map<String, AggregateFunction> map = new TreeMap<>();
        for (AggregateFunction f : functions) {
            register(map, f.name(), f);
            for (String alias : f.aliases()) {
                register(map, alias, f);
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    private static void register(Map<String, AggregateFunction> map, String name, AggregateFunction f) {
        AggregateFunction previous = map.put(name.toUpperCase(Locale.ROOT), f);
        if (previous != null) {
            throw new IllegalArgumentException("aggregate name " + name + " is used by both "
                    + previous.name() + " and " + f.name());
        }
    }

    public Optional<AggregateFunction> lookup(String name) {
        return Optional.ofNullable(byName.get(name.toUpperCase(Locale.ROOT)));
    }

    /** Every name and alias, upper case, sorted (for "did you mean" suggestions). */
    public Set<String> names() {
        return byName.keySet();
    }

    public boolean isAggregate(String name) {
        return byName.containsKey(name.toUpperCase(Locale.ROOT));
    }

    /**
     * The factory to use when the input is a changelog (a table), where every accumulator must be
     * able to retract: the retractable variant when the function has one, else its plain factory
     * (check {@code canRetract()} on an accumulator it creates).
     */
    public static AccumulatorFactory implementForChangelog(AggregateFunction function, List<Expr> arguments,
                                                           SqlType returnType, List<Boolean> sortDescending) {
        if (function instanceof RetractableAggregate r) {
            return r.implementRetractable(arguments, returnType, sortDescending);
        }
        return function.implement(arguments, returnType, sortDescending);
    }

    /**
     * {@link #implementForChangelog}, where {@code retractFirstEqual} asks an ARRAY_AGG to take out
     * the first arrival of an equal element on retraction (Flink's way) instead of the latest.
     */
    public static AccumulatorFactory implementForChangelog(AggregateFunction function, List<Expr> arguments,
                                                           SqlType returnType, List<Boolean> sortDescending,
                                                           boolean retractFirstEqual) {
        if (retractFirstEqual && function instanceof ArrayAggFunction a) {
            return a.implement(arguments, returnType, sortDescending, true);
        }
        return implementForChangelog(function, arguments, returnType, sortDescending);
    }
}
