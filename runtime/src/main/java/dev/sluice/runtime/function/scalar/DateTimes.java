package dev.sluice.runtime.function.scalar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Calendar arithmetic on Sluice's temporal representations (TIMESTAMP = epoch millis UTC,
 * DATE = epoch days). Everything is UTC: Sluice has no session time zone.
 */
final class DateTimes {
    static final long MILLIS_PER_SECOND = 1000L;
    static final long MILLIS_PER_MINUTE = 60_000L;
    static final long MILLIS_PER_HOUR = 3_600_000L;
    static final long MILLIS_PER_DAY = 86_400_000L;

    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    /**
     * 'yyyy-MM-dd', then optionally ' ' or 'T', 'HH:mm[:ss[.fraction]]', then an optional 'Z' or
     * offset: accepts SQL literals, Flink's CAST format and ISO-8601 as found in JSON.
     */
    private static final DateTimeFormatter TIMESTAMP_PARSER = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-').appendValue(ChronoField.MONTH_OF_YEAR, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE)
            .appendLiteral('-').appendValue(ChronoField.DAY_OF_MONTH, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE)
            .optionalStart()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private DateTimes() {
    }

    static int toDate(long epochMillis) {
        return Math.toIntExact(Math.floorDiv(epochMillis, MILLIS_PER_DAY));
    }

    static long toTimestamp(int epochDay) {
        return epochDay * MILLIS_PER_DAY;
    }

    static LocalDateTime toLocal(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    static long toMillis(LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Flink's CAST(TIMESTAMP(3) AS STRING): always three fraction digits. */
    static String formatTimestamp(long epochMillis) {
        return TIMESTAMP_TEXT.format(toLocal(epochMillis));
    }

    static String formatDate(int epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /** The time of day of an instant, in UTC, as milliseconds (a TIME). */
    static int timeOfDay(long epochMillis) {
        return (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    }

    /** Flink's CAST(TIME AS STRING) for its default TIME(0): {@code HH:mm:ss}, milliseconds dropped. */
    static String formatTime(int millisOfDay) {
        int seconds = millisOfDay / 1000;
        return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /**
     * ksqlDB's text of a TIME ({@code SqlTimeTypes.formatTime}: {@code LocalTime.toString()} of the
     * whole seconds), so {@code 00:00:05}, and {@code 00:01} for a whole minute.
     */
    static String formatKsqlTime(int millisOfDay) {
        return LocalTime.ofSecondOfDay(millisOfDay / 1000).toString();
    }

    /** {@code HH:mm[:ss[.fff]]} as milliseconds of the day (finer digits are dropped). */
    static int parseTime(String text) {
        try {
            return (int) (LocalTime.parse(text.trim()).toNanoOfDay() / 1_000_000L);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cannot parse '" + text + "' as TIME: expected 'HH:mm:ss[.SSS]'");
        }
    }

    /** Flink's day-time interval text: {@code +d HH:mm:ss.SSS}. */
    static String formatInterval(long millis) {
        StringBuilder b = new StringBuilder(millis < 0 ? "-" : "+");
        long v = Math.abs(millis);
        b.append(v / MILLIS_PER_DAY).append(' ');
        b.append(String.format("%02d:%02d:%02d.%03d", (v / MILLIS_PER_HOUR) % 24, (v / MILLIS_PER_MINUTE) % 60,
                (v / MILLIS_PER_SECOND) % 60, v % 1000));
        return b.toString();
    }

    /** Parses a timestamp text (see {@link #TIMESTAMP_PARSER}); a missing time is midnight, no offset is UTC. */
    static long parseTimestamp(String text) {
        String s = text.trim();
        TemporalAccessor parsed;
        try {
            parsed = TIMESTAMP_PARSER.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cannot parse '" + text + "' as TIMESTAMP: expected "
                    + "'yyyy-MM-dd[ HH:mm:ss[.SSS]]' or ISO-8601 such as '2024-01-31T10:15:30Z'");
        }
        LocalDate date = LocalDate.from(parsed);
        long nanos = 0;
        if (parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            nanos = parsed.getLong(ChronoField.HOUR_OF_DAY) * 3_600_000_000_000L
                    + parsed.getLong(ChronoField.MINUTE_OF_HOUR) * 60_000_000_000L;
            if (parsed.isSupported(ChronoField.SECOND_OF_MINUTE)) {
                nanos += parsed.getLong(ChronoField.SECOND_OF_MINUTE) * 1_000_000_000L;
            }
            if (parsed.isSupported(ChronoField.NANO_OF_SECOND)) {
                nanos += parsed.getLong(ChronoField.NANO_OF_SECOND);
            }
        }
        long millis = Math.multiplyExact(date.toEpochDay(), MILLIS_PER_DAY) + nanos / 1_000_000L;
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            millis -= parsed.getLong(ChronoField.OFFSET_SECONDS) * MILLIS_PER_SECOND;
        }
        return millis;
    }

    /** 'yyyy-MM-dd'; a timestamp text is accepted and truncated to its day. */
    static int parseDate(String text) {
        String s = text.trim();
        try {
            return Math.toIntExact(LocalDate.parse(s).toEpochDay());
        } catch (DateTimeParseException e) {
            try {
                return toDate(parseTimestamp(s));
            } catch (IllegalArgumentException again) {
                throw new IllegalArgumentException("cannot parse '" + text + "' as DATE: expected 'yyyy-MM-dd'");
            }
        }
    }
}
