package dev.sluice.runtime.function.scalar;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Type derivation shared by the analyzer and the operators, following Flink SQL
 * ({@code LogicalTypeMerging}, which adopts SQL Server's decimal rules with Hive/Spark's scale
 * adjustment):
 *
 * <pre>
 * numeric order           INTEGER &lt; BIGINT &lt; DECIMAL &lt; DOUBLE; any DOUBLE operand gives DOUBLE
 * with a DECIMAL          INTEGER acts as DECIMAL(10, 0), BIGINT as DECIMAL(19, 0)
 * e1 + e2, e1 - e2        scale max(s1, s2), precision max(p1-s1, p2-s2) + scale + 1
 * e1 * e2                 scale s1 + s2, precision p1 + p2 + 1
 * e1 / e2                 scale max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale
 * e1 % e2                 scale max(s1, s2), precision min(p1-s1, p2-s2) + scale
 * precision over 38       precision 38, scale max(38 - integer digits, min(scale, 6))
 * integer op integer      the wider of the two (7 / 2 = 3); for % the type of e2 (as Calcite)
 * </pre>
 *
 * So {@code COUNT(x) * 100.0 / COUNT(*)}: BIGINT * DECIMAL(4, 1) = DECIMAL(24, 1), then
 * / BIGINT = DECIMAL(44, 21) adjusted to DECIMAL(38, 15).
 */
public final class TypeRules {
    private static final int MAX_PRECISION = DecimalType.MAX_PRECISION;
    private static final int MINIMUM_ADJUSTED_SCALE = 6;

    private TypeRules() {
    }

    /** The DECIMAL an exact numeric behaves as when mixed with a DECIMAL. */
    public static DecimalType asDecimal(SqlType t) {
        if (t instanceof DecimalType d) {
            return d;
        }
        if (t == ScalarType.INTEGER) {
            return new DecimalType(10, 0);
        }
        if (t == ScalarType.BIGINT) {
            return new DecimalType(19, 0);
        }
        throw new IllegalArgumentException("not an exact numeric type: " + t.sql());
    }

    public static DecimalType additionDecimal(DecimalType a, DecimalType b) {
        int scale = Math.max(a.scale(), b.scale());
        int precision = Math.max(a.precision() - a.scale(), b.precision() - b.scale()) + scale + 1;
        return adjust(precision, scale);
    }

    public static DecimalType multiplicationDecimal(DecimalType a, DecimalType b) {
        return adjust(a.precision() + b.precision() + 1, a.scale() + b.scale());
    }

    public static DecimalType divisionDecimal(DecimalType a, DecimalType b) {
        int scale = Math.max(MINIMUM_ADJUSTED_SCALE, a.scale() + b.precision() + 1);
        int precision = a.precision() - a.scale() + b.scale() + scale;
        return adjust(precision, scale);
    }

    public static DecimalType moduloDecimal(DecimalType a, DecimalType b) {
        int scale = Math.max(a.scale(), b.scale());
        int precision = Math.min(a.precision() - a.scale(), b.precision() - b.scale()) + scale;
        return adjust(precision, scale);
    }

    /** ROUND(DECIMAL(p, s), r): rounding can add one integer digit. */
    public static DecimalType roundDecimal(DecimalType t, int round) {
        if (round >= t.scale()) {
            return t;
        }
        if (round < 0) {
            return new DecimalType(Math.min(MAX_PRECISION, 1 + t.precision() - t.scale()), 0);
        }
        return new DecimalType(Math.min(MAX_PRECISION, 1 + t.precision() - t.scale() + round), round);
    }

    /** Keeps the integer digits and gives up scale (down to 6) when precision exceeds 38. */
    static DecimalType adjust(int precision, int scale) {
        if (precision <= MAX_PRECISION) {
            return new DecimalType(Math.max(precision, 1), scale);
        }
        int integerDigits = precision - scale;
        int minScale = Math.min(scale, MINIMUM_ADJUSTED_SCALE);
        int adjustedScale = Math.max(MAX_PRECISION - integerDigits, minScale);
        return new DecimalType(MAX_PRECISION, adjustedScale);
    }

    /**
     * Result type of a binary numeric operator ({@code + - * / %}) on two numeric types; empty
     * when either is not numeric.
     */
    public static Optional<SqlType> numericResult(String operator, SqlType a, SqlType b) {
        if (!a.isNumeric() || !b.isNumeric()) {
            return Optional.empty();
        }
        if (a == ScalarType.DOUBLE || b == ScalarType.DOUBLE) {
            return Optional.of(ScalarType.DOUBLE);
        }
        if (Args.isExactInteger(a) && Args.isExactInteger(b)) {
            if (operator.equals("%")) {
                return Optional.of(b);
            }
            return Optional.of(a == ScalarType.BIGINT || b == ScalarType.BIGINT ? ScalarType.BIGINT : ScalarType.INTEGER);
        }
        DecimalType da = asDecimal(a);
        DecimalType db = asDecimal(b);
        return Optional.of(switch (operator) {
            case "+", "-" -> additionDecimal(da, db);
            case "*" -> multiplicationDecimal(da, db);
            case "/" -> divisionDecimal(da, db);
            case "%" -> moduloDecimal(da, db);
            default -> throw new IllegalArgumentException("not a numeric operator: " + operator);
        });
    }

