package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Numeric functions. ROUND rounds HALF_UP (away from zero on .5) as Flink and PostgreSQL's
 * numeric: ROUND(DOUBLE) stays DOUBLE and rounds the shortest decimal form of the double
 * (ROUND(2.675E0, 2) = 2.68, as Flink), ROUND(DECIMAL(p, s), d) is DECIMAL(1 + p - s + d, d),
 * ROUND of INTEGER/BIGINT keeps the type. FLOOR/CEIL of DECIMAL(p, s) is DECIMAL(1 + p - s, 0).
 * The transcendental functions return DOUBLE and follow Java for out-of-domain input
 * (SQRT(-1) = NaN, LN(0) = -Infinity) as Flink does; PostgreSQL raises an error instead.
 */
final class MathFunctions {
    private MathFunctions() {
    }

    static List<ScalarFunction> all() {
        List<ScalarFunction> all = new ArrayList<>(List.of(
                rounding("ROUND", RoundingMode.HALF_UP), rounding("TRUNCATE", RoundingMode.DOWN).withAliases("TRUNC"),
                floorOrCeil("FLOOR", RoundingMode.FLOOR), floorOrCeil("CEIL", RoundingMode.CEILING).withAliases("CEILING"),
                abs(), sign(), widthBucket(), rand(),
                binaryDouble("POWER", Math::pow).withAliases("POW"),
                binaryDouble("ATAN2", Math::atan2),
                Fn.of("LOG", args -> {
                    Sig.check("LOG", args, "NUMERIC", "[NUMERIC]");
                    return ScalarType.DOUBLE;
                }, (args, t) -> args.size() == 1
                        ? a -> Math.log(Numbers.toDouble(a[0]))
                        : a -> Math.log(Numbers.toDouble(a[1])) / Math.log(Numbers.toDouble(a[0]))),
                Fn.of("PI", args -> {
                    Args.count("PI", "no arguments", args, 0, 0);
                    return ScalarType.DOUBLE;
                }, (args, t) -> a -> Math.PI)));
        all.add(unaryDouble("SQRT", Math::sqrt));
        all.add(unaryDouble("CBRT", Math::cbrt));
        all.add(unaryDouble("EXP", Math::exp));
        all.add(unaryDouble("LN", Math::log));
        all.add(unaryDouble("LOG10", Math::log10));
        all.add(unaryDouble("LOG2", x -> Math.log(x) / Math.log(2)));
        all.add(unaryDouble("SIN", Math::sin));
        all.add(unaryDouble("COS", Math::cos));
        all.add(unaryDouble("TAN", Math::tan));
        all.add(unaryDouble("ASIN", Math::asin));
        all.add(unaryDouble("ACOS", Math::acos));
        all.add(unaryDouble("ATAN", Math::atan));
        all.add(unaryDouble("DEGREES", Math::toDegrees));
        all.add(unaryDouble("RADIANS", Math::toRadians));
        return all;
    }

