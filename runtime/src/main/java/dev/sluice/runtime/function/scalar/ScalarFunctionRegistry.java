package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * All built-in scalar functions and operators, found by name or alias, case-insensitively.
 * Operators are registered under their symbols ({@code "+"}, {@code "="}, {@code "IS NULL"}).
 *
 * <p>Instances are immutable and thread-safe. The clock feeds NOW(), CURRENT_TIMESTAMP,
 * CURRENT_DATE and UNIX_TIMESTAMP(); tests pass a fixed one (epoch millis, UTC).
 */
public final class ScalarFunctionRegistry {
    private static final ScalarFunctionRegistry STANDARD = new ScalarFunctionRegistry(System::currentTimeMillis);

    private final Map<String, ScalarFunction> byName;
    private final Set<String> names;

    public ScalarFunctionRegistry(LongSupplier clock) {
        List<ScalarFunction> all = new ArrayList<>();
        all.addAll(ArithmeticOperators.all());
        all.addAll(ComparisonOperators.all());
        all.addAll(LogicalOperators.all());
        all.addAll(ConditionalFunctions.all());
        all.addAll(PatternOperators.all());
        all.addAll(CastFunction.all());
        all.addAll(StringFunctions.all());
        all.addAll(StringSearchFunctions.all());
        all.addAll(CollectionOperators.all());
        all.addAll(JsonFunctions.all());
        all.addAll(TemporalFunctions.all(clock));
        all.addAll(DateConversionFunctions.all(clock));
        all.addAll(MathFunctions.all());
        all.addAll(KsqlFunctions.all());
        all.addAll(KsqlCollectionFunctions.all());
        all.addAll(KsqlStringFunctions.all());
        all.addAll(KsqlJsonFunctions.all());
        all.addAll(KsqlBytesFunctions.all());
        all.addAll(KsqlTemporalFunctions.all(clock));
        all.addAll(KsqlTimeFunctions.all());
        all.addAll(KsqlLegacyTemporalFunctions.all());
        all.addAll(CheckConstraints.all());
        all.addAll(NullJoinKeys.all());
        all.addAll(RunningTops.all());
        all.addAll(NullGroupKeys.all());
        Map<String, ScalarFunction> map = new LinkedHashMap<>();
        for (ScalarFunction f : all) {
            register(map, f.name(), f);
            for (String alias : f.aliases()) {
                register(map, alias, f);
            }
        }
        this.byName = Collections.unmodifiableMap(map);
        this.names = Collections.unmodifiableSet(new TreeSet<>(map.keySet()));
    }

    /** The registry with the system clock. */
    public static ScalarFunctionRegistry standard() {
        return STANDARD;
    }

    private static void register(Map<String, ScalarFunction> map, String name, ScalarFunction f) {
        ScalarFunction previous = map.put(normalize(name), f);
        if (previous != null) {
            throw new IllegalStateException("two scalar functions named " + name + ": " + previous + " and " + f);
        }
    }

    private static String normalize(String name) {
        return name.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    public Optional<ScalarFunction> lookup(String name) {
        return Optional.ofNullable(byName.get(normalize(name)));
    }

    /** Every name and alias in upper case, sorted (for "did you mean" suggestions). */
    public Set<String> names() {
        return names;
    }
}
