package dev.sluice.serdes.format.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * Text ↔ typed value for scalar columns. One set of rules for every text format: CSV cells, JSON
 * strings in numeric columns, map keys. Errors are {@link IllegalArgumentException}s whose message
 * says what the text should have been; the caller adds the field name.
 */
public final class TextValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextValues() {
    }

    /** The value of {@code text} as {@code type}; scalar and DECIMAL types only. */
    public static Object parse(SqlType type, String text) {
        if (type instanceof DecimalType d) {
            return fitDecimal(parseDecimal(text), d);
        }
        if (!(type instanceof ScalarType s)) {
            throw new IllegalArgumentException(type.sql() + " cannot be read from text");
        }
        String t = text.trim();
        try {
            return switch (s) {
                case VARCHAR -> text;
                case BOOLEAN -> parseBoolean(t);
                case INTEGER -> Integer.parseInt(t);
                case BIGINT -> Long.parseLong(t);
                case DOUBLE -> parseDouble(t);
                case TIMESTAMP, TIMESTAMP_LTZ -> Temporals.parseTimestamp(t);
                case DATE -> Temporals.parseDate(t);
                case TIME -> Temporals.parseTime(t);
                case INTERVAL -> parseInterval(t);
                case BYTES -> Base64.getDecoder().decode(t);
                case VARIANT -> parseVariant(text);
                case NULL -> null;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    /** Text form of a scalar value, the inverse of {@link #parse}. */
    public static String format(SqlType type, Object value) {
        if (type instanceof DecimalType) {
            return ((BigDecimal) value).toPlainString();
        }
        if (type == ScalarType.TIMESTAMP || type == ScalarType.TIMESTAMP_LTZ) {
            return Temporals.formatTimestamp(((Number) value).longValue());
        }
        if (type == ScalarType.DATE) {
            return Temporals.formatDate(((Number) value).intValue());
        }
        if (type == ScalarType.TIME) {
            return Temporals.formatTime(((Number) value).intValue());
        }
        if (type == ScalarType.BYTES) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        return value.toString();
    }

    public static BigDecimal parseDecimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    /**
     * Rounds half-up to the type's scale (as a CAST does) and rejects values with more integer digits
     * than the precision allows: silently nulling an amount would be worse than a dead letter.
     */
    public static BigDecimal fitDecimal(BigDecimal value, DecimalType type) {
        BigDecimal scaled = value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() > type.precision()) {
            throw new IllegalArgumentException("too many digits for " + type.sql());
        }
        return scaled;
    }

    private static Boolean parseBoolean(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("true")) {
            return Boolean.TRUE;
        }
        if (lower.equals("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not true or false");
    }

    private static Double parseDouble(String t) {
        // Double.parseDouble also takes Java suffixes ("1f", "2d"), which are no number in SQL or JSON
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'f' || last == 'F' || last == 'd' || last == 'D') {
            throw new NumberFormatException(t);
        }
        return Double.parseDouble(t);
    }

    private static Long parseInterval(String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return Duration.parse(t).toMillis();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("not milliseconds or an ISO-8601 duration");
            }
        }
    }

    private static JsonNode parseVariant(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // a bare word in a CSV cell is still a useful semi-structured value: keep it as a JSON string
            return TextNode.valueOf(text);
        }
    }
}
