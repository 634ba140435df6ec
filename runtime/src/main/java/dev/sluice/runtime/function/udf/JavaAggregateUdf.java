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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A user-defined aggregate function, Flink's {@code AggregateFunction} convention without a Sluice
 * or Flink dependency: a public class with a public no-argument constructor and public methods
 * <ul>
 *   <li>{@code ACC createAccumulator()}: an empty accumulator;</li>
 *   <li>{@code void accumulate(ACC acc, args...)}: one or more overloads, chosen by the call's argument types;</li>
 *   <li>{@code T getValue(ACC acc)}: the result (long, int, double, boolean, String or their boxes);</li>
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
    private final Object instance;
    private final Method create;
    private final Method getValue;
    private final List<Method> accumulates;
    private final List<Method> retracts;
    private final Optional<Method> merge;
    private final Class<?> accumulatorType;

    private JavaAggregateUdf(String name, Object instance, Method create, Method getValue, List<Method> accumulates,
                             List<Method> retracts, Optional<Method> merge) {
        this.name = name;
        this.instance = instance;
        this.create = create;
        this.getValue = getValue;
        this.accumulates = accumulates;
        this.retracts = retracts;
        this.merge = merge;
        this.accumulatorType = create.getReturnType();
    }

    /** Whether {@code type} follows the aggregate convention (has {@code accumulate} methods). */
    public static boolean isAggregate(Class<?> type) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("accumulate"));
    }

    /** Loads {@code type}; the message of the exception says what is wrong with it. */
    public static JavaAggregateUdf load(String name, Class<?> type) {
        String className = type.getName();
        Method create = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals("createAccumulator") && m.getParameterCount() == 0 && instance(m))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("aggregate class '" + className
                        + "' has no public `createAccumulator()` method"));
        Class<?> acc = create.getReturnType();
        if (acc == void.class) {
            throw new IllegalArgumentException("`createAccumulator()` of '" + className + "' returns nothing");
        }
        Method getValue = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals("getValue") && m.getParameterCount() == 1 && instance(m)
                        && m.getParameterTypes()[0].isAssignableFrom(acc) && JavaTypes.sqlType(m.getReturnType()) != null)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("aggregate class '" + className
                        + "' has no public `getValue(" + acc.getSimpleName() + ")` returning long, int, double, "
                        + "boolean or String"));
        List<Method> accumulates = withAccumulator(type, "accumulate", acc);
        if (accumulates.isEmpty()) {
            throw new IllegalArgumentException("aggregate class '" + className + "' has no public `accumulate("
                    + acc.getSimpleName() + ", ...)` method taking long, int, double, boolean or String values");
        }
        Optional<Method> merge = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals("merge") && m.getParameterCount() == 2 && instance(m)
                        && m.getParameterTypes()[0].isAssignableFrom(acc)
                        && (m.getParameterTypes()[1].isAssignableFrom(acc) || m.getParameterTypes()[1] == Iterable.class))
                .findFirst();
        try {
            Object instance = type.getConstructor().newInstance();
            return new JavaAggregateUdf(name.toUpperCase(Locale.ROOT), instance, create, getValue, accumulates,
                    withAccumulator(type, "retract", acc), merge);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("class '" + className + "' needs a public constructor without arguments");
        }
    }

    private static boolean instance(Method m) {
        return !Modifier.isStatic(m.getModifiers());
    }

    /** Public methods {@code name(ACC, values...)} whose value parameters all have SQL types. */
    private static List<Method> withAccumulator(Class<?> type, String name, Class<?> acc) {
        List<Method> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && instance(m) && m.getParameterCount() >= 1
                    && m.getParameterTypes()[0].isAssignableFrom(acc)
                    && Arrays.stream(m.getParameterTypes()).skip(1).allMatch(p -> JavaTypes.sqlType(p) != null)) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        choose(accumulates, arguments).orElseThrow(() -> new FunctionException(name + " has no accumulate(ACC, "
                + arguments.stream().map(a -> a.type().sql()).toList() + "); it has "
                + accumulates.stream().map(JavaTypes::signature).toList()));
        return JavaTypes.sqlType(getValue.getReturnType());
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        Method accumulate = choose(accumulates, arguments).orElseThrow();
        Optional<Method> retract = choose(retracts, arguments);
        return new AccumulatorFactory() {
            @Override
            public Accumulator create() {
                return new UdafAccumulator(accumulate, retract, invoke(create));
            }

            @Override
            public Accumulator read(DataInput in) throws IOException {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new UdafAccumulator(accumulate, retract, JSON.readValue(bytes, accumulatorType));
            }
        };
    }

    private static Optional<Method> choose(List<Method> methods, List<Expr> arguments) {
        return methods.stream().filter(m -> JavaTypes.fits(Arrays.copyOfRange(m.getParameterTypes(), 1,
                m.getParameterCount()), arguments)).findFirst();
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
        private final Method accumulate;
        private final Optional<Method> retract;
        private final Object state;

        UdafAccumulator(Method accumulate, Optional<Method> retract, Object state) {
            this.accumulate = accumulate;
            this.retract = retract;
            this.state = state;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            call(accumulate, arguments);
        }

        @Override
        public boolean canRetract() {
            return retract.isPresent();
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            call(retract.orElseThrow(() -> new UnsupportedOperationException(name + " has no retract method")),
                    arguments);
        }

        private void call(Method method, Object[] arguments) {
            Class<?>[] parameters = method.getParameterTypes();
            Object[] converted = new Object[arguments.length + 1];
            converted[0] = state;
            for (int i = 0; i < arguments.length; i++) {
                if (arguments[i] == null && parameters[i + 1].isPrimitive()) {
                    return; // SQL aggregates skip NULL inputs; a primitive cannot hold one
                }
                converted[i + 1] = JavaTypes.convert(arguments[i], parameters[i + 1]);
            }
            invoke(method, converted);
        }

        @Override
        public void merge(Accumulator other) {
            Method m = merge.orElseThrow(() -> new UdfFailedException("function " + name + " has no merge method "
                    + "(needed to merge session windows)", null));
            Object theirs = ((UdafAccumulator) other).state;
            invoke(m, state, m.getParameterTypes()[1] == Iterable.class ? List.of(theirs) : theirs);
        }

        @Override
        public Object result() {
            return invoke(getValue, state);
        }

        @Override
        public void write(DataOutput out) throws IOException {
            byte[] bytes = JSON.writeValueAsBytes(state);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }
}
