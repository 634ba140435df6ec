package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How two values of given types compare, decided once per call site. Mixed operands are first
 * brought to one type: numbers compare by value across INTEGER/BIGINT/DECIMAL/DOUBLE, a DATE
 * compares with a TIMESTAMP as its midnight, a VARCHAR compared with a number, date, time, timestamp,
 * boolean or interval is cast to that type (so {@code ts > '2024-01-01 00:00:00'} works), and a
 * VARIANT compared with a scalar is cast to the scalar's type (Snowflake's implicit cast).
 * ARRAY, MAP and STRUCT support equality only.
 */
record Comparisons(UnaryOperator<Object> left, UnaryOperator<Object> right, Core core) {

    @FunctionalInterface
    interface Core {
        int compare(Object x, Object y);
    }

    /** Compares after conversion; null when either side is (or converts to) NULL. */
    Integer compare(Object x, Object y) {
        Object l = x == null ? null : left.apply(x);
        Object r = y == null ? null : right.apply(y);
        if (l == null || r == null) {
            return null;
        }
        return core.compare(l, r);
    }

    static Optional<Comparisons> of(SqlType a, SqlType b, boolean ordering) {
        UnaryOperator<Object> id = v -> v;
        if (a == ScalarType.NULL || b == ScalarType.NULL) {
            return Optional.of(new Comparisons(id, id, (x, y) -> 0));
        }
        // Text or JSON against a number compares exactly: '42.5' = 42 must not truncate to 42.
        DecimalType exact = new DecimalType(DecimalType.MAX_PRECISION, 0);
        if ((a == ScalarType.VARIANT || a == ScalarType.VARCHAR) && b.isNumeric()) {
            return Optional.of(new Comparisons(exactNumber(a), id, numericCore(exact, b)));
        }
        if ((b == ScalarType.VARIANT || b == ScalarType.VARCHAR) && a.isNumeric()) {
            return Optional.of(new Comparisons(id, exactNumber(b), numericCore(a, exact)));
        }
        if (a == ScalarType.VARIANT && b != ScalarType.VARIANT && castTarget(b)) {
            return of(b, b, ordering).map(c -> new Comparisons(Casts.converter(a, b), c.right, c.core));
        }
        if (b == ScalarType.VARIANT && a != ScalarType.VARIANT && castTarget(a)) {
            return of(a, a, ordering).map(c -> new Comparisons(c.left, Casts.converter(b, a), c.core));
        }
        if (a == ScalarType.VARCHAR && b != ScalarType.VARCHAR && castTarget(b)) {
            return of(b, b, ordering).map(c -> new Comparisons(Casts.converter(a, b), c.right, c.core));
        }
        if (b == ScalarType.VARCHAR && a != ScalarType.VARCHAR && castTarget(a)) {
            return of(a, a, ordering).map(c -> new Comparisons(c.left, Casts.converter(b, a), c.core));
        }
        if (a.isNumeric() && b.isNumeric()) {
            return Optional.of(new Comparisons(id, id, numericCore(a, b)));
        }
        if (a.isTemporal() && b.isTemporal()) {
            UnaryOperator<Object> widen = v -> DateTimes.toTimestamp((Integer) v);
            boolean bothDates = a == ScalarType.DATE && b == ScalarType.DATE;
            return Optional.of(new Comparisons(a == ScalarType.DATE && !bothDates ? widen : id,
                    b == ScalarType.DATE && !bothDates ? widen : id,
                    (x, y) -> Long.compare(((Number) x).longValue(), ((Number) y).longValue())));
        }
        if (!dev.sluice.serdes.row.TypeShapes.sameIgnoringNullability(a, b)) {
            return Optional.empty();
        }
        if (a instanceof ScalarType s) {
            return switch (s) {
                case VARCHAR -> Optional.of(new Comparisons(id, id, (x, y) -> ((String) x).compareTo((String) y)));
                case BOOLEAN -> Optional.of(new Comparisons(id, id, (x, y) -> Boolean.compare((Boolean) x, (Boolean) y)));
                case INTERVAL -> Optional.of(new Comparisons(id, id, (x, y) -> Long.compare((Long) x, (Long) y)));
                case TIME -> Optional.of(new Comparisons(id, id, (x, y) -> Integer.compare((Integer) x, (Integer) y)));
                case BYTES -> Optional.of(new Comparisons(id, id, (x, y) -> Arrays.compareUnsigned((byte[]) x, (byte[]) y)));
                case VARIANT -> Optional.of(new Comparisons(id, id, Comparisons::compareJson));
                default -> Optional.empty();
            };
        }
        return ordering ? Optional.empty() : Optional.of(new Comparisons(id, id, (x, y) -> Objects.equals(x, y) ? 0 : 1));
    }

    /** Text or a JSON value as an exact BigDecimal (JSON null: NULL). */
    private static UnaryOperator<Object> exactNumber(SqlType from) {
        UnaryOperator<Object> toText = Casts.converter(from, ScalarType.VARCHAR);
        return v -> {
            if (v instanceof JsonNode n && n.isNumber()) {
                return n.isFloatingPointNumber() ? BigDecimal.valueOf(n.doubleValue()) : n.decimalValue();
            }
            String text = (String) toText.apply(v);
            if (text == null) {
                return null;
            }
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot compare '" + text + "' with a number: not a number");
            }
        };
    }

    private static boolean castTarget(SqlType t) {
        return t.isNumeric() || t.isTemporal() || t == ScalarType.TIME || t == ScalarType.BOOLEAN
                || t == ScalarType.INTERVAL || t == ScalarType.VARCHAR;
    }

    private static Core numericCore(SqlType a, SqlType b) {
        if (a == ScalarType.DOUBLE || b == ScalarType.DOUBLE) {
            return (x, y) -> {
                double l = Numbers.toDouble(x);
                double r = Numbers.toDouble(y);
                // SQL: -0.0 = 0.0; NaN sorts last as in Double.compare.
                return l < r ? -1 : l > r ? 1 : l == r ? 0 : Double.compare(l, r);
            };
        }
        if (Args.isDecimal(a) || Args.isDecimal(b)) {
            return (x, y) -> Numbers.toDecimal(x).compareTo(Numbers.toDecimal(y));
        }
        return (x, y) -> Long.compare(Numbers.toLong(x), Numbers.toLong(y));
    }

    /** Numbers by value, strings by text; other kinds are only equal or not. */
    static int compareJson(Object x, Object y) {
        JsonNode l = (JsonNode) x;
        JsonNode r = (JsonNode) y;
        if (l.isNumber() && r.isNumber()) {
            BigDecimal a = l.isFloatingPointNumber() ? BigDecimal.valueOf(l.doubleValue()) : l.decimalValue();
            BigDecimal b = r.isFloatingPointNumber() ? BigDecimal.valueOf(r.doubleValue()) : r.decimalValue();
            return a.compareTo(b);
        }
        if (l.isTextual() && r.isTextual()) {
            return l.textValue().compareTo(r.textValue());
        }
        return l.equals(r) ? 0 : l.toString().compareTo(r.toString()) < 0 ? -1 : 1;
    }
}
