package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Element access: {@code SUBSCRIPT} ({@code a[i]} on an ARRAY, 1-based as in Flink, NULL when
 * out of range; {@code m[k]} on a MAP; {@code v[k]} on a VARIANT, where an index is 0-based as in
 * Snowflake), {@code FIELD} (struct field by constant 0-based position) and {@code CARDINALITY}.
 */
final class CollectionOperators {
    private CollectionOperators() {
    }

    static List<ScalarFunction> all() {
        return List.of(subscript(false), field(), cardinality());
    }

    /** ksqlDB's {@code array[i]} ({@code ArrayAccess}): a negative index counts from the end, -1 the last. */
    static ScalarFunction ksqlSubscript() {
        return subscript(true);
    }

    private static Fn subscript(boolean ksql) {
        String expected = "(ARRAY, INTEGER), (MAP, key) or (VARIANT, VARCHAR | INTEGER)";
        return Fn.of("SUBSCRIPT", args -> {
            Args.count("SUBSCRIPT", expected, args, 2, 2);
            SqlType base = args.get(0).type();
            SqlType key = args.get(1).type();
            if (base instanceof ArrayType a && Args.isIntegerLike(key)) {
                return a.element();
            }
            if (base instanceof MapType m && TypeRules.canCast(key, m.key())
                    && (key == ScalarType.NULL || TypeRules.commonType(key, m.key()).isPresent())) {
                return m.value();
            }
            if (base == ScalarType.VARIANT && (Args.isString(key) || Args.isExactInteger(key))) {
                return ScalarType.VARIANT;
            }
            throw Args.mismatch("SUBSCRIPT", expected, args);
        }, (args, type) -> {
            SqlType base = args.get(0).type();
            if (base instanceof ArrayType) {
                return a -> {
                    List<?> list = (List<?>) a[0];
                    long i = Numbers.toLong(a[1]);
                    if (ksql && i < 0) {
                        i += list.size() + 1;
                    }
                    return i < 1 || i > list.size() ? null : list.get((int) i - 1);
                };
            }
            if (base instanceof MapType m) {
                UnaryOperator<Object> key = Casts.converter(args.get(1).type(), m.key());
                return a -> ((Map<?, ?>) a[0]).get(key.apply(a[1]));
            }
            return a -> JsonValues.step((JsonNode) a[0], a[1]);
        });
    }

    private static Fn field() {
        String expected = "(STRUCT, constant INTEGER position)";
        return Fn.of("FIELD", args -> {
            Args.count("FIELD", expected, args, 2, 2);
            if (!(args.get(0).type() instanceof StructType s)) {
                throw Args.mismatch("FIELD", expected, args);
            }
            int position = Args.constantInt("FIELD", args, 1, "field position");
            if (position < 0 || position >= s.fields().size()) {
                throw new FunctionException("FIELD position " + position + " is outside " + s.sql());
            }
            return s.fields().get(position).type();
        }, (args, type) -> {
            int position = Args.constantInt("FIELD", args, 1, "field position");
            return a -> ((Row) a[0]).get(position);
        });
    }

    private static Fn cardinality() {
        String expected = "(ARRAY) or (MAP)";
        return Fn.of("CARDINALITY", args -> {
            Args.count("CARDINALITY", expected, args, 1, 1);
            SqlType t = args.get(0).type();
            if (!(t instanceof ArrayType || t instanceof MapType || t == ScalarType.NULL)) {
                throw Args.mismatch("CARDINALITY", expected, args);
            }
            return ScalarType.INTEGER;
        }, (args, type) -> a -> a[0] instanceof Map<?, ?> m ? m.size() : ((List<?>) a[0]).size());
    }

}
