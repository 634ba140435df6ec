package dev.sluice.runtime.function.udf;

import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a user class's methods a call takes: the one whose parameters fit the arguments' SQL types at
 * the lowest {@link UdfTypes#cost} (an exact {@code eval(int, String)} before a widening
 * {@code eval(long, String)}, both before a variadic {@code eval(long...)}); ties go to the method whose
 * signature sorts first, so the choice never depends on reflection's order.
 */
final class EvalOverloads {
    /** A variadic method is the last resort. */
    private static final int VARIADIC = 100;

    private EvalOverloads() {
    }

    static Optional<Method> choose(List<Method> methods, List<SqlType> arguments) {
        Method best = null;
        int bestCost = Integer.MAX_VALUE;
        for (Method m : methods.stream().sorted(Comparator.comparing(JavaTypes::signature)).toList()) {
            int cost = cost(m, arguments);
            if (cost != UdfTypes.NO && cost < bestCost) {
                best = m;
                bestCost = cost;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int cost(Method m, List<SqlType> arguments) {
        Type[] parameters = m.getGenericParameterTypes();
        int fixed = m.isVarArgs() ? parameters.length - 1 : parameters.length;
        if (m.isVarArgs() ? arguments.size() < fixed : arguments.size() != fixed) {
            return UdfTypes.NO;
        }
        int total = m.isVarArgs() ? VARIADIC : 0;
        for (int i = 0; i < arguments.size(); i++) {
            Type parameter = i < fixed ? parameters[i] : component(parameters[fixed]);
            int c = UdfTypes.cost(parameter, arguments.get(i));
            if (c == UdfTypes.NO) {
                return UdfTypes.NO;
            }
            total += c;
        }
        return total;
    }

    private static Type component(Type array) {
        return array instanceof GenericArrayType g ? g.getGenericComponentType() : ((Class<?>) array).getComponentType();
    }

    /**
     * The Java arguments of {@code m} for these SQL values: converted to the parameters' types, the trailing
     * ones of a variadic method gathered into its array. Null when a NULL meets a primitive parameter.
     */
    static Object[] arguments(Method m, Object[] values, List<SqlType> types) {
        Type[] parameters = m.getGenericParameterTypes();
        int fixed = m.isVarArgs() ? parameters.length - 1 : parameters.length;
        Class<?>[] raw = m.getParameterTypes();
        Object[] out = new Object[parameters.length];
        for (int i = 0; i < fixed; i++) {
            if (values[i] == null && raw[i].isPrimitive()) {
                return null;
            }
            out[i] = JavaTypes.toJava(values[i], parameters[i], types.get(i));
        }
        if (m.isVarArgs()) {
            Class<?> componentClass = raw[fixed].getComponentType();
            Type component = component(parameters[fixed]);
            Object rest = Array.newInstance(componentClass, values.length - fixed);
            for (int i = fixed; i < values.length; i++) {
                if (values[i] == null && componentClass.isPrimitive()) {
                    return null;
                }
                Array.set(rest, i - fixed, JavaTypes.toJava(values[i], component, types.get(i)));
            }
            out[fixed] = rest;
        }
        return out;
    }
}
