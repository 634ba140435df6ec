package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * ksqlDB's date and timestamp functions with its names, argument forms and NULL handling:
 * AS_VALUE, FROM_DAYS, UNIX_DATE, FORMAT_DATE, PARSE_DATE, FORMAT_TIMESTAMP, PARSE_TIMESTAMP,
 * CONVERT_TZ. Formats are Java's {@link DateTimeFormatter} patterns, as in ksqlDB; a time zone
 * argument is a zone id ({@code 'UTC'}, {@code 'America/Los_Angeles'}, {@code '+02:00'}).
 */
final class KsqlTemporalFunctions {
    private KsqlTemporalFunctions() {
    }

    static List<ScalarFunction> all(LongSupplier clock) {
        return List.of(asValue(), fromDays(), unixDate(clock), formatDate(), parseDate(), formatTimestamp(),
                parseTimestamp(), convertTz());
    }

    /** AS_VALUE(x): x itself; ksqlDB uses it to copy a key column into the value, as any expression does here. */
    private static Fn asValue() {
        return Fn.of("AS_VALUE", args -> {
            Args.count("AS_VALUE", "(any)", args, 1, 1);
            return args.get(0).type();
        }, (args, t) -> a -> a[0]);
    }

    private static Fn fromDays() {
        return Fn.of("FROM_DAYS", args -> {
            Sig.check("FROM_DAYS", args, "INTEGER");
            return ScalarType.DATE;
        }, (args, t) -> a -> Numbers.toIntExact(Numbers.toLong(a[0]), "FROM_DAYS"));
    }

    /** UNIX_DATE([date]): days since the epoch; without an argument, today's (UTC). */
    private static Fn unixDate(LongSupplier clock) {
        return Fn.of("UNIX_DATE", args -> {
            Sig.check("UNIX_DATE", args, "[DATE]");
            return ScalarType.INTEGER;
        }, (args, t) -> args.isEmpty() ? a -> DateTimes.toDate(clock.getAsLong()) : a -> a[0]).nonDeterministic();
    }

    private static DateTimeFormatter pattern(String function, String format) {
        try {
            return DateTimeFormatter.ofPattern(format, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new FunctionException(function + " has an invalid format '" + format + "': " + e.getMessage());
        }
    }

    /**
     * PARSE_DATE's pattern, read as ksqlDB's {@code SimpleDateFormat} reads: month names in any case
     * ({@code 01-JAN-2022} with {@code dd-MMM-yyyy}) and a missing month or day the first
     * ({@code JAN-2022} with {@code MMM-yyyy} is 2022-01-01).
     */
    private static DateTimeFormatter datePattern(String format) {
        try {
            var builder = new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(format);
            if (format.indexOf('D') < 0) { // a day of the year fixes month and day itself
                builder.parseDefaulting(java.time.temporal.ChronoField.MONTH_OF_YEAR, 1)
                        .parseDefaulting(java.time.temporal.ChronoField.DAY_OF_MONTH, 1);
            }
            return builder.toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new FunctionException("invalid date format '" + format + "': " + e.getMessage());
        }
    }

    private static ZoneId zone(String function, String id) {
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new FunctionException(function + ": unknown time zone '" + id + "'");
        }
    }

    private static Fn formatDate() {
        return Fn.of("FORMAT_DATE", args -> Sig.varchar("FORMAT_DATE", args, "DATE", "VARCHAR"),
                (args, t) -> a -> formatDate("FORMAT_DATE", ((Number) a[0]).longValue(), (String) a[1]));
    }

    private static Fn parseDate() {
        return Fn.of("PARSE_DATE", args -> {
            Sig.check("PARSE_DATE", args, "VARCHAR", "VARCHAR");
            return ScalarType.DATE;
        }, (args, t) -> a -> parseDate("PARSE_DATE", (String) a[0], (String) a[1]));
    }