    private static Fn unaryDouble(String name, DoubleUnaryOperator f) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "NUMERIC");
            return ScalarType.DOUBLE;
        }, (args, t) -> a -> f.applyAsDouble(Numbers.toDouble(a[0])));
    }

    private static Fn binaryDouble(String name, DoubleBinaryOperator f) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "NUMERIC", "NUMERIC");
            return ScalarType.DOUBLE;
        }, (args, t) -> a -> f.applyAsDouble(Numbers.toDouble(a[0]), Numbers.toDouble(a[1])));
    }

    /** ROUND/TRUNCATE(x[, d]); for a DECIMAL x the digits d must be a constant (they fix the type). */
    private static Fn rounding(String name, RoundingMode mode) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "NUMERIC", "[INTEGER]");
            SqlType t = args.get(0).type();
            if (t instanceof DecimalType d) {
                int digits = args.size() == 2 ? Args.constantInt(name, args, 1, "number of decimal places") : 0;
                return TypeRules.roundDecimal(d, digits);
            }
            return t == ScalarType.NULL ? ScalarType.DOUBLE : t;
        }, (args, type) -> {
            if (type instanceof DecimalType d) {
                int digits = args.size() == 2 ? Args.constantInt(name, args, 1, "number of decimal places") : 0;
                return a -> Numbers.fit(Numbers.toDecimal(a[0]).setScale(digits, mode), d);
            }
            if (type == ScalarType.DOUBLE) {
                return a -> {
                    double x = Numbers.toDouble(a[0]);
                    if (Double.isNaN(x) || Double.isInfinite(x)) {
                        return x;
                    }
                    return BigDecimal.valueOf(x).setScale(digits(a), mode).doubleValue();
                };
            }
            return a -> {
                int digits = digits(a);
                long x = Numbers.toLong(a[0]);
                if (digits >= 0) {
                    return Numbers.boxExact(x, type, name);
                }
                long r = BigDecimal.valueOf(x).setScale(digits, mode).setScale(0).longValueExact();
                return Numbers.boxExact(r, type, name + "(" + x + ", " + digits + ")");
            };
        });
    }

    private static int digits(Object[] a) {
        return a.length > 1 ? (int) Numbers.toLong(a[1]) : 0;
    }

    /**
     * FLOOR/CEIL(x) of a number, or FLOOR/CEIL(ts, 'unit') for Flink's {@code FLOOR(ts TO unit)}:
     * the start of the unit (as Flink, a WEEK starts on Sunday here, unlike DATE_TRUNC's ISO
     * Monday), or for CEIL the start of the next unit unless ts is already on a boundary.
     */
    private static Fn floorOrCeil(String name, RoundingMode mode) {
        boolean floor = mode == RoundingMode.FLOOR;
        return Fn.of(name, args -> {
            if (args.size() == 2) {
                Sig.check(name, args, "DATETIME", "VARCHAR");
                DateUnit.parse(name, Args.constantString(name, args, 1, "unit"), DateUnit.TRUNCATABLE);
                SqlType t = args.get(0).type();
                return t == ScalarType.DATE ? ScalarType.TIMESTAMP : t == ScalarType.NULL ? ScalarType.TIMESTAMP : t;
            }
            Sig.check(name, args, "NUMERIC");
            SqlType t = args.get(0).type();
            return t instanceof DecimalType d ? TypeRules.roundDecimal(d, 0) : t == ScalarType.NULL ? ScalarType.DOUBLE : t;
        }, (args, type) -> {
            if (args.size() == 2) {
                DateUnit unit = DateUnit.parse(name, Args.constantString(name, args, 1, "unit"), DateUnit.TRUNCATABLE);
                boolean date = args.get(0).type() == ScalarType.DATE;
                return a -> {
                    long millis = date ? DateTimes.toTimestamp((Integer) a[0]) : (Long) a[0];
                    long start = unit == DateUnit.WEEK
                            ? TemporalFunctions.truncate(DateUnit.DAY, millis)
                                    - Math.floorMod(TemporalFunctions.extract(DateUnit.DOW, millis) - 1, 7) * DateTimes.MILLIS_PER_DAY
                            : TemporalFunctions.truncate(unit, millis);
                    return floor || start == millis ? start : TemporalFunctions.add(unit, 1, start);
                };
            }
            if (type instanceof DecimalType d) {
                return a -> Numbers.fit(Numbers.toDecimal(a[0]).setScale(0, mode), d);
            }
            if (type == ScalarType.DOUBLE) {
                return mode == RoundingMode.FLOOR ? a -> Math.floor(Numbers.toDouble(a[0])) : a -> Math.ceil(Numbers.toDouble(a[0]));
            }
            return a -> a[0];
        });
    }

    private static Fn abs() {
        return Fn.of("ABS", args -> {
            Sig.check("ABS", args, "NUMERIC");
            SqlType t = args.get(0).type();
            return t == ScalarType.NULL ? ScalarType.INTEGER : t;
        }, (args, type) -> {
            if (type == ScalarType.DOUBLE) {
                return a -> Math.abs(Numbers.toDouble(a[0]));
            }
            if (type instanceof DecimalType) {
                return a -> Numbers.toDecimal(a[0]).abs();
            }
            return a -> {
                long x = Numbers.toLong(a[0]);
                if (x == Long.MIN_VALUE) {
                    throw ArithmeticOperators.overflow(type.sql(), "ABS(" + x + ")");
                }
                return Numbers.boxExact(Math.abs(x), type, "ABS(" + x + ")");
            };
        });
    }

    /** SIGN(x): -1, 0 or 1 in x's type (a DECIMAL(p, s) gives DECIMAL(s + 1, s)). */
    private static Fn sign() {
        return Fn.of("SIGN", args -> {
            Sig.check("SIGN", args, "NUMERIC");
            SqlType t = args.get(0).type();
            return t instanceof DecimalType d ? new DecimalType(Math.min(38, d.scale() + 1), d.scale())
                    : t == ScalarType.NULL ? ScalarType.INTEGER : t;
        }, (args, type) -> {
            if (type == ScalarType.DOUBLE) {
                return a -> Math.signum(Numbers.toDouble(a[0]));
            }
            if (type instanceof DecimalType d) {
                return a -> BigDecimal.valueOf(Numbers.toDecimal(a[0]).signum()).setScale(d.scale());
            }
            return a -> Numbers.boxExact(Long.signum(Numbers.toLong(a[0])), type, "SIGN");
        });
    }

    /**
     * WIDTH_BUCKET(x, low, high, n) as PostgreSQL: the bucket 1..n of n equal-width buckets over
     * [low, high), 0 below the range and n + 1 at or above it (mirrored when low &gt; high).
     */
    private static Fn widthBucket() {
        return Fn.of("WIDTH_BUCKET", args -> {
            Sig.check("WIDTH_BUCKET", args, "NUMERIC", "NUMERIC", "NUMERIC", "INTEGER");
            return ScalarType.INTEGER;
        }, (args, type) -> a -> {
            long n = Numbers.toLong(a[3]);
            if (n <= 0) {
                throw new IllegalArgumentException("WIDTH_BUCKET count must be greater than zero, got " + n);
            }
            BigDecimal x = exact(a[0]);
            BigDecimal low = exact(a[1]);
            BigDecimal high = exact(a[2]);
            int direction = low.compareTo(high);
            if (direction == 0) {
                throw new IllegalArgumentException("WIDTH_BUCKET lower bound cannot equal upper bound");
            }
            if (direction < 0 ? x.compareTo(low) < 0 : x.compareTo(low) > 0) {
                return 0;
            }
            if (direction < 0 ? x.compareTo(high) >= 0 : x.compareTo(high) <= 0) {
                return Numbers.toIntExact(n + 1, "WIDTH_BUCKET");
            }
            BigDecimal position = x.subtract(low).multiply(BigDecimal.valueOf(n))
                    .divide(high.subtract(low), 0, RoundingMode.FLOOR);
            return Numbers.toIntExact(position.longValue() + 1, "WIDTH_BUCKET");
        });
    }

    private static BigDecimal exact(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new IllegalArgumentException("WIDTH_BUCKET operands must be finite, got " + d);
        }
        return Numbers.toDecimal(v);
    }

    /** RAND() in [0, 1); RAND(seed) repeats one sequence per call site, as Flink. */
    private static Fn rand() {
        return Fn.of("RAND", args -> {
            Sig.check("RAND", args, "[INTEGER]");
            if (args.size() == 1 && !(Args.isConstant(args.get(0)))) {
                throw new FunctionException("RAND expects a constant INTEGER seed, got " + Args.describe(args.get(0)));
            }
            return ScalarType.DOUBLE;
        }, (args, type) -> {
            if (args.size() == 1) {
                Object seed = Args.constantValue(args.get(0));
                Random random = new Random(seed == null ? 0 : Numbers.toLong(seed));
                return a -> random.nextDouble();
            }
            return a -> ThreadLocalRandom.current().nextDouble();
        }).seeingNulls().nonDeterministic();
    }

}
