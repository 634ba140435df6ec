package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.errors.UdfFailedException;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A user-defined scalar function: a public class with a public no-argument constructor and one or
 * more public methods named {@code eval} (the convention of Flink's ScalarFunction, so a user's
 * class needs no Sluice dependency); or a user-defined table function, whose methods are named
 * {@code rows} and return a {@code java.util.List}, one output row per element (used like EXPLODE).
 * The overload is chosen when the query is compiled ({@link EvalOverloads}); per record there is
 * one reflective call.
 *
 * <p>Java types map to SQL types ({@link JavaTypes}, {@link UdfTypes}). Two optional public static
 * methods of the class say what Java cannot:
 * <ul>
 *   <li>{@code String sqlReturnType(List<String> argumentTypes)}: the SQL type (e.g.
 *       {@code "STRUCT<A VARCHAR>"}) of a method whose Java return type does not tell it (a Map
 *       returned as a STRUCT, a BigDecimal, Object), given the call's argument types; for a table
 *       function, the type of one row's value;</li>
 *   <li>{@code boolean acceptsNulls()}: true to have NULL arguments passed as {@code null} (to
 *       reference parameters); otherwise a NULL argument gives NULL without a call.</li>
 * </ul>
 * An exception thrown by the method fails that record (it is logged, counted and dead-lettered),
 * never the pipeline.
 */
public final class JavaScalarUdf implements ScalarFunction {
    /** The method name of a scalar function's overloads. */
    public static final String SCALAR = "eval";
    /** The method name of a table function's overloads. */
    public static final String TABLE = "rows";

    private final String name;
    private final Object instance;
    private final List<Method> overloads;
    private final boolean table;
    private final boolean acceptsNulls;
    private final Method declaredReturnType;
    private final Function<String, SqlType> typeParser;

    private JavaScalarUdf(String name, Object instance, List<Method> overloads, boolean table, boolean acceptsNulls,
                          Method declaredReturnType, Function<String, SqlType> typeParser) {
        this.name = name;
        this.instance = instance;
        this.overloads = overloads;
        this.table = table;
        this.acceptsNulls = acceptsNulls;
        this.declaredReturnType = declaredReturnType;
        this.typeParser = typeParser;
    }

    /** Whether {@code type} follows the table function convention (has public {@code rows} methods returning a List). */
    public static boolean isTableFunction(Class<?> type) {
        return !methods(type, TABLE).isEmpty();
    }

    /** Loads a scalar function without SQL type names (the types Java tells only). */
    public static JavaScalarUdf load(String name, Class<?> type) {
        return load(name, type, s -> {
            throw new IllegalArgumentException("cannot read the SQL type '" + s + "' here");
        });
    }

    /**
     * Loads {@code type} (see {@link UserFunctionClasses}) as a table function when it has {@code rows}
     * methods, else as a scalar one; {@code typeParser} reads the names {@code sqlReturnType} gives.
     * The message of the exception says what is wrong with it.
     */
    public static JavaScalarUdf load(String name, Class<?> type, Function<String, SqlType> typeParser) {
        String className = type.getName();
        boolean table = isTableFunction(type);
        List<Method> methods = methods(type, table ? TABLE : SCALAR);
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("class '" + className + "' has no public `eval` method returning "
                    + "a value, nor `rows` methods returning a List");
        }
        Method declared = staticMethod(type, "sqlReturnType", String.class, List.class);
        boolean nulls = false;
        Method acceptsNulls = staticMethod(type, "acceptsNulls", boolean.class);
        try {
            nulls = acceptsNulls != null && (boolean) acceptsNulls.invoke(null);
            Object instance = type.getConstructor().newInstance();
            return new JavaScalarUdf(name.toUpperCase(Locale.ROOT), instance, methods, table, nulls, declared, typeParser);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("`acceptsNulls()` of '" + className + "' failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("class '" + className + "' needs a public constructor without arguments");
        }
    }

    private static List<Method> methods(Class<?> type, String methodName) {
        List<Method> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(methodName) && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() != void.class
                    && (methodName.equals(SCALAR) || List.class.isAssignableFrom(m.getReturnType()))) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    private static Method staticMethod(Class<?> type, String name, Class<?> returns, Class<?>... parameters) {
        try {
            Method m = type.getMethod(name, parameters);
            return Modifier.isStatic(m.getModifiers()) && m.getReturnType() == returns ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether this is a table function: the SELECT item that calls it gives one row per element. */
    public boolean tableFunction() {
        return table;
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        Method m = choose(arguments);
        Type javaType = m.getGenericReturnType();
        if (table) {
            javaType = javaType instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                    ? p.getActualTypeArguments()[0] : Object.class;
        }
        SqlType type = UdfTypes.inferred(javaType);
        if (type == null) {
            type = declared(m, arguments);
        }
        return table ? new ArrayType(type) : type;
    }

    private SqlType declared(Method m, List<Expr> arguments) {
        if (declaredReturnType == null) {
            throw new FunctionException(name + ": the SQL type of " + JavaTypes.signature(m) + "'s result cannot be "
                    + "told from Java; declare it with `public static String sqlReturnType(List<String> argumentTypes)`");
        }
        Object text;
        try {
            text = declaredReturnType.invoke(null, arguments.stream().map(a -> a.type().sql()).toList());
        } catch (ReflectiveOperationException e) {
            throw new FunctionException(name + ": sqlReturnType failed: " + (e.getCause() != null ? e.getCause() : e));
        }
        if (text == null) {
            throw new FunctionException(name + ": sqlReturnType gave no type for " + JavaTypes.signature(m));
        }
        try {
            return typeParser.apply(text.toString());
        } catch (RuntimeException e) {
            throw new FunctionException(name + ": sqlReturnType gave '" + text + "', not a SQL type: " + e.getMessage());
        }
    }

    @Override
    public Implementation implement(List<Expr> arguments, SqlType returnType) {
        Method method = choose(arguments);
        List<SqlType> types = arguments.stream().map(Expr::type).toList();
        return args -> {
            Object[] converted = EvalOverloads.arguments(method, args, types);
            if (converted == null) {
                return null; // a NULL for a primitive parameter
            }
            Object result;
            try {
                result = method.invoke(instance, converted);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new UdfFailedException("function " + name + " failed: " + cause, cause);
            } catch (IllegalAccessException e) {
                throw new UdfFailedException("function " + name + " cannot be called: " + e.getMessage(), e);
            }
            try {
                return UdfTypes.toSql(result, returnType);
            } catch (RuntimeException e) {
                throw new UdfFailedException("function " + name + " " + e.getMessage(), e);
            }
        };
    }

    /** A function that asked for NULL arguments ({@code acceptsNulls()}) is called with them. */
    @Override
    public boolean nullOnNullInput() {
        return !acceptsNulls;
    }

    /** Also non-deterministic for safety: a user's function is never folded at compile time. */
    @Override
    public boolean deterministic() {
        return false;
    }

    private Method choose(List<Expr> arguments) {
        return EvalOverloads.choose(overloads, arguments.stream().map(Expr::type).toList())
                .orElseThrow(() -> new FunctionException(name + " has no " + (table ? TABLE : SCALAR) + "("
                        + arguments.stream().map(a -> a.type().sql()).toList() + "); it has "
                        + overloads.stream().map(JavaTypes::signature).sorted().toList()));
    }
}