    /** FORMAT_TIMESTAMP(ts, format [, zone]): the instant written in the zone (default UTC). */
    private static Fn formatTimestamp() {
        return Fn.of("FORMAT_TIMESTAMP", args -> Sig.varchar("FORMAT_TIMESTAMP", args, "TIMESTAMP", "VARCHAR", "[VARCHAR]"),
                (args, t) -> a -> formatTimestamp("FORMAT_TIMESTAMP", ((Number) a[0]).longValue(), (String) a[1],
                        a.length > 2 ? (String) a[2] : null));
    }

    /**
     * PARSE_TIMESTAMP(text, format [, zone]): text without an offset or zone of its own (a pattern's
     * {@code zzz} reads one, {@code PST}) is read in the zone (default UTC).
     */
    private static Fn parseTimestamp() {
        return Fn.of("PARSE_TIMESTAMP", args -> {
            Sig.check("PARSE_TIMESTAMP", args, "VARCHAR", "VARCHAR", "[VARCHAR]");
            return ScalarType.TIMESTAMP;
        }, (args, t) -> a -> parseTimestamp("PARSE_TIMESTAMP", (String) a[0], (String) a[1],
                a.length > 2 ? (String) a[2] : null));
    }

    /** Epoch milliseconds of {@code text} read with the pattern {@code format} in {@code zoneId} (NULL: UTC). */
    static long parseTimestamp(String function, String text, String format, String zoneId) {
        ZoneId zone = zoneId != null ? zone(function, zoneId) : ZoneOffset.UTC;
        DateTimeFormatter f;
        try { // read ignoring case, as ksqlDB's parser does ('z' for the zone Z)
            f = new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(format)
                    .toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new FunctionException(function + " has an invalid format '" + format + "': " + e.getMessage());
        }
        try {
            long utc = DateFormats.parse(f, text);
            var parsed = f.parse(text.trim());
            if (parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
                return utc;
            }
            ZoneId named = parsed.query(java.time.temporal.TemporalQueries.zoneId());
            LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(utc), ZoneOffset.UTC);
            return local.atZone(named != null ? named : zone).toInstant().toEpochMilli();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new FunctionException(function + " cannot parse '" + text + "' with '" + format + "'");
        }
    }

    /** {@code epochMillis} written with the pattern {@code format} in {@code zoneId} (NULL: UTC). */
    static String formatTimestamp(String function, long epochMillis, String format, String zoneId) {
        ZoneId zone = zoneId != null ? zone(function, zoneId) : ZoneOffset.UTC;
        return pattern(function, format).format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    /**
     * Days since the epoch of {@code text} read with the pattern {@code format}, month names in any case.
     * Text after the pattern's last field is ignored, as ksqlDB's {@code SimpleDateFormat}-style parser
     * ignores it: {@code '2003-12-24-01-01'} with {@code yyyy-MM-dd} is 2003-12-24.
     */
    static int parseDate(String function, String text, String format) {
        try {
            var parsed = datePattern(format).parse(text, new java.text.ParsePosition(0));
            return (int) LocalDate.from(parsed).toEpochDay();
        } catch (java.time.DateTimeException e) {
            throw new FunctionException(function + " cannot parse '" + text + "' with '" + format + "'");
        }
    }

    static String formatDate(String function, long epochDays, String format) {
        return pattern(function, format).format(LocalDate.ofEpochDay(epochDays));
    }

    /** CONVERT_TZ(ts, from, to): the wall-clock time in {@code from} moved to the same instant's wall clock in {@code to}. */
    private static Fn convertTz() {
        return Fn.of("CONVERT_TZ", args -> {
            Sig.check("CONVERT_TZ", args, "TIMESTAMP", "VARCHAR", "VARCHAR");
            return ScalarType.TIMESTAMP;
        }, (args, t) -> a -> {
            LocalDateTime wall = LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) a[0]).longValue()), ZoneOffset.UTC);
            Instant instant = wall.atZone(zone("CONVERT_TZ", (String) a[1])).toInstant();
            return instant.atZone(zone("CONVERT_TZ", (String) a[2])).toLocalDateTime()
                    .toInstant(ZoneOffset.UTC).toEpochMilli();
        });
    }
}
