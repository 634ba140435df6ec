package dev.sluice.runtime.function.udf;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How a user function's Java parameter and return types map to SQL types, and values between them:
 * the one mapping scalar functions ({@link UdfTypes}) and aggregates ({@link UdafTypes}) share. Where
 * the two kinds accept different Java types, a {@link ResultTypes} says which.
 */
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

    /** Whether an argument of SQL type {@code from} may be passed where {@code to} is wanted (INTEGER to BIGINT...). */
    static boolean widens(SqlType from, SqlType to) {
        return (to == ScalarType.BIGINT && from == ScalarType.INTEGER)
                || (to == ScalarType.DOUBLE && (from == ScalarType.INTEGER || from == ScalarType.BIGINT));
    }

    /**
     * Which Java result types a kind of user function may have beyond scalars, {@code List<X>} (ARRAY)
     * and {@code Map<K, V>} (MAP): each kind keeps what it accepted (and refuses what it refused).
     *
     * @param bytes       {@code byte[]} is BYTES
     * @param records     a {@code record} is a STRUCT of its components
     * @param collections a {@code Collection<X>} is an ARRAY too
     * @param variables   the SQL type a type variable is bound to, or null
     */
    record ResultTypes(boolean bytes, boolean records, boolean collections,
                       Function<TypeVariable<?>, SqlType> variables) {
    }

    /** The SQL type of a Java result type, or null when it has none (or names an unbound variable). */
    static SqlType sqlType(Type java, ResultTypes kind) {
        if (java instanceof TypeVariable<?> variable) {
            return kind.variables().apply(variable);
        }
        if (java instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            Type[] of = generic.getActualTypeArguments();
            if ((List.class.isAssignableFrom(raw) || kind.collections() && raw == Collection.class) && of.length == 1) {
                SqlType element = sqlType(of[0], kind);
                return element == null ? null : new ArrayType(element);
            }
            if (Map.class.isAssignableFrom(raw) && of.length == 2) {
                SqlType key = sqlType(of[0], kind);
                SqlType value = sqlType(of[1], kind);
                return key == null || value == null ? null : new MapType(key, value);
            }
            return null;
        }
        if (!(java instanceof Class<?> type)) {
            return null;
        }
        if (type == byte[].class) {
            return kind.bytes() ? ScalarType.BYTES : null;
        }
        if (type.isRecord() && kind.records()) {
            List<Column> fields = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                SqlType field = sqlType(component.getGenericType(), kind);
                if (field == null) {
                    return null;
                }
                fields.add(new Column(component.getName(), field));
            }
            return new StructType(fields);
        }
        return sqlType(type);
    }

    /** How a kind of user function returns a STRUCT: the row of a returned value, its fields converted by {@code convert}. */
    @FunctionalInterface
    interface StructResults {
        Row row(Object value, StructType struct, BiFunction<Object, SqlType, Object> convert);
    }

    /**
     * A Java result as SQL type {@code type} holds it: numbers narrowed or widened to the type, a
     * DECIMAL at its scale, lists and maps element by element, a STRUCT as {@code structs} reads it.
     */
    static Object toSql(Object value, SqlType type, StructResults structs) {
        if (value == null) {
            return null;
        }
        if (type instanceof StructType struct) {
            return structs.row(value, struct, (v, t) -> toSql(v, t, structs));
        }
        if (type instanceof ArrayType array && value instanceof Iterable<?> elements) {
            List<Object> out = new ArrayList<>();
            for (Object element : elements) {
                out.add(toSql(element, array.element(), structs));
            }
            return out;
        }
        if (type instanceof MapType map && value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(toSql(k, map.key(), structs), toSql(v, map.value(), structs)));
            return out;
        }
        if (type instanceof DecimalType decimal && value instanceof Number n) {
            BigDecimal exact = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            return exact.setScale(decimal.scale(), RoundingMode.HALF_UP);
        }
        if (value instanceof Number n && type instanceof ScalarType scalar) {
            return switch (scalar) {
                case BIGINT -> n.longValue();
                case INTEGER -> n.intValue();
                case DOUBLE -> n.doubleValue();
                default -> value;
            };
        }
        return value;
    }

    /**
     * A SQL value of SQL type {@code sql} as a parameter of Java type {@code java} takes it, for
     * scalar functions and aggregates alike: numbers converted to the parameter's scalar type, lists
     * and maps element by element as their type arguments say, a wildcard ({@code ? extends Long}) as
     * its bound, a STRUCT as a {@code record} parameter's components (only aggregates accept records)
     * and otherwise, for an {@code Object}, {@code Map} or type-variable parameter, as a map of its
     * fields by name ({@link #plain}).
     */
    static Object toJava(Object value, Type java, SqlType sql) {
        if (value == null) {
            return null;
        }
        if (java instanceof WildcardType wildcard && wildcard.getUpperBounds().length == 1) {
            return toJava(value, wildcard.getUpperBounds()[0], sql);
        }
        if (java instanceof Class<?> type) {
            if (type.isRecord() && value instanceof Row row && sql instanceof StructType struct) {
                return record(type, row, struct);
            }
            if (sqlType(type) != null) {
                return convert(value, type);
            }
        }
        if (java instanceof ParameterizedType generic && value instanceof List<?> list && sql instanceof ArrayType a) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object element : list) {
                out.add(toJava(element, generic.getActualTypeArguments()[0], a.element()));
            }
            return out;
        }
        if (java instanceof ParameterizedType generic && value instanceof Map<?, ?> map && sql instanceof MapType m
                && generic.getActualTypeArguments().length == 2) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(toJava(k, generic.getActualTypeArguments()[0], m.key()),
                    toJava(v, generic.getActualTypeArguments()[1], m.value())));
            return out;
        }
        return plain(value, sql);
    }

    /** A value for an {@code Object} or type-variable parameter: STRUCTs as maps by field name, the rest as SQL holds them. */
    private static Object plain(Object value, SqlType sql) {
        if (value instanceof Row row && sql instanceof StructType struct) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < row.size() && i < struct.fields().size(); i++) {
                out.put(struct.fields().get(i).name(), plain(row.get(i), struct.fields().get(i).type()));
            }
            return out;
        }
        if (value instanceof List<?> list && sql instanceof ArrayType a) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(element -> out.add(plain(element, a.element())));
            return out;
        }
        if (value instanceof Map<?, ?> map && sql instanceof MapType m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, plain(v, m.value())));
            return out;
        }
        return value;
    }

    private static Object record(Class<?> type, Row row, StructType struct) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            int field = fieldIndex(struct, components[i].getName());
            values[i] = field < 0 ? null
                    : toJava(row.get(field), components[i].getGenericType(), struct.fields().get(field).type());
        }
        try {
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("record " + type.getName() + " cannot be built: " + e, e);
        }
    }

    /** The index of the STRUCT field a record component names: its exact name first, else ignoring case. */
    static int fieldIndex(StructType struct, String name) {
        for (int i = 0; i < struct.fields().size(); i++) {
            if (struct.fields().get(i).name().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < struct.fields().size(); i++) {
            if (struct.fields().get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
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
