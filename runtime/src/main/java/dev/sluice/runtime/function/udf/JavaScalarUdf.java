package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user-defined scalar function: a public class with a public no-argument constructor and one or
 * more public methods named {@code eval} (the convention of Flink's ScalarFunction, so a user's
 * class needs no Sluice dependency). The overload whose parameter count and types fit the call is
 * chosen when the query is compiled; per record there is one reflective call.
 *
 * <p>Java types map to SQL types: {@code long/Long} BIGINT, {@code int/Integer} INTEGER,
 * {@code double/Double} DOUBLE, {@code boolean/Boolean} BOOLEAN, {@code String} VARCHAR,
 * A NULL argument gives NULL without calling
 * {@code eval}. An exception thrown by {@code eval} fails that record (it is logged, counted and
 * dead-lettered), never the pipeline.
 */
public final class JavaScalarUdf implements ScalarFunction {
    private static final Map<Class<?>, SqlType> TYPES = Map.ofEntries(
            Map.entry(long.class, ScalarType.BIGINT), Map.entry(Long.class, ScalarType.BIGINT),
            Map.entry(int.class, ScalarType.INTEGER), Map.entry(Integer.class, ScalarType.INTEGER),
            Map.entry(double.class, ScalarType.DOUBLE), Map.entry(Double.class, ScalarType.DOUBLE),
            Map.entry(boolean.class, ScalarType.BOOLEAN), Map.entry(Boolean.class, ScalarType.BOOLEAN),
            Map.entry(String.class, ScalarType.VARCHAR));

    private final String name;
    private final Object instance;
    private final List<Method> overloads;

    private JavaScalarUdf(String name, Object instance, List<Method> overloads) {
        this.name = name;
        this.instance = instance;
        this.overloads = overloads;
    }

    /** Loads {@code className} from {@code loader}; the message of the exception says what is wrong with it. */
    public static JavaScalarUdf load(String name, String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class '" + className + "' was not found; give the jar that holds it"
                    + " with --udf-jar");
        }
        List<Method> evals = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals("eval") && !Modifier.isStatic(m.getModifiers()) && TYPES.containsKey(m.getReturnType())) {
                evals.add(m);
            }
        }
        if (evals.isEmpty()) {
            throw new IllegalArgumentException("class '" + className + "' has no public `eval` method returning "
                    + "long, int, double, boolean or String");
        }
        try {
            Object instance = type.getConstructor().newInstance();
            return new JavaScalarUdf(name.toUpperCase(Locale.ROOT), instance, List.copyOf(evals));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("class '" + className + "' needs a public constructor without arguments");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return TYPES.get(choose(arguments).getReturnType());
    }

    @Override
    public Implementation implement(List<Expr> arguments, SqlType returnType) {
        Method method = choose(arguments);
        Class<?>[] parameters = method.getParameterTypes();
        return args -> {
            Object[] converted = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                converted[i] = convert(args[i], parameters[i]);
            }
            try {
                return method.invoke(instance, converted);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new dev.sluice.runtime.errors.UdfFailedException("function " + name + " failed: " + cause, cause);
            } catch (IllegalAccessException e) {
                throw new dev.sluice.runtime.errors.UdfFailedException("function " + name + " cannot be called: " + e.getMessage(), e);
            }
        };
    }

    /** Also non-deterministic for safety: a user's function is never folded at compile time. */
    @Override
    public boolean deterministic() {
        return false;
    }

    private Method choose(List<Expr> arguments) {
        for (Method m : overloads) {
            if (fits(m, arguments)) {
                return m;
            }
        }
        throw new FunctionException(name + " has no eval(" + arguments.stream().map(a -> a.type().sql()).toList()
                + "); it has " + overloads.stream().map(JavaScalarUdf::signature).toList());
    }

    private static boolean fits(Method m, List<Expr> arguments) {
        Class<?>[] parameters = m.getParameterTypes();
        if (parameters.length != arguments.size()) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            SqlType want = TYPES.get(parameters[i]);
            SqlType got = arguments.get(i).type();
            if (want == null || !(got == want || got == ScalarType.NULL || numericWidening(got, want))) {
                return false;
            }
        }
        return true;
    }

    private static boolean numericWidening(SqlType from, SqlType to) {
        return (to == ScalarType.BIGINT && from == ScalarType.INTEGER)
                || (to == ScalarType.DOUBLE && (from == ScalarType.INTEGER || from == ScalarType.BIGINT));
    }

    private static Object convert(Object value, Class<?> parameter) {
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

    private static String signature(Method m) {
        List<String> types = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
            types.add(p.getSimpleName());
        }
        return m.getReturnType().getSimpleName() + " eval(" + String.join(", ", types) + ")";
    }
}
