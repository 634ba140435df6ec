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

    public ScriptFunctionCatalog(FunctionCatalog builtIn) {
        this.builtIn = builtIn;
    }

    /** Registers {@code function}; false when the name is already taken. */
    public boolean declare(ScalarFunction function) {
        String key = function.name().toUpperCase(Locale.ROOT);
        if (builtIn.scalar(key).isPresent() || builtIn.aggregate(key).isPresent() || scalars.containsKey(key)) {
            return false;
        }
        scalars.put(key, function);
        return true;
    }

    public void clear() {
        scalars.clear();
    }

    @Override
    public Optional<ScalarFunction> scalar(String name) {
        ScalarFunction own = scalars.get(name.toUpperCase(Locale.ROOT));
        return own != null ? Optional.of(own) : builtIn.scalar(name);
    }

    @Override
    public Optional<AggregateFunction> aggregate(String name) {
        return builtIn.aggregate(name);
    }

    @Override
    public Set<String> names() {
        Set<String> all = new TreeSet<>(builtIn.names());
        all.addAll(scalars.keySet());
        return all;
    }
}
