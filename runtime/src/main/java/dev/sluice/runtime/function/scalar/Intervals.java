package dev.sluice.runtime.function.scalar;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text forms of INTERVAL (a Long of milliseconds) accepted by CAST(VARCHAR AS INTERVAL). */
final class Intervals {
    /** Flink's own output: {@code +d HH:mm:ss[.SSS]}. */
    private static final Pattern FLINK_DAY_TIME = Pattern.compile("([+-]?)(\\d+) (\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,3}))?");
    /** PostgreSQL-like quantities: {@code 1 day 2 hours 30 minutes}. */
    private static final Pattern QUANTITY = Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)\\s*([a-z]+)");

    private Intervals() {
    }

    static long parse(String text) {
        String s = text.trim();
        Matcher flink = FLINK_DAY_TIME.matcher(s);
        if (flink.matches()) {
            long millis = Long.parseLong(flink.group(2)) * DateTimes.MILLIS_PER_DAY
                    + Long.parseLong(flink.group(3)) * DateTimes.MILLIS_PER_HOUR
                    + Long.parseLong(flink.group(4)) * DateTimes.MILLIS_PER_MINUTE
                    + Long.parseLong(flink.group(5)) * DateTimes.MILLIS_PER_SECOND
                    + (flink.group(6) == null ? 0 : Long.parseLong((flink.group(6) + "00").substring(0, 3)));
            return flink.group(1).equals("-") ? -millis : millis;
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P") || s.toUpperCase(Locale.ROOT).startsWith("-P")) {
            try {
                return Duration.parse(s).toMillis();
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher q = QUANTITY.matcher(s.toLowerCase(Locale.ROOT));
        long total = 0;
        int end = 0;
        boolean any = false;
        while (q.find()) {
            if (!s.substring(end, q.start()).isBlank()) {
                throw invalid(text);
            }
            total += Math.round(Double.parseDouble(q.group(1)) * unitMillis(q.group(2), text));
            end = q.end();
            any = true;
        }
        if (!any || !s.substring(end).isBlank()) {
            throw invalid(text);
        }
        return total;
    }

    static long unitMillis(String unit, String text) {
        return switch (unit) {
            case "ms", "millisecond", "milliseconds" -> 1L;
            case "s", "sec", "secs", "second", "seconds" -> DateTimes.MILLIS_PER_SECOND;
            case "m", "min", "mins", "minute", "minutes" -> DateTimes.MILLIS_PER_MINUTE;
            case "h", "hour", "hours" -> DateTimes.MILLIS_PER_HOUR;
            case "d", "day", "days" -> DateTimes.MILLIS_PER_DAY;
            case "week", "weeks" -> 7 * DateTimes.MILLIS_PER_DAY;
            default -> throw invalid(text);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("cannot cast '" + text + "' to INTERVAL: expected e.g. '+0 00:30:00.000', "
                + "'PT30M' or '30 minutes'");
    }
}
