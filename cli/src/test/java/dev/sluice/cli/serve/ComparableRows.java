package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.util.PGInterval;

/**
 * PostgreSQL's answer and Sluice's answer to one SELECT as comparable text rows. Each column is
 * read by the kind PostgreSQL reports for it: timestamps as instants at millisecond precision
 * (Sluice's TIMESTAMP precision is 3; PostgreSQL keeps microseconds), numbers by value to 12
 * significant digits (NUMERIC's trailing zeros and a double's last bits aside), intervals as a
 * duration (a month as 30 days, as PostgreSQL compares them), text and JSON as written.
 */
final class ComparableRows {
    enum Kind { TIMESTAMP, DATE, NUMBER, INTERVAL, BOOLEAN, TEXT }

    record Answer(List<String> columns, List<Kind> kinds, List<String> rows) {
    }

    private static final MathContext DIGITS = new MathContext(12);
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

    private ComparableRows() {
    }

    static Answer postgres(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
            kinds.add(kind(md.getColumnTypeName(i)));
        }
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                row.add(rs.getObject(i) == null ? "NULL" : switch (kinds.get(i - 1)) {
                    case TIMESTAMP -> instant(rs.getTimestamp(i).toInstant());
                    case DATE -> rs.getString(i);
                    case NUMBER -> number(rs.getBigDecimal(i));
                    case INTERVAL -> interval(intervalMillis((PGInterval) rs.getObject(i)));
                    case BOOLEAN -> String.valueOf(rs.getBoolean(i));
                    case TEXT -> json(rs.getString(i));
                });
            }
            rows.add(String.join(" | ", row));
        }
        return new Answer(columns, kinds, rows);
    }

    /** Sluice's rows (the query API's arrays), each value read as PostgreSQL's column of that position. */
    static List<String> sluice(JsonNode body, List<Kind> kinds) {
        List<String> rows = new ArrayList<>();
        for (int r = 1; r < body.size(); r++) {
            JsonNode values = body.get(r);
            List<String> row = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                Kind kind = i < kinds.size() ? kinds.get(i) : Kind.TEXT;
                row.add(v == null || v.isNull() ? "NULL" : switch (kind) {
                    case TIMESTAMP -> v.isNumber() ? instant(Instant.ofEpochMilli(v.asLong())) : instant(parseInstant(v.asText()));
                    case DATE -> v.isNumber() ? LocalDate.ofEpochDay(v.asLong()).toString() : v.asText();
                    case NUMBER -> v.isNumber() ? number(v.decimalValue()) : numberText(v.asText());
                    case INTERVAL -> v.isNumber() ? interval(v.asLong()) : interval(durationText(v.asText()));
                    case BOOLEAN -> String.valueOf(v.asBoolean());
                    case TEXT -> json(v.isValueNode() ? v.asText() : v.toString());
                });
            }
            rows.add(String.join(" | ", row));
        }
        return rows;
    }

    static List<String> columns(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.get(0).get("columnNames").forEach(c -> out.add(c.asText().toLowerCase(Locale.ROOT)));
        return out;
    }

    /**
     * A JSON array or object (jsonb -> 'key') in one layout: PostgreSQL prints jsonb with a space
     * after each comma and colon, Sluice compactly; the values and their order are compared as is.
     */
    private static String json(String text) {
        if (text == null || !(text.startsWith("[") || text.startsWith("{"))) {
            return text;
        }
        try {
            return MAPPER.readTree(text).toString();
        } catch (java.io.IOException notJson) {
            return text;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private static Kind kind(String pgType) {
        return switch (pgType.toLowerCase(Locale.ROOT)) {
            case "timestamptz", "timestamp" -> Kind.TIMESTAMP;
            case "date" -> Kind.DATE;
            case "numeric", "int2", "int4", "int8", "float4", "float8" -> Kind.NUMBER;
            case "interval" -> Kind.INTERVAL;
            case "bool" -> Kind.BOOLEAN;
            default -> Kind.TEXT;
        };
    }

    private static String instant(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (RuntimeException notOffset) {
            return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
        }
    }

    private static String number(BigDecimal d) {
        BigDecimal rounded = d.round(DIGITS).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }

    private static String numberText(String text) {
        try {
            return number(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static String interval(long millis) {
        return "interval " + Duration.ofMillis(millis);
    }

    private static long intervalMillis(PGInterval i) {
        double seconds = ((i.getYears() * 12L + i.getMonths()) * 30L + i.getDays()) * 86_400d
                + i.getHours() * 3600d + i.getMinutes() * 60d + i.getSeconds();
        return Math.round(seconds * 1000);
    }

    private static long durationText(String text) {
        try {
            return Duration.parse(text).toMillis();
        } catch (RuntimeException notIso) {
            return intervalMillis(parsePgInterval(text));
        }
    }

    private static PGInterval parsePgInterval(String text) {
        try {
            return new PGInterval(text);
        } catch (SQLException e) {
            throw new IllegalArgumentException("not an interval: " + text, e);
        }
    }
}
