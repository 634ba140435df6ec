package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.Array;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * The methods of a user aggregate that one call uses, chosen from its argument types when the
 * query is compiled: the first {@code columns} arguments are the rows' values passed to
 * {@code accumulate} (and {@code retract}); the ones after them are the call's constant initial
 * arguments, passed once to the {@code createAccumulator} overload that takes them.
 *
 * @param accumulatorClass what the creator makes: the class the state store's JSON is read back as
 * @param creator          a {@code createAccumulator} method, or the accumulator class's no-argument constructor
 * @param initialArguments the creator's arguments, converted to its parameter types (varargs packed)
 * @param result           the SQL type of {@code getValue}'s result for these arguments
 * @param columnArguments  the column arguments: a constant one ({@code VAR_ARG(x, 'a')}) is not
 *                         evaluated per row (the rows carry the others only), its value is taken here
 */
record UdafOverload(Method accumulate, int columns, Executable creator, Object[] initialArguments,
                    Class<?> accumulatorClass, Method getValue, Optional<Method> retract, Optional<Method> merge,
                    SqlType result, List<Expr> columnArguments) {

    /** The values of all column arguments, from a row's values of the non-constant ones. */
    private Object[] columnValues(Object[] variable) {
        Object[] out = new Object[columns];
        int next = 0;
        for (int i = 0; i < columns; i++) {
            out[i] = columnArguments.get(i) instanceof Expr.Literal literal ? literal.value() : variable[next++];
        }
        return out;
    }

    private SqlType argumentType(int i) {
        return columnArguments.get(i).type();
    }

    /**
     * The Java arguments of {@code method(acc, values...)} for one row's column values, or null when
     * a NULL would reach a primitive parameter (SQL aggregates skip NULLs; a primitive cannot hold one).
     */
    Object[] invocation(Method method, Object accumulator, Object[] variable) {
        Object[] values = columnValues(variable);
        Class<?>[] parameters = method.getParameterTypes();
        Type[] generic = method.getGenericParameterTypes();
        int fixed = method.isVarArgs() ? parameters.length - 2 : parameters.length - 1;
        Object[] out = new Object[parameters.length];
        out[0] = accumulator;
        for (int i = 0; i < fixed; i++) {
            if (values[i] == null && parameters[i + 1].isPrimitive()) {
                return null;
            }
            out[i + 1] = JavaTypes.toJava(values[i], generic[i + 1], argumentType(i));
        }
        if (method.isVarArgs()) {
            Class<?> component = parameters[parameters.length - 1].getComponentType();
            Type element = UdafTypes.element(generic[generic.length - 1]);
            Object rest = Array.newInstance(component, columns - fixed);
            for (int i = fixed; i < columns; i++) {
                if (values[i] == null && component.isPrimitive()) {
                    return null;
                }
                Array.set(rest, i - fixed, JavaTypes.toJava(values[i], element, argumentType(i)));
            }
            out[out.length - 1] = rest;
        }
        return out;
    }
}
