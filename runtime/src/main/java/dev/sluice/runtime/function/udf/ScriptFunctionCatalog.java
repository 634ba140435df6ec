package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.ScalarFunction;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in functions plus those a script declares with {@code CREATE FUNCTION}. A declared
 * function may not shadow a built-in one (a script would then silently mean something else).
 */
public final class ScriptFunctionCatalog implements FunctionCatalog {
    private final FunctionCatalog builtIn;
    private final Map<String, ScalarFunction> scalars = new LinkedHashMap<>();
    private final Map<String, AggregateFunction> aggregates = new LinkedHashMap<>();
    /**
     * Functions whose meaning differs between the dialects, by the built-in that gives ksqlDB's:
     * its GREATEST, LEAST and CONCAT skip NULL arguments, Flink's return NULL.
     */
    private static final Map<String, String> KSQL_MEANINGS = Map.of(
            "GREATEST", "GREATEST_IGNORE_NULLS", "LEAST", "LEAST_IGNORE_NULLS", "CONCAT", "CONCAT_IGNORE_NULLS");
    private boolean ksql;

    public ScriptFunctionCatalog(FunctionCatalog builtIn) {
        this.builtIn = builtIn;
    }

    /** Registers {@code function}; false when the name is already taken. */
    public boolean declare(ScalarFunction function) {
        String key = function.name().toUpperCase(Locale.ROOT);
        if (taken(key)) {
            return false;
        }
        scalars.put(key, function);
        return true;
    }

    /** Registers an aggregate {@code function}; false when the name is already taken. */
    public boolean declare(AggregateFunction function) {
        String key = function.name().toUpperCase(Locale.ROOT);
        if (taken(key)) {
            return false;
        }
        aggregates.put(key, function);
        return true;
    }

    private boolean taken(String key) {
        return builtIn.scalar(key).isPresent() || builtIn.aggregate(key).isPresent() || scalars.containsKey(key)
                || aggregates.containsKey(key);
    }

    public void clear() {
        scalars.clear();
        aggregates.clear();
    }

    /** Whether the script being compiled is in ksqlDB's dialect (its names then have ksqlDB's meaning). */
    public void ksqlDialect(boolean ksql) {
        this.ksql = ksql;
    }

    @Override
    public boolean ksqlDialect() {
        return ksql;
    }

    @Override
    public Optional<ScalarFunction> scalar(String name) {
        ScalarFunction own = scalars.get(name.toUpperCase(Locale.ROOT));
        if (own != null) {
            return Optional.of(own);
        }
        String ksqlMeaning = ksql ? KSQL_MEANINGS.get(name.toUpperCase(Locale.ROOT)) : null;
        if (ksql) {
            // ksqlDB's CAST: narrowing wraps, partial dates complete (same name, other conversions)
            Optional<ScalarFunction> sameName = dev.sluice.runtime.function.scalar.KsqlScalarMeanings.of(name);
            if (sameName.isPresent()) {
                return sameName;
            }
        }
        return builtIn.scalar(ksqlMeaning != null ? ksqlMeaning : name);
    }

    @Override
    public boolean tableFunction(String name) {
        return scalars.get(name.toUpperCase(Locale.ROOT)) instanceof JavaScalarUdf udf && udf.tableFunction();
    }

    @Override
    public Optional<AggregateFunction> aggregate(String name) {
        AggregateFunction own = aggregates.get(name.toUpperCase(Locale.ROOT));
        if (own != null) {
            return Optional.of(own);
        }
        Optional<AggregateFunction> builtInOne = builtIn.aggregate(name);
        // ksqlDB's SUM and AVG give 0 for a group without a non-NULL value (same name, same state)
        return ksql && builtInOne.isPresent()
                ? dev.sluice.runtime.function.aggregate.KsqlAggregateMeanings.of(name).or(() -> builtInOne)
                : builtInOne;
    }

    @Override
    public Set<String> names() {
        Set<String> all = new TreeSet<>(builtIn.names());
        all.addAll(scalars.keySet());
        all.addAll(aggregates.keySet());
        return all;
    }
}
