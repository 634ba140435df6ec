package dev.sluice.runtime.function.udf;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * How a user aggregate's Java parameter and result types, generic ones included, meet SQL types,
 * and how values cross between them. Beyond the scalar types of {@link JavaTypes}:
 * <ul>
 *   <li>{@code Object}: any SQL type;</li>
 *   <li>a type variable of the class ({@code <A>}): any SQL type, the same one wherever it occurs
 *       in the call (so {@code C...} takes several arguments of one type), and a result type
 *       naming it ({@code List<A>}) is the type bound to it;</li>
 *   <li>{@code BigDecimal}: DECIMAL of any precision; {@code List<X>}: ARRAY; {@code Map<K, V>}: MAP;</li>
 *   <li>a {@code record}: a STRUCT whose fields are its components (names compared without case).</li>
 * </ul>
 * The class sees no Sluice type: a STRUCT value reaches an {@code Object} or type-variable
 * parameter as a {@code Map} of its field names. A result is converted to its SQL type on the way
 * out, which also restores what a JSON round trip of the accumulator loosened (a DECIMAL read back
 * as a double, a BIGINT as an int, a struct as a map).
 */
final class UdafTypes {
    private UdafTypes() {
    }

    /** Type variables bound so far in one overload's match. */
    static final class Bindings {
        final Map<TypeVariable<?>, SqlType> bound = new LinkedHashMap<>();
        /** Arguments that fitted only by widening (INTEGER to BIGINT...): fewer is a better overload. */
        int widened;
    }

    /** Whether a parameter of the Java type takes an argument of the SQL type (binding type variables). */
    static boolean fits(Type java, SqlType sql, Bindings bindings) {
        if (sql == ScalarType.NULL) {
            return true;
        }
        if (java instanceof TypeVariable<?> variable) {
            SqlType already = bindings.bound.putIfAbsent(variable, sql);
            return already == null || already.equals(sql);
        }
        if (java instanceof WildcardType wildcard) {
            return fits(wildcard.getUpperBounds()[0], sql, bindings);
        }
        if (java instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            Type[] of = generic.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw) && raw.isAssignableFrom(List.class)) {
                return sql instanceof ArrayType a && fits(of[0], a.element(), bindings);
            }
            if (raw.isAssignableFrom(Map.class) && of.length == 2) {
                return sql instanceof MapType m && fits(of[0], m.key(), bindings) && fits(of[1], m.value(), bindings);
            }
            return false;
        }
        if (!(java instanceof Class<?> type)) {
            return false;
        }
        if (type == Object.class) {
            return true;
        }
        SqlType want = JavaTypes.sqlType(type);
        if (want != null) {
            if (sql == want) {
                return true;
            }
            boolean widens = JavaTypes.widens(sql, want);
            if (widens) {
                bindings.widened++;
            }
            return widens;
        }
        if (type == BigDecimal.class) {
            return sql instanceof DecimalType;
        }
        if (type.isRecord()) {
            return sql instanceof StructType struct && recordFits(type, struct, bindings);
        }
        if (type == List.class || type == Collection.class) {
            return sql instanceof ArrayType;
        }
        return type == Map.class && sql instanceof MapType;
    }

    private static boolean recordFits(Class<?> record, StructType struct, Bindings bindings) {
        RecordComponent[] components = record.getRecordComponents();
        if (components.length != struct.fields().size()) {
            return false;
        }
        for (RecordComponent component : components) {
            int field = JavaTypes.fieldIndex(struct, component.getName());
            if (field < 0 || !fits(component.getGenericType(), struct.fields().get(field).type(), bindings)) {
                return false;
            }
        }
        return true;
    }

    /** The element type of a variadic parameter ({@code String...}, {@code C...}). */
    static Type element(Type array) {
        return array instanceof GenericArrayType g ? g.getGenericComponentType() : ((Class<?>) array).getComponentType();
    }

    /** The SQL type of a result of the Java type, or null when it has none (or names an unbound variable). */
    static SqlType sqlType(Type java, Bindings bindings) {
        return JavaTypes.sqlType(java, results(bindings.bound::get));
    }

    /** Whether some binding of its type variables gives the Java result type a SQL type. */
    static boolean expressible(Type java) {
        // every variable bound to a stand-in: the result has a type exactly when it has one for any binding
        return JavaTypes.sqlType(java, results(variable -> ScalarType.NULL)) != null;
    }

    /** What an aggregate may return beyond scalars, lists and maps: records (STRUCT), any Collection; no {@code byte[]}. */
    private static JavaTypes.ResultTypes results(java.util.function.Function<TypeVariable<?>, SqlType> variables) {
        return new JavaTypes.ResultTypes(false, true, true, variables);
    }

    /** A Java result as the SQL type holds it. */
    static Object toSql(Object value, SqlType sql) {
        return JavaTypes.toSql(value, sql, UdafTypes::row);
    }

    private static Row row(Object value, StructType struct, BiFunction<Object, SqlType, Object> convert) {
        if (value instanceof Row row) {
            return row;
        }
        Object[] values = new Object[struct.fields().size()];
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                int field = JavaTypes.fieldIndex(struct, component.getName());
                if (field >= 0) {
                    try {
                        component.getAccessor().setAccessible(true);
                        values[field] = convert.apply(component.getAccessor().invoke(record), struct.fields().get(field).type());
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalArgumentException("record component " + component.getName() + ": " + e, e);
                    }
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (int i = 0; i < values.length; i++) {
                Column field = struct.fields().get(i);
                Object v = map.containsKey(field.name()) ? map.get(field.name())
                        : map.get(field.name().toLowerCase(Locale.ROOT));
                values[i] = convert.apply(v, field.type());
            }
        } else {
            throw new IllegalArgumentException("a " + value.getClass().getName() + " is no STRUCT value");
        }
        return new Row(values);
    }
}
