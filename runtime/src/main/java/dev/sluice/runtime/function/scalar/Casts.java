package dev.sluice.runtime.function.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.format.text.Temporals;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * The CAST matrix as converters chosen once per call site. Failures at run time throw
 * {@link IllegalArgumentException} (unparseable text) or {@link ArithmeticException} (out of
 * range); TRY_CAST turns both into NULL.
 */
final class Casts {
    private Casts() {
    }

    /** A null-safe converter; throws FunctionException when {@link TypeRules#canCast} says no. */
    static UnaryOperator<Object> converter(SqlType from, SqlType to) {
        return converter(from, to, false);
    }

    /**
     * As {@link #converter(SqlType, SqlType)}; {@code ksql} gives ksqlDB's CAST (its
     * {@code CastEvaluator}): a number narrowed to INTEGER or BIGINT is Java's narrowing (an integer
     * wraps, a DOUBLE saturates, a DECIMAL's integer part wraps) instead of an out-of-range error,
     * and text to DATE completes a partial date ({@code '1970-01'} is 1970-01-01).
     */
    static UnaryOperator<Object> converter(SqlType from, SqlType to, boolean ksql) {
        if (!TypeRules.canCast(from, to, ksql)) {
            throw new FunctionException("CAST cannot convert " + from.sql() + " to " + to.sql());
        }
        UnaryOperator<Object> op = rawConverter(from, to, ksql);
        return v -> v == null ? null : op.apply(v);
    }

