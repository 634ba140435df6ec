package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.runtime.function.ScalarFunction.Implementation;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * {@code + - * / %} (alias MOD) and unary {@code NEGATE}. Result types come from
 * {@link TypeRules}; temporal operands are delegated to {@link TemporalArithmetic}.
 *
 * <p>Run-time rules: INTEGER and BIGINT division truncates toward zero (7 / 2 = 3, -7 / 2 = -3)
 * and % keeps the dividend's sign (MOD(-7, 2) = -1), as Java and Flink do. DECIMAL division
 * rounds HALF_UP (to 38 digits, then to the result scale, exactly as Flink). Integer overflow,
 * DECIMAL overflow and division by zero of exact numbers throw {@link ArithmeticException}
 * naming the operation; Flink silently wraps integers and returns NULL for DECIMAL overflow,
 * which Sluice treats as a record failure instead. DOUBLE follows IEEE 754 like Flink:
 * {@code 1.0E0 / 0} is Infinity and {@code 0.0E0 / 0} is NaN.
 */
final class ArithmeticOperators {
    private static final String EXPECTED = "numeric operands, or TIMESTAMP ± INTERVAL, TIMESTAMP - TIMESTAMP, "
            + "DATE ± INTEGER, DATE - DATE, INTERVAL ± INTERVAL, INTERVAL * number, INTERVAL / number";

    private ArithmeticOperators() {
    }

    static List<ScalarFunction> all() {
        return List.of(binary("+"), binary("-"), binary("*"), binary("/"), binary("%").withAliases("MOD"), negate());
    }

    private static Fn binary(String op) {
        return Fn.of(op, args -> returnType(op, args), (args, type) -> bind(op, args, type));
    }

    static SqlType returnType(String op, List<Expr> args) {
        Args.count(op, EXPECTED, args, 2, 2);
        SqlType[] t = operandTypes(args);
        Optional<SqlType> numeric = TypeRules.numericResult(op, t[0], t[1]);
        if (numeric.isPresent()) {
            return numeric.get();
        }
        return TemporalArithmetic.returnType(op, t[0], t[1]).orElseThrow(() -> Args.mismatch(op, EXPECTED, args));
    }

    /** An untyped NULL operand takes the other operand's type (the result is NULL anyway). */
    private static SqlType[] operandTypes(List<Expr> args) {
        SqlType a = args.get(0).type();
        SqlType b = args.get(1).type();
        if (a == ScalarType.NULL && b == ScalarType.NULL) {
            return new SqlType[] {ScalarType.INTEGER, ScalarType.INTEGER};
        }
        return new SqlType[] {a == ScalarType.NULL ? b : a, b == ScalarType.NULL ? a : b};
    }

    private static Implementation bind(String op, List<Expr> args, SqlType resultType) {
        SqlType[] t = operandTypes(args);
        if (t[0].isNumeric() && t[1].isNumeric()) {
            if (resultType == ScalarType.DOUBLE) {
                return doubleOp(op);
            }
            if (resultType instanceof DecimalType d) {
                return decimalOp(op, d);
            }
            return exactOp(op, resultType);
        }
        return TemporalArithmetic.bind(op, t[0], t[1]);
    }

    private static Implementation doubleOp(String op) {
        return switch (op) {
            case "+" -> a -> Numbers.toDouble(a[0]) + Numbers.toDouble(a[1]);
            case "-" -> a -> Numbers.toDouble(a[0]) - Numbers.toDouble(a[1]);
            case "*" -> a -> Numbers.toDouble(a[0]) * Numbers.toDouble(a[1]);
            case "/" -> a -> Numbers.toDouble(a[0]) / Numbers.toDouble(a[1]);
            default -> a -> Numbers.toDouble(a[0]) % Numbers.toDouble(a[1]);
        };
    }

    private static Implementation decimalOp(String op, DecimalType type) {
        return switch (op) {
            case "+" -> a -> Numbers.fit(Numbers.toDecimal(a[0]).add(Numbers.toDecimal(a[1])), type);
            case "-" -> a -> Numbers.fit(Numbers.toDecimal(a[0]).subtract(Numbers.toDecimal(a[1])), type);
            case "*" -> a -> Numbers.fit(Numbers.toDecimal(a[0]).multiply(Numbers.toDecimal(a[1])), type);
            case "/" -> a -> {
                BigDecimal divisor = nonZero(Numbers.toDecimal(a[1]), a, op);
                return Numbers.fit(Numbers.toDecimal(a[0]).divide(divisor, Numbers.DIVIDE_CONTEXT), type);
            };
            default -> a -> {
                BigDecimal divisor = nonZero(Numbers.toDecimal(a[1]), a, op);
                return Numbers.fit(Numbers.toDecimal(a[0]).remainder(divisor), type);
            };
        };
    }

    private static BigDecimal nonZero(BigDecimal divisor, Object[] a, String op) {
        if (divisor.signum() == 0) {
            throw divisionByZero(a, op);
        }
        return divisor;
    }

    private static ArithmeticException divisionByZero(Object[] a, String op) {
        return new ArithmeticException("division by zero: " + a[0] + " " + op + " " + a[1]);
    }

    private static Implementation exactOp(String op, SqlType type) {
        String typeName = type.sql();
        return a -> {
            long x = Numbers.toLong(a[0]);
            long y = Numbers.toLong(a[1]);
            long r;
            try {
                r = switch (op) {
                    case "+" -> Math.addExact(x, y);
                    case "-" -> Math.subtractExact(x, y);
                    case "*" -> Math.multiplyExact(x, y);
                    case "/" -> {
                        if (y == 0) {
                            throw divisionByZero(a, op);
                        }
                        if (x == Long.MIN_VALUE && y == -1) {
                            throw new ArithmeticException("long overflow");
                        }
                        yield x / y;
                    }
                    default -> {
                        if (y == 0) {
                            throw divisionByZero(a, op);
                        }
                        yield x % y;
                    }
                };
            } catch (ArithmeticException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("division by zero")) {
                    throw e;
                }
                throw overflow(typeName, x + " " + op + " " + y);
            }
            if (type == ScalarType.INTEGER && (r < Integer.MIN_VALUE || r > Integer.MAX_VALUE)) {
                throw overflow(typeName, x + " " + op + " " + y);
            }
            return type == ScalarType.INTEGER ? (Object) (int) r : (Object) r;
        };
    }

    static ArithmeticException overflow(String typeName, String expression) {
        return new ArithmeticException(typeName + " overflow: " + expression + " is out of range");
    }

    private static Fn negate() {
        String expected = "a numeric or INTERVAL operand";
        return Fn.of("NEGATE", args -> {
            Args.count("NEGATE", expected, args, 1, 1);
            SqlType t = args.get(0).type();
            if (t.isNumeric() || t == ScalarType.INTERVAL) {
                return t;
            }
            if (t == ScalarType.NULL) {
                return ScalarType.INTEGER;
            }
            throw Args.mismatch("NEGATE", expected, args);
        }, (args, type) -> {
            if (type == ScalarType.DOUBLE) {
                return a -> -Numbers.toDouble(a[0]);
            }
            if (type instanceof DecimalType d) {
                return a -> Numbers.fit(Numbers.toDecimal(a[0]).negate(), d);
            }
            return a -> {
                long v = Numbers.toLong(a[0]);
                if (v == Long.MIN_VALUE || type == ScalarType.INTEGER && v == Integer.MIN_VALUE) {
                    throw overflow(type.sql(), "-(" + v + ")");
                }
                return type == ScalarType.INTEGER ? (Object) (int) -v : (Object) (-v);
            };
        });
    }
}
