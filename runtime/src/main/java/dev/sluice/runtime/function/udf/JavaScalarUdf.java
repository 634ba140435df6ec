package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    private final String name;
    private final Object instance;
    private final List<Method> overloads;

    private JavaScalarUdf(String name, Object instance, List<Method> overloads) {
        this.name = name;
        this.instance = instance;
        this.overloads = overloads;
    }

    /** Loads {@code type} (see {@link UserFunctionClasses}); the message of the exception says what is wrong with it. */
    public static JavaScalarUdf load(String name, Class<?> type) {
        String className = type.getName();
        List<Method> evals = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals("eval") && !Modifier.isStatic(m.getModifiers()) && JavaTypes.sqlType(m.getReturnType()) != null) {
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
        return JavaTypes.sqlType(choose(arguments).getReturnType());
    }

    @Override
    public Implementation implement(List<Expr> arguments, SqlType returnType) {
        Method method = choose(arguments);
        Class<?>[] parameters = method.getParameterTypes();
        return args -> {
            Object[] converted = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                converted[i] = JavaTypes.convert(args[i], parameters[i]);
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
            if (JavaTypes.fits(m.getParameterTypes(), arguments)) {
                return m;
            }
        }
        throw new FunctionException(name + " has no eval(" + arguments.stream().map(a -> a.type().sql()).toList()
                + "); it has " + overloads.stream().map(JavaTypes::signature).toList());
    }
}