    private static UnaryOperator<Object> rawConverter(SqlType from, SqlType to, boolean ksql) {
        if (from.equals(to)) {
            return v -> v;
        }
        if (from == ScalarType.NULL) {
            return v -> null;
        }
        if (from == ScalarType.VARIANT) {
            return v -> fromNode((JsonNode) v, to);
        }
        if (ksql && to == ScalarType.VARCHAR && from instanceof StructType s) {
            return v -> ksqlStructText((Row) v, s);
        }
        if (to == ScalarType.VARCHAR) {
            return v -> toText(v, from);
        }
        if (to == ScalarType.VARIANT) {
            return from == ScalarType.VARCHAR ? v -> JsonValues.parse((String) v) : v -> JsonValues.toNode(v, from);
        }
        if (from == ScalarType.VARCHAR) {
            return ksql && to == ScalarType.DATE ? v -> fromText(completeDate(((String) v).trim()), to)
                    : v -> fromText((String) v, to);
        }
        if (to == ScalarType.BOOLEAN) {
            return from == ScalarType.DOUBLE ? v -> ((Double) v) != 0.0 : v -> Numbers.toDecimal(v).signum() != 0;
        }
        if (from == ScalarType.DATE && Args.isTimestamp(to)) {
            return v -> DateTimes.toTimestamp((Integer) v);
        }
        if (Args.isTimestamp(from) && to == ScalarType.DATE) {
            return v -> DateTimes.toDate((Long) v);
        }
        if (Args.isTimestamp(from) && to == ScalarType.TIME) {
            return v -> DateTimes.timeOfDay((Long) v);
        }
        if (Args.isTimestamp(from) && Args.isTimestamp(to)) {
            return v -> v;
        }
        if (to == ScalarType.INTERVAL || Args.isTimestamp(to)) {
            return Numbers::toLong;
        }
        if (ksql && from.isNumeric() && (to == ScalarType.INTEGER || to == ScalarType.BIGINT)) {
            return to == ScalarType.INTEGER ? v -> ((Number) v).intValue() : v -> ((Number) v).longValue();
        }
        if (to.isNumeric()) {
            return v -> Numbers.convert(v, to);
        }
        if (from == ScalarType.BYTES) {
            return v -> new String((byte[]) v, StandardCharsets.UTF_8);
        }
        if (from instanceof ArrayType a && to instanceof ArrayType b) {
            UnaryOperator<Object> element = converter(a.element(), b.element(), ksql);
            return v -> {
                List<Object> out = new ArrayList<>();
                for (Object e : (List<?>) v) {
                    out.add(element.apply(e));
                }
                return out;
            };
        }
        if (from instanceof MapType a && to instanceof MapType b) {
            UnaryOperator<Object> key = converter(a.key(), b.key(), ksql);
            UnaryOperator<Object> value = converter(a.value(), b.value(), ksql);
            return v -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) v).forEach((k, x) -> out.put(key.apply(k), value.apply(x)));
                return out;
            };
        }
        if (ksql && from instanceof StructType a && to instanceof StructType b) {
            return structByName(a, b);
        }
        if (from instanceof StructType a && to instanceof StructType b) {
            List<UnaryOperator<Object>> fields = new ArrayList<>();
            for (int i = 0; i < a.fields().size(); i++) {
                fields.add(converter(a.fields().get(i).type(), b.fields().get(i).type(), ksql));
            }
            return v -> {
                Row row = (Row) v;
                Object[] out = new Object[fields.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = fields.get(i).apply(row.get(i));
                }
                return new Row(out);
            };
        }
        throw new FunctionException("CAST cannot convert " + from.sql() + " to " + to.sql());
    }

    /** ksqlDB's STRUCT cast: each target field takes the source field of its name, NULL when there is none. */
    private static UnaryOperator<Object> structByName(StructType from, StructType to) {
        int[] source = new int[to.fields().size()];
        List<UnaryOperator<Object>> fields = new ArrayList<>();
        for (int i = 0; i < source.length; i++) {
            source[i] = -1;
            for (int j = 0; j < from.fields().size(); j++) {
                if (from.fields().get(j).name().equals(to.fields().get(i).name())) {
                    source[i] = j;
                }
            }
            fields.add(source[i] < 0 ? v -> null
                    : converter(from.fields().get(source[i]).type(), to.fields().get(i).type(), true));
        }
        return v -> {
            Row row = (Row) v;
            Object[] out = new Object[source.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = source[i] < 0 ? null : fields.get(i).apply(row.get(source[i]));
            }
            return new Row(out);
        };
    }

    /**
     * ksqlDB's text of a STRUCT (Kafka Connect's {@code Struct.toString}): {@code Struct{F0=1,f1=3}},
     * NULL fields left out.
     */
    private static String ksqlStructText(Row row, StructType type) {
        StringJoiner j = new StringJoiner(",", "Struct{", "}");
        for (int i = 0; i < type.fields().size(); i++) {
            Object value = row.get(i);
            if (value != null) {
                SqlType t = type.fields().get(i).type();
                j.add(type.fields().get(i).name() + "=" + (t instanceof StructType s ? ksqlStructText((Row) value, s)
                        : value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value)));
            }
        }
        return j.toString();
    }

    /** ksqlDB's partial date: a year alone is its January 1st, a year and month the month's 1st. */
    private static String completeDate(String text) {
        int parts = text.split("-").length;
        return parts == 1 ? text + "-01-01" : parts == 2 ? text + "-01" : text;
    }

    /** CAST(v AS VARCHAR), formatted like Flink (TIMESTAMP 'yyyy-MM-dd HH:mm:ss.SSS', BOOLEAN 'TRUE'). */
    static String toText(Object v, SqlType type) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (type instanceof DecimalType || v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof JsonNode node) {
            return node.isTextual() ? node.textValue() : node.toString();
        }
        if (type instanceof ArrayType a) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object e : (List<?>) v) {
                j.add(e == null ? "NULL" : toText(e, a.element()));
            }
            return j.toString();
        }
        if (type instanceof MapType m) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            ((Map<?, ?>) v).forEach((k, x) -> j.add(nullText(k, m.key()) + "=" + nullText(x, m.value())));
            return j.toString();
        }
        if (type instanceof StructType s) {
            StringJoiner j = new StringJoiner(", ", "(", ")");
            Row row = (Row) v;
            for (int i = 0; i < s.fields().size(); i++) {
                j.add(nullText(row.get(i), s.fields().get(i).type()));
            }
            return j.toString();
        }
        return switch ((ScalarType) type) {
            case BOOLEAN -> ((Boolean) v) ? "TRUE" : "FALSE";
            case TIMESTAMP, TIMESTAMP_LTZ -> DateTimes.formatTimestamp(((Number) v).longValue());
            case DATE -> DateTimes.formatDate(((Number) v).intValue());
            case TIME -> DateTimes.formatTime(((Number) v).intValue());
            case INTERVAL -> DateTimes.formatInterval(((Number) v).longValue());
            case BYTES -> new String((byte[]) v, StandardCharsets.UTF_8);
            default -> String.valueOf(v);
        };
    }

    private static String nullText(Object v, SqlType type) {
        return v == null ? "NULL" : toText(v, type);
    }

    /** CAST(text AS to) for a scalar target; surrounding whitespace is ignored as in Flink. */
    static Object fromText(String text, SqlType to) {
        String s = text.trim();
        try {
            if (to instanceof DecimalType d) {
                return Numbers.fit(new BigDecimal(s), d);
            }
            return switch ((ScalarType) to) {
                case VARCHAR -> text;
                case BOOLEAN -> parseBoolean(s);
                case INTEGER, BIGINT -> parseIntegral(s, to);
                case DOUBLE -> Double.parseDouble(s);
                case TIMESTAMP, TIMESTAMP_LTZ -> DateTimes.parseTimestamp(s);
                case DATE -> DateTimes.parseDate(s);
                case TIME -> DateTimes.parseTime(s);
                case INTERVAL -> Intervals.parse(s);
                case BYTES -> text.getBytes(StandardCharsets.UTF_8);
                case VARIANT -> JsonValues.parse(text);
                case NULL -> null;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot cast '" + text + "' to " + to.sql() + ": not a number");
        }
    }

    private static Object parseIntegral(String s, SqlType to) {
        try {
            long v = Long.parseLong(s);
            return Numbers.convert(v, to);
        } catch (NumberFormatException e) {
            // '1.9' casts to 1 in Flink: fractional digits are dropped toward zero.
            return Numbers.convert(new BigDecimal(s), to);
        }
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "f", "no", "n", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("cannot cast '" + s + "' to BOOLEAN: expected 'true' or 'false'");
        };
    }

    /** VARIANT to a SQL type, as Snowflake's {@code v::TYPE}: JSON null is SQL NULL, strings bare. */
    static Object fromNode(JsonNode node, SqlType to) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (to == ScalarType.VARIANT) {
            return node;
        }
        if (to == ScalarType.VARCHAR) {
            return node.isTextual() ? node.textValue() : node.toString();
        }
        if (to instanceof ArrayType a) {
            if (!node.isArray()) {
                throw new IllegalArgumentException("cannot cast JSON " + node.getNodeType() + " to " + to.sql());
            }
            List<Object> out = new ArrayList<>();
            node.forEach(e -> out.add(fromNode(e, a.element())));
            return out;
        }
        if (to instanceof MapType m) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("cannot cast JSON " + node.getNodeType() + " to " + to.sql());
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(fromText(e.getKey(), m.key()), fromNode(e.getValue(), m.value()));
            }
            return out;
        }
        if (node.isTextual()) {
            return fromText(node.textValue(), to);
        }
        if (node.isBoolean()) {
            if (to == ScalarType.BOOLEAN) {
                return node.booleanValue();
            }
            if (to.isNumeric()) {
                return Numbers.convert(node.booleanValue() ? 1L : 0L, to);
            }
        }
        if (node.isNumber()) {
            Object number = node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                    : node.isFloatingPointNumber() && !(to instanceof DecimalType) ? (Object) node.doubleValue()
                    : node.decimalValue();
            if (to.isNumeric()) {
                return Numbers.convert(number, to);
            }
            if (to == ScalarType.BOOLEAN) {
                return Numbers.toDecimal(number).signum() != 0;
            }
            if (Args.isTimestamp(to) || to == ScalarType.INTERVAL) {
                return Numbers.toLong(number);
            }
            if (to == ScalarType.DATE) {
                return Numbers.toIntExact(Numbers.toLong(number), "DATE");
            }
            if (to == ScalarType.TIME) {
                return Temporals.checkTime(Numbers.toLong(number));
            }
        }
        throw new IllegalArgumentException("cannot cast JSON " + node.getNodeType() + " " + node + " to " + to.sql());
    }
}
