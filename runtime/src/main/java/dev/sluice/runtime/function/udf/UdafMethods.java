package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.SqlType;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A user aggregate class's public methods by role, and the choice among their overloads for a
 * call's argument types ({@link #resolve}). An {@code accumulate(ACC acc, ...)} overload names its
 * accumulator class by its first parameter, so one class can hold aggregates of several kinds
 * (a sum of numbers and a sum of structs, each with its own accumulator and {@code getValue}).
 */
record UdafMethods(List<Method> creators, List<Method> accumulates, List<Method> retracts, List<Method> getValues,
                   List<Method> merges) {

    static UdafMethods of(Class<?> type) {
        Method[] all = type.getMethods();
        // a stable order: getMethods() has none, and the first of equally good overloads wins
        Arrays.sort(all, Comparator.comparing(Method::toGenericString));
        return new UdafMethods(named(all, "createAccumulator", 0), named(all, "accumulate", 1),
                named(all, "retract", 1), named(all, "getValue", 1).stream().filter(m -> m.getParameterCount() == 1
                        && m.getReturnType() != void.class).toList(),
                named(all, "merge", 2).stream().filter(m -> m.getParameterCount() == 2).toList());
    }

    private static List<Method> named(Method[] all, String name, int minParameters) {
        return Arrays.stream(all).filter(m -> m.getName().equals(name) && !Modifier.isStatic(m.getModifiers())
                && m.getParameterCount() >= minParameters).toList();
    }

    /**
     * The overload for these arguments: for each {@code accumulate} overload, the most leading
     * arguments it takes whose rest a {@code createAccumulator} overload (for its accumulator class)
     * takes as initial arguments; among the overloads that fit, the one that widens fewest.
     */
    Optional<UdafOverload> resolve(String name, List<Expr> arguments) {
        UdafOverload best = null;
        int bestWidened = Integer.MAX_VALUE;
        for (Method accumulate : accumulates) {
            for (int columns = arguments.size(); columns >= 0; columns--) {
                UdafTypes.Bindings bindings = new UdafTypes.Bindings();
                List<Expr> values = arguments.subList(0, columns);
                if (!fits(accumulate, 1, values, bindings)) {
                    continue;
                }
                Optional<UdafOverload> overload = complete(accumulate, columns, arguments, bindings);
                if (overload.isPresent()) {
                    if (bindings.widened < bestWidened) {
                        best = overload.get();
                        bestWidened = bindings.widened;
                    }
                    break;
                }
            }
        }
        if (best != null) {
            for (int i = best.columns(); i < arguments.size(); i++) {
                if (!Expr.isConstant(arguments.get(i))) {
                    throw new InitialArgumentNotConstantException(name, i);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The creator, getValue, retract and merge that go with this accumulate; empty if some is missing. */
    private Optional<UdafOverload> complete(Method accumulate, int columns, List<Expr> arguments,
                                            UdafTypes.Bindings bindings) {
        Class<?> wanted = accumulate.getParameterTypes()[0];
        List<Expr> initial = arguments.subList(columns, arguments.size());
        List<Method> forClass = creators.stream().filter(c -> wanted.isAssignableFrom(c.getReturnType())).toList();
        Executable creator = null;
        Class<?> made = null;
        Object[] initialValues = new Object[0];
        for (Method c : forClass) {
            UdafTypes.Bindings own = new UdafTypes.Bindings();
            if (fits(c, 0, initial, own)) {
                bindings.widened += own.widened;
                creator = c;
                made = c.getReturnType();
                initialValues = initialValues(c, initial);
                break;
            }
        }
        if (creator == null && forClass.isEmpty() && initial.isEmpty()) {
            // an accumulator class no createAccumulator makes: its own no-argument constructor
            try {
                Constructor<?> constructor = wanted.getConstructor();
                if (!Modifier.isAbstract(wanted.getModifiers())) {
                    creator = constructor;
                    made = wanted;
                }
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            }
        }
        if (creator == null) {
            return Optional.empty();
        }
        Class<?> accumulator = made;
        Optional<Method> getValue = mostSpecific(getValues.stream()
                .filter(m -> m.getParameterTypes()[0].isAssignableFrom(accumulator)).toList(), accumulator);
        if (getValue.isEmpty()) {
            return Optional.empty();
        }
        SqlType result = UdafTypes.sqlType(getValue.get().getGenericReturnType(), bindings);
        if (result == null) {
            return Optional.empty();
        }
        Optional<Method> retract = retracts.stream()
                .filter(r -> Arrays.equals(r.getParameterTypes(), accumulate.getParameterTypes())).findFirst();
        Optional<Method> merge = mostSpecific(merges.stream()
                .filter(m -> m.getParameterTypes()[0].isAssignableFrom(accumulator)
                        && (m.getParameterTypes()[1].isAssignableFrom(accumulator)
                        || m.getParameterTypes()[1] == Iterable.class)).toList(), accumulator);
        return Optional.of(new UdafOverload(accumulate, columns, creator, initialValues, accumulator, getValue.get(),
                retract, merge, result, List.copyOf(arguments.subList(0, columns))));
    }

    private static Optional<Method> mostSpecific(List<Method> methods, Class<?> accumulator) {
        return methods.stream().filter(m -> m.getParameterTypes()[0] == accumulator).findFirst()
                .or(() -> methods.stream().findFirst());
    }

    /** Whether the method's parameters from {@code from} on take these arguments (a varargs one zero or more). */
    private static boolean fits(Executable method, int from, List<Expr> arguments, UdafTypes.Bindings bindings) {
        Type[] parameters = method.getGenericParameterTypes();
        int fixed = parameters.length - from - (method.isVarArgs() ? 1 : 0);
        if (method.isVarArgs() ? arguments.size() < fixed : arguments.size() != fixed) {
            return false;
        }
        for (int i = 0; i < arguments.size(); i++) {
            Type parameter = i < fixed ? parameters[from + i] : UdafTypes.element(parameters[parameters.length - 1]);
            if (!UdafTypes.fits(parameter, arguments.get(i).type(), bindings)) {
                return false;
            }
        }
        return true;
    }

    /** The creator's arguments from the call's constant initial arguments (a column one is refused later). */
    private static Object[] initialValues(Method creator, List<Expr> initial) {
        Class<?>[] parameters = creator.getParameterTypes();
        Type[] generic = creator.getGenericParameterTypes();
        int fixed = creator.isVarArgs() ? parameters.length - 1 : parameters.length;
        Object[] out = new Object[parameters.length];
        for (int i = 0; i < fixed; i++) {
            out[i] = constant(initial.get(i), generic[i], parameters[i]);
        }
        if (creator.isVarArgs()) {
            Class<?> component = parameters[parameters.length - 1].getComponentType();
            Object rest = Array.newInstance(component, initial.size() - fixed);
            for (int i = fixed; i < initial.size(); i++) {
                Array.set(rest, i - fixed, constant(initial.get(i), UdafTypes.element(generic[generic.length - 1]),
                        component));
            }
            out[out.length - 1] = rest;
        }
        return out;
    }

    private static Object constant(Expr argument, Type generic, Class<?> parameter) {
        if (!(argument instanceof Expr.Literal literal)) {
            return null;
        }
        Object value = JavaTypes.toJava(literal.value(), generic, literal.type());
        if (value == null && parameter.isPrimitive()) {
            throw new FunctionException("a NULL initial argument cannot be passed as " + parameter.getSimpleName());
        }
        return value;
    }

    /** The overloads, for messages. */
    List<String> signatures() {
        List<String> out = new ArrayList<>();
        for (Method m : accumulates) {
            out.add(m.toGenericString().replaceAll("[\\w.$]+\\.(?=[\\w$]+[(,)<>\\[])", "")
                    .replaceFirst("^public ", ""));
        }
        return out;
    }
}
