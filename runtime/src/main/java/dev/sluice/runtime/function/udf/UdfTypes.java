package dev.sluice.runtime.function.udf;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The Java types of an {@code eval} method beyond the scalars of {@link JavaTypes}, with generics:
 * {@code List<T>} is ARRAY, {@code Map<K, V>} is MAP, {@code BigDecimal} DECIMAL, {@code byte[]} BYTES,
 * and a STRUCT reaches a {@code Map<String, Object>} (or {@code Map}, {@code Object}) parameter as its
 * fields by name. A user's class thus needs no Sluice type.
 */
final class UdfTypes {
    /** No fit. */
    static final int NO = -1;

    private UdfTypes() {
    }

    /** What a scalar function may return beyond scalars, lists and maps: {@code byte[]}; a STRUCT only as declared. */
    private static final JavaTypes.ResultTypes RESULTS = new JavaTypes.ResultTypes(true, false, false, variable -> null);

    /** The SQL type of a Java return type, or null when it cannot be told from Java (DECIMAL, STRUCT, Object). */
    static SqlType inferred(Type type) {
        return JavaTypes.sqlType(type, RESULTS);
    }

    /**
     * How well a parameter of Java type {@code param} takes an argument of SQL type {@code arg}: 0 exactly,
     * more for a widening or a looser Java type, {@link #NO} not at all. The cheapest overload is called.
     */
    static int cost(Type param, SqlType arg) {
        if (arg == ScalarType.NULL) {
            return 1;
        }
        if (param instanceof WildcardType w) {
            return w.getUpperBounds().length == 1 ? cost(w.getUpperBounds()[0], arg) : 8;
        }
        Class<?> raw = raw(param);
        if (raw == null) {
            return NO;
        }
        if (raw == Object.class) {
            return 8;
        }
        SqlType scalar = JavaTypes.sqlType(raw);
        if (scalar != null) {
            if (scalar == arg) {
                return 0;
            }
            if (!JavaTypes.widens(arg, scalar)) {
                return NO;
            }
            return scalar == ScalarType.BIGINT ? 2 : 3; // to BIGINT before to DOUBLE
        }
        if (raw == BigDecimal.class) {
            return arg instanceof DecimalType ? 0 : NO;
        }
        if (raw == byte[].class) {
            return arg == ScalarType.BYTES ? 0 : NO;
        }
        Type[] a = param instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        if (List.class.isAssignableFrom(raw) && raw.isAssignableFrom(ArrayList.class) && arg instanceof ArrayType array) {
            return a.length == 1 ? cost(a[0], array.element()) : 8;
        }
        if (Map.class.isAssignableFrom(raw) && raw.isAssignableFrom(LinkedHashMap.class)) {
            if (arg instanceof MapType map) {
                if (a.length != 2) {
                    return 8;
                }
                int k = cost(a[0], map.key());
                int v = cost(a[1], map.value());
                return k == NO || v == NO ? NO : k + v;
            }
            if (arg instanceof StructType) {
                // a struct's fields by name: a Map<String, Object> (or raw Map) parameter
                return a.length == 0 || (raw(a[0]) == String.class && raw(a[1]) == Object.class) ? 1 : NO;
            }
        }
        return NO;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return raw(w.getUpperBounds()[0]);
        }
        return null;
    }

    /** What {@code eval} returned, as a value of SQL type {@code type} (a struct from a map of its fields). */
    static Object toSql(Object value, SqlType type) {
        return JavaTypes.toSql(value, type, UdfTypes::struct);
    }

    private static Row struct(Object value, StructType struct, BiFunction<Object, SqlType, Object> convert) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("returned " + value.getClass().getName() + " for " + struct.sql()
                    + "; a STRUCT is returned as a Map of its fields by name");
        }
        Object[] values = new Object[struct.fields().size()];
        for (int i = 0; i < values.length; i++) {
            Column f = struct.fields().get(i);
            values[i] = convert.apply(field(fields, f.name()), f.type());
        }
        return new Row(values);
    }

    /** A struct field from the user's map: by its exact name, else ignoring case (ksqlDB upper-cases names). */
    private static Object field(Map<?, ?> fields, String name) {
        if (fields.containsKey(name)) {
            return fields.get(name);
        }
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            if (e.getKey() instanceof String k && k.toUpperCase(Locale.ROOT).equals(name.toUpperCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }
}
