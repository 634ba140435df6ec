package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Date/time format patterns in both dialects users bring: PostgreSQL's {@code YYYY-MM-DD HH24:MI:SS}
 * (recognised by its upper-case tokens) and Java's/Flink's {@code yyyy-MM-dd HH:mm:ss}. A pattern with
 * Java's lower-case year, day, minute or second letters is Java's even when it also holds an
 * upper-case run PostgreSQL would read: {@code ss.SSS} (milliseconds) contains {@code SS}.
 * PostgreSQL tokens: YYYY YY MM DD DDD HH24 HH12 HH MI SS MS US AM PM Mon Month Dy Day; any other
 * character is literal (a double-quoted run too, e.g. {@code "T"}).
 */
final class DateFormats {
    private static final Pattern POSTGRES_HINT = Pattern.compile("YYYY|YY|DD|HH24|HH12|MI|SS");
    private static final Pattern JAVA_HINT = Pattern.compile("yy|uu|dd|mm|ss");
    private static final String[] POSTGRES_TOKENS = {
        "YYYY", "uuuu", "HH24", "HH", "HH12", "hh", "Month", "MMMM", "Mon", "MMM", "Day", "EEEE", "Dy", "EEE",
        "DDD", "DDD", "YY", "uu", "MM", "MM", "DD", "dd", "HH", "hh", "MI", "mm", "SS", "ss", "MS", "SSS",
        "US", "SSSSSS", "AM", "a", "PM", "a"};

    private DateFormats() {
    }

    static DateTimeFormatter compile(String function, String format) {
        boolean postgres = POSTGRES_HINT.matcher(format).find() && !JAVA_HINT.matcher(format).find();
        String javaPattern = postgres ? fromPostgres(format) : format;
        try {
            return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(javaPattern)
                    .toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new FunctionException(function + " has an invalid format '" + format + "': " + e.getMessage());
        }
    }

    static String fromPostgres(String format) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        outer:
        while (i < format.length()) {
            if (format.charAt(i) == '"') {
                int end = format.indexOf('"', i + 1);
                if (end < 0) {
                    end = format.length();
                }
                literal.append(format, i + 1, end);
                i = Math.min(end + 1, format.length());
                continue;
            }
            for (int t = 0; t < POSTGRES_TOKENS.length; t += 2) {
                if (format.startsWith(POSTGRES_TOKENS[t], i)) {
                    flushLiteral(out, literal);
                    out.append(POSTGRES_TOKENS[t + 1]);
                    i += POSTGRES_TOKENS[t].length();
                    continue outer;
                }
            }
            literal.append(format.charAt(i++));
        }
        flushLiteral(out, literal);
        return out.toString();
    }

    private static void flushLiteral(StringBuilder out, StringBuilder literal) {
        if (literal.length() > 0) {
            out.append('\'').append(literal.toString().replace("'", "''")).append('\'');
            literal.setLength(0);
        }
    }

    /**
     * Parses text into epoch millis UTC; missing date fields default to 1970-01-01, a missing
     * time to midnight; an offset in the text is honoured. Throws IllegalArgumentException.
     */
    static long parse(DateTimeFormatter formatter, String text) {
        TemporalAccessor parsed;
        try {
            parsed = formatter.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cannot parse '" + text + "' with the given format: " + e.getMessage());
        }
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            date = LocalDate.of(field(parsed, ChronoField.YEAR, 1970), field(parsed, ChronoField.MONTH_OF_YEAR, 1),
                    field(parsed, ChronoField.DAY_OF_MONTH, 1));
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        long millis = DateTimes.toMillis(date.atTime(time == null ? LocalTime.MIDNIGHT : time));
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            millis -= parsed.getLong(ChronoField.OFFSET_SECONDS) * 1000L;
        }
        return millis;
    }

    private static int field(TemporalAccessor parsed, ChronoField field, int fallback) {
        return parsed.isSupported(field) ? parsed.get(field) : fallback;
    }

    static String format(DateTimeFormatter formatter, long epochMillis) {
        return formatter.format(DateTimes.toLocal(epochMillis));
    }
}
