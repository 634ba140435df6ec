package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.StructType;

import java.util.List;

/**
 * Functions whose ksqlDB meaning differs from the built-in one of the same name, used in ksqlDB's
 * dialect (see {@link KsqlScalarMeanings}):
 * <ul>
 *   <li>{@code LOG(base, x)} is NaN for a base that is not positive or is 1 (Flink's divides by
 *       {@code ln(base)} and gives -0.0 or Infinity);</li>
 *   <li>{@code UNIX_TIMESTAMP([ts])} is epoch <em>milliseconds</em> of the TIMESTAMP (now without
 *       one); Flink's reads text and answers seconds;</li>
 *   <li>{@code FROM_UNIXTIME(millis)} is the TIMESTAMP of epoch <em>milliseconds</em>; Flink's reads
 *       seconds and answers text;</li>
 *   <li>{@code FIELD(s, s1, s2, ...)} is the 1-based position of the first si equal to s, 0 when
 *       none is or s is NULL (ksqlDB's complement of ELT); FIELD of a STRUCT and a position stays
 *       Sluice's field access.</li>
 * </ul>
 */
final class KsqlSameNameFunctions {
    private KsqlSameNameFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(log(), unixTimestamp(), fromUnixtime(), field());
    }

    private static Fn log() {
        return Fn.of("LOG", args -> {
            Sig.check("LOG", args, "NUMERIC", "[NUMERIC]");
            return ScalarType.DOUBLE;
        }, (args, t) -> args.size() == 1 ? a -> Math.log(Numbers.toDouble(a[0])) : a -> {
            double base = Numbers.toDouble(a[0]);
            return base <= 0 || base == 1 ? Double.NaN : Math.log(Numbers.toDouble(a[1])) / Math.log(base);
        });
    }

    private static Fn unixTimestamp() {
        return Fn.of("UNIX_TIMESTAMP", args -> {
            Sig.check("UNIX_TIMESTAMP", args, "[TIMESTAMP]");
            return ScalarType.BIGINT;
        }, (args, t) -> args.isEmpty() ? a -> System.currentTimeMillis() : a -> ((Number) a[0]).longValue())
                .nonDeterministic();
    }

    private static Fn fromUnixtime() {
        return Fn.of("FROM_UNIXTIME", args -> {
            Sig.check("FROM_UNIXTIME", args, "INTEGER");
            return ScalarType.TIMESTAMP;
        }, (args, t) -> a -> Numbers.toLong(a[0]));
    }

    private static Fn field() {
        ScalarFunction access = ScalarFunctionRegistry.standard().lookup("FIELD").orElseThrow();
        return Fn.of("FIELD", args -> {
            if (!args.isEmpty() && args.get(0).type() instanceof StructType) {
                return access.returnType(args);
            }
            if (args.isEmpty() || args.stream().anyMatch(e -> !Sig.fits("VARCHAR", e.type()))) {
                throw Args.mismatch("FIELD", "(VARCHAR, VARCHAR...)", args);
            }
            return ScalarType.INTEGER;
        }, (args, t) -> {
            if (args.get(0).type() instanceof StructType) {
                return access.implement(args, t);
            }
            return a -> {
                if (a[0] == null) {
                    return 0;
                }
                for (int i = 1; i < a.length; i++) {
                    if (a[0].equals(a[i])) {
                        return i;
                    }
                }
                return 0;
            };
        }).seeingNulls();
    }
}
