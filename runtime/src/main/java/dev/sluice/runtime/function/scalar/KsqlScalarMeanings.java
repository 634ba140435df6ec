package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scalar functions whose result differs in ksqlDB's dialect under the same name: CAST and TRY_CAST
 * narrow numbers as ksqlDB's {@code CastEvaluator} does (Java's narrowing, no range error) and
 * complete a partial date; INITCAP, REGEXP_EXTRACT ({@link KsqlStringMeanings}), LOG,
 * UNIX_TIMESTAMP and FIELD ({@link KsqlSameNameFunctions}), ROUND and TRUNC ({@link KsqlRounding})
 * and an array subscript counting back from the end for a negative index are ksqlDB's. Looked up before the built-in ones when a script is ksqlDB's.
 */
public final class KsqlScalarMeanings {
    private static final Map<String, ScalarFunction> BY_NAME = new LinkedHashMap<>();

    static {
        for (ScalarFunction f : CastFunction.ksql()) {
            BY_NAME.put(f.name(), f);
        }
        for (ScalarFunction f : KsqlSameNameFunctions.all()) {
            BY_NAME.put(f.name(), f);
        }
        for (ScalarFunction f : KsqlStringMeanings.all()) {
            BY_NAME.put(f.name(), f);
        }
        for (ScalarFunction f : KsqlRounding.all()) {
            BY_NAME.put(f.name(), f);
        }
        BY_NAME.put("SUBSCRIPT", CollectionOperators.ksqlSubscript());
    }

    private KsqlScalarMeanings() {
    }

    /** ksqlDB's meaning of the scalar function {@code name}, when it differs from the built-in one. */
    public static Optional<ScalarFunction> of(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toUpperCase(Locale.ROOT)));
    }
}
