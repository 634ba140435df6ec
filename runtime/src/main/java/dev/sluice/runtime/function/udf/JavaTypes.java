package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How a user function's Java parameter and return types map to SQL types, and values between them. */
final class JavaTypes {
    private static final Map<Class<?>, SqlType> TYPES = Map.ofEntries(
            Map.entry(long.class, ScalarType.BIGINT), Map.entry(Long.class, ScalarType.BIGINT),
            Map.entry(int.class, ScalarType.INTEGER), Map.entry(Integer.class, ScalarType.INTEGER),
            Map.entry(double.class, ScalarType.DOUBLE), Map.entry(Double.class, ScalarType.DOUBLE),
            Map.entry(boolean.class, ScalarType.BOOLEAN), Map.entry(Boolean.class, ScalarType.BOOLEAN),
            Map.entry(String.class, ScalarType.VARCHAR));

    private JavaTypes() {
    }

    /** The SQL type of a Java type, or null when it has none. */
    static SqlType sqlType(Class<?> type) {
        return TYPES.get(type);
    }

    /** Whether parameters of these types take these arguments (INTEGER widens to BIGINT and DOUBLE). */
    static boolean fits(Class<?>[] parameters, List<Expr> arguments) {
        if (parameters.length != arguments.size()) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            SqlType want = TYPES.get(parameters[i]);
            SqlType got = arguments.get(i).type();
            if (want == null || !(got == want || got == ScalarType.NULL || widens(got, want))) {
                return false;
            }
        }
        return true;
    }

    private static boolean widens(SqlType from, SqlType to) {
        return (to == ScalarType.BIGINT && from == ScalarType.INTEGER)
                || (to == ScalarType.DOUBLE && (from == ScalarType.INTEGER || from == ScalarType.BIGINT));
    }

    /** A SQL value as the parameter's Java type (numbers widened or narrowed to it). */
    static Object convert(Object value, Class<?> parameter) {
        if (value instanceof Number n) {
            if (parameter == long.class || parameter == Long.class) {
                return n.longValue();
            }
            if (parameter == int.class || parameter == Integer.class) {
                return n.intValue();
            }
            if (parameter == double.class || parameter == Double.class) {
                return n.doubleValue();
            }
        }
        return value;
    }

    static String signature(Method m) {
        List<String> types = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
            types.add(p.getSimpleName());
        }
        return m.getReturnType().getSimpleName() + " " + m.getName() + "(" + String.join(", ", types) + ")";
    }
}
