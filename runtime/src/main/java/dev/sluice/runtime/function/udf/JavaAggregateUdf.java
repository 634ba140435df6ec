package dev.sluice.runtime.function.udf;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.runtime.errors.UdfFailedException;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A user-defined aggregate function, Flink's {@code AggregateFunction} convention without a Sluice
 * or Flink dependency: a public class with a public no-argument constructor and public methods
 * <ul>
 *   <li>{@code ACC createAccumulator(initial...)}: an empty accumulator; its parameters, if any, take
 *       the call's constant arguments after the column ones ({@code MULTI_ARG(col, 5, 'x')});</li>
 *   <li>{@code void accumulate(ACC acc, args...)}: one or more overloads, chosen by the call's argument
 *       types; the last may be variadic ({@code String... rest}), a parameter may be {@code Object},
 *       a type variable of the class, a {@code List}, {@code Map}, {@code BigDecimal} or a record (a
 *       STRUCT), see {@link UdafTypes};</li>
 *   <li>{@code T getValue(ACC acc)}: the result, whose SQL type may follow the arguments' ({@code List<A>});</li>
 *   <li>optional {@code void retract(ACC acc, args...)}: needed to aggregate a table, whose rows change;</li>
 *   <li>optional {@code void merge(ACC acc, ACC other)} or Flink's {@code merge(ACC acc, Iterable<ACC> others)}:
 *       needed by session windows, which merge.</li>
 * </ul>
 * The accumulator is kept in a state store as JSON (Jackson, every field, so a plain class with
 * fields and a no-argument constructor round-trips; so do boxed numbers, strings, lists and maps).
 * A NULL argument is passed as null to a boxed parameter; a row with a NULL for a primitive parameter
 * is skipped, as SQL's aggregates skip NULLs. An exception thrown by the class fails that record
 * (logged, counted as {@code udf_error}, dead-lettered), never the pipeline.
 */
public final class JavaAggregateUdf implements AggregateFunction {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String name;
    private final String declaredName;
    private final Object instance;
    private final UdafMethods methods;

    private JavaAggregateUdf(String declaredName, Object instance, UdafMethods methods) {
        this.name = declaredName.toUpperCase(Locale.ROOT);
        this.declaredName = declaredName;
        this.instance = instance;
        this.methods = methods;
    }

    /** Whether {@code type} follows the aggregate convention (has {@code accumulate} methods). */
    public static boolean isAggregate(Class<?> type) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("accumulate"));
    }

    /** Loads {@code type}; the message of the exception says what is wrong with it. */
    public static JavaAggregateUdf load(String name, Class<?> type) {
        String className = type.getName();
        UdafMethods methods = UdafMethods.of(type);
        if (methods.creators().isEmpty()) {
            throw new IllegalArgumentException("aggregate class '" + className
                    + "' has no public `createAccumulator(...)` method");
        }
        if (methods.creators().stream().anyMatch(m -> m.getReturnType() == void.class)) {
            throw new IllegalArgumentException("`createAccumulator` of '" + className + "' returns nothing");
        }
        if (methods.getValues().stream().noneMatch(m -> UdafTypes.expressible(m.getGenericReturnType()))) {
            throw new IllegalArgumentException("aggregate class '" + className + "' has no public `getValue(ACC)` "
                    + "returning long, int, double, boolean, String (or their boxes), a record, a List or Map of "
                    + "those, or a type variable of the class");
        }
        if (methods.accumulates().isEmpty()) {
            throw new IllegalArgumentException("aggregate class '" + className + "' has no public `accumulate(ACC, "
                    + "...)` method");
        }
        try {
            Object instance = type.getConstructor().newInstance();
            return new JavaAggregateUdf(name, instance, methods);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("class '" + className + "' needs a public constructor without arguments");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The name as the script (or functions file) declared it, for messages in ksqlDB's words. */
    public String declaredName() {
        return declaredName;
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return overload(arguments).result();
    }

    private UdafOverload overload(List<Expr> arguments) {
        return methods.resolve(name, arguments).orElseThrow(() -> new FunctionException(name + " has no accumulate "
                + "(with createAccumulator) for " + arguments.stream().map(a -> a.type().sql()).toList()
                + "; it has " + methods.signatures()));
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        UdafOverload overload = overload(arguments);
        return new AccumulatorFactory() {
            @Override
            public Accumulator create() {
                return new UdafAccumulator(overload, newAccumulator(overload));
            }

            @Override
            public Accumulator read(DataInput in) throws IOException {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new UdafAccumulator(overload, JSON.readValue(bytes, overload.accumulatorClass()));
            }
        };
    }

    private Object newAccumulator(UdafOverload overload) {
        if (overload.creator() instanceof Method m) {
            return invoke(m, overload.initialArguments());
        }
        try {
            return ((Constructor<?>) overload.creator()).newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new UdfFailedException("function " + name + " failed creating its accumulator: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new UdfFailedException("function " + name + " cannot create its accumulator: " + e.getMessage(), e);
        }
    }

    private Object invoke(Method method, Object... arguments) {
        try {
            return method.invoke(instance, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new UdfFailedException("function " + name + " failed in " + method.getName() + ": " + cause, cause);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new UdfFailedException("function " + name + " cannot be called: " + e.getMessage(), e);
        }
    }

    /** One group's accumulator: the user's object, called through the chosen methods. */
    private final class UdafAccumulator implements Accumulator {
        private final UdafOverload overload;
        private final Object state;

        UdafAccumulator(UdafOverload overload, Object state) {
            this.overload = overload;
            this.state = state;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            call(overload.accumulate(), arguments);
        }

        @Override
        public boolean canRetract() {
            return overload.retract().isPresent();
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            call(overload.retract().orElseThrow(() -> new UnsupportedOperationException(name + " has no retract method")),
                    arguments);
        }

        private void call(Method method, Object[] arguments) {
            // the arguments after the columns are the initial ones, given to createAccumulator already
            Object[] converted = overload.invocation(method, state, arguments);
            if (converted != null) {
                invoke(method, converted);
            }
        }

        @Override
        public void merge(Accumulator other) {
            Method m = overload.merge().orElseThrow(() -> new UdfFailedException("function " + name + " has no merge "
                    + "method (needed to merge session windows)", null));
            Object theirs = ((UdafAccumulator) other).state;
            invoke(m, state, m.getParameterTypes()[1] == Iterable.class ? List.of(theirs) : theirs);
        }

        @Override
        public Object result() {
            try {
                return UdafTypes.toSql(invoke(overload.getValue(), state), overload.result());
            } catch (ClassCastException | IllegalArgumentException e) {
                throw new UdfFailedException("function " + name + " returned a value that is no "
                        + overload.result().sql() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void write(DataOutput out) throws IOException {
            byte[] bytes = JSON.writeValueAsBytes(state);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }
}