    /**
     * The type two branches unify to (CASE, COALESCE, IN lists, UNION): NULL unifies with
     * anything, numbers widen, timestamps merge (with time zone wins), DATE widens to TIMESTAMP,
     * collections unify element-wise; otherwise empty.
     */
    public static Optional<SqlType> commonType(SqlType a, SqlType b) {
        if (a.equals(b)) {
            return Optional.of(a);
        }
        if (a == ScalarType.NULL) {
            return Optional.of(b);
        }
        if (b == ScalarType.NULL) {
            return Optional.of(a);
        }
        if (a.isNumeric() && b.isNumeric()) {
            return Optional.of(commonNumeric(a, b));
        }
        if (a.isTemporal() && b.isTemporal()) {
            if (a == ScalarType.TIMESTAMP_LTZ || b == ScalarType.TIMESTAMP_LTZ) {
                return Optional.of(ScalarType.TIMESTAMP_LTZ);
            }
            return Optional.of(ScalarType.TIMESTAMP);
        }
        if (a instanceof ArrayType x && b instanceof ArrayType y) {
            return commonType(x.element(), y.element()).map(ArrayType::new);
        }
        if (a instanceof MapType x && b instanceof MapType y) {
            Optional<SqlType> key = commonType(x.key(), y.key());
            Optional<SqlType> value = commonType(x.value(), y.value());
            return key.isPresent() && value.isPresent()
                    ? Optional.of(new MapType(key.get(), value.get())) : Optional.empty();
        }
        if (a instanceof StructType x && b instanceof StructType y && x.fields().size() == y.fields().size()) {
            List<Column> fields = new ArrayList<>();
            for (int i = 0; i < x.fields().size(); i++) {
                Optional<SqlType> t = commonType(x.fields().get(i).type(), y.fields().get(i).type());
                if (t.isEmpty()) {
                    return Optional.empty();
                }
                fields.add(new Column(x.fields().get(i).name(), t.get()));
            }
            return Optional.of(new StructType(fields));
        }
        return Optional.empty();
    }

    /** {@link #commonType(SqlType, SqlType)} folded over a list (empty list: empty). */
    public static Optional<SqlType> commonType(List<SqlType> types) {
        Optional<SqlType> result = types.isEmpty() ? Optional.empty() : Optional.of(types.get(0));
        for (int i = 1; i < types.size() && result.isPresent(); i++) {
            result = commonType(result.get(), types.get(i));
        }
        return result;
    }

    private static SqlType commonNumeric(SqlType a, SqlType b) {
        if (a == ScalarType.DOUBLE || b == ScalarType.DOUBLE) {
            return ScalarType.DOUBLE;
        }
        if (Args.isExactInteger(a) && Args.isExactInteger(b)) {
            return a == ScalarType.BIGINT || b == ScalarType.BIGINT ? ScalarType.BIGINT : ScalarType.INTEGER;
        }
        DecimalType da = asDecimal(a);
        DecimalType db = asDecimal(b);
        int integerDigits = Math.min(Math.max(da.precision() - da.scale(), db.precision() - db.scale()), MAX_PRECISION);
        int scale = Math.min(Math.max(da.scale(), db.scale()), MAX_PRECISION - integerDigits);
        return new DecimalType(Math.max(integerDigits + scale, 1), scale);
    }

    /** Whether {@code CAST(x AS to)} is allowed for an {@code x} of type {@code from}. */
    public static boolean canCast(SqlType from, SqlType to) {
        return canCast(from, to, false);
    }

    /**
     * As {@link #canCast(SqlType, SqlType)}; {@code ksql} gives ksqlDB's STRUCT to STRUCT cast
     * ({@code CastEvaluator}): fields match by name, a target field the source lacks is NULL, so the
     * two may have different fields.
     */
    public static boolean canCast(SqlType from, SqlType to, boolean ksql) {
        if (from.equals(to) || from == ScalarType.NULL) {
            return true;
        }
        if (to == ScalarType.VARCHAR || to == ScalarType.VARIANT) {
            return to != ScalarType.VARIANT || from != ScalarType.BYTES;
        }
        if (from == ScalarType.VARIANT) {
            return to != ScalarType.NULL && !(to instanceof StructType);
        }
        if (from == ScalarType.VARCHAR) {
            return to instanceof ScalarType && to != ScalarType.NULL || to instanceof DecimalType;
        }
        boolean fromNumber = from.isNumeric() || from == ScalarType.BOOLEAN;
        boolean toNumber = to.isNumeric() || to == ScalarType.BOOLEAN;
        if (fromNumber && toNumber) {
            return true;
        }
        if (from.isTemporal() && to.isTemporal()) {
            return true;
        }
        if (Args.isTimestamp(from) && to == ScalarType.TIME) {
            return true; // the time of day, in UTC
        }
        if (Args.isTimestamp(from) && Args.isExactInteger(to) || Args.isExactInteger(from) && Args.isTimestamp(to)) {
            return true;
        }
        if (from == ScalarType.INTERVAL && (Args.isExactInteger(to) || Args.isDecimal(to))
                || to == ScalarType.INTERVAL && (Args.isExactInteger(from) || Args.isDecimal(from))) {
            return true;
        }
        if (from == ScalarType.BYTES || to == ScalarType.BYTES) {
            return false;
        }
        if (from instanceof ArrayType x && to instanceof ArrayType y) {
            return canCast(x.element(), y.element(), ksql);
        }
        if (from instanceof MapType x && to instanceof MapType y) {
            return canCast(x.key(), y.key(), ksql) && canCast(x.value(), y.value(), ksql);
        }
        if (ksql && from instanceof StructType x && to instanceof StructType y) {
            for (Column field : y.fields()) {
                Optional<Column> source = x.fields().stream().filter(f -> f.name().equals(field.name())).findFirst();
                if (source.isPresent() && !canCast(source.get().type(), field.type(), true)) {
                    return false;
                }
            }
            return true;
        }
        if (from instanceof StructType x && to instanceof StructType y && x.fields().size() == y.fields().size()) {
            for (int i = 0; i < x.fields().size(); i++) {
                if (!canCast(x.fields().get(i).type(), y.fields().get(i).type())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
