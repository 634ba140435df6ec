package dev.sluice.runtime.function;

import dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry;
import dev.sluice.runtime.function.scalar.ScalarFunctionRegistry;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The built-in scalar and aggregate functions. The clock feeds NOW() and CURRENT_TIMESTAMP:
 * wall-clock time in production, a fixed instant in replay and tests so their output is repeatable.
 */
public final class DefaultFunctionCatalog implements FunctionCatalog {
    private final ScalarFunctionRegistry scalars;
    private final AggregateFunctionRegistry aggregates = new AggregateFunctionRegistry();

    public DefaultFunctionCatalog(LongSupplier clock) {
        this.scalars = new ScalarFunctionRegistry(clock);
    }

    public static DefaultFunctionCatalog wallClock() {
        return new DefaultFunctionCatalog(System::currentTimeMillis);
    }

    @Override
    public Optional<ScalarFunction> scalar(String name) {
        return scalars.lookup(name);
    }

    @Override
    public Optional<AggregateFunction> aggregate(String name) {
        return aggregates.lookup(name);
    }

    @Override
    public Set<String> names() {
        Set<String> all = new TreeSet<>(scalars.names());
        all.addAll(aggregates.names());
        return all;
    }
}
