package dev.sluice.serdes.format.text;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Text forms of TIMESTAMP (epoch millis, UTC), DATE (epoch days) and TIME (milliseconds of the day). Hand-written fast paths for the
 * forms seen on every record ({@code 2024-01-15T10:00:03.457Z}, {@code 2024-01-15 10:00:03}); rarer
 * spellings (zone ids, week dates) go through {@code java.time}'s ISO parser.
 */
public final class Temporals {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final DateTimeFormatter TIME_TEXT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Temporals() {
    }

    /**
     * Parses ISO-8601 with or without offset (no offset means UTC), {@code yyyy-MM-dd HH:mm:ss[.f...]}
     * (UTC), a bare date (midnight UTC), or an integer string of epoch millis.
     *
     * @throws IllegalArgumentException when the text is none of these
     */
    public static long parseTimestamp(String text) {
        String s = text.trim();
        if (isInteger(s)) {
            return Long.parseLong(s);
        }
        try {
            long fast = parseFast(s);
            if (fast != Long.MIN_VALUE) {
                return fast;
            }
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s.replace(' ', 'T'),
                    ZonedDateTime::from, LocalDateTime::from);
            if (t instanceof ZonedDateTime z) {
                return z.toInstant().toEpochMilli();
            }
            return ((LocalDateTime) t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a timestamp: '" + text + "'");
        }
    }

    /** {@code 2024-01-15T10:00:03.457Z}: ISO-8601, UTC, always with milliseconds. */
    public static String formatTimestamp(long epochMillis) {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int msOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.ofEpochMilli(epochMillis));
        }
        char[] c = new char[24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, msOfDay / 3_600_000, 2);
        c[13] = ':';
        put(c, 14, msOfDay / 60_000 % 60, 2);
        c[16] = ':';
        put(c, 17, msOfDay / 1000 % 60, 2);
        c[19] = '.';
        put(c, 20, msOfDay % 1000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    /** {@code yyyy-MM-dd}, or an integer string of epoch days. */
    public static int parseDate(String text) {
        String s = text.trim();
        if (isInteger(s)) {
            return Integer.parseInt(s);
        }
        try {
            return (int) LocalDate.parse(s).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date (yyyy-MM-dd): '" + text + "'");
        }
    }

    public static String formatDate(int epochDays) {
        return LocalDate.ofEpochDay(epochDays).toString();
    }

    /**
     * A TIME as milliseconds of the day from {@code HH:mm[:ss[.fff]]} (ISO, as ksqlDB's
     * {@code SqlTimeTypes.parseTime}; digits past the millisecond are dropped), or an integer string
     * of milliseconds (what ksqlDB writes in JSON and DELIMITED).
     *
     * @throws IllegalArgumentException when the text is neither, or the number is not within a day
     */
    public static int parseTime(String text) {
        String s = text.trim();
        if (isInteger(s)) {
            return checkTime(Long.parseLong(s));
        }
        try {
            return (int) (LocalTime.parse(s).toNanoOfDay() / 1_000_000L);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time (HH:mm:ss.SSS): '" + text + "'");
        }
    }

    /** Milliseconds of the day, checked to lie within one day. */
    public static int checkTime(long millisOfDay) {
        if (millisOfDay < 0 || millisOfDay >= MILLIS_PER_DAY) {
            throw new IllegalArgumentException("not a time of day: " + millisOfDay + " ms (0 to 86399999)");
        }
        return (int) millisOfDay;
    }

    /** {@code HH:mm:ss.SSS}, always with milliseconds, the inverse of {@link #parseTime}. */
    public static String formatTime(int millisOfDay) {
        return LocalTime.ofNanoOfDay(millisOfDay * 1_000_000L).format(TIME_TEXT);
    }

    private static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() > 19 + start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    /** The common shapes by hand; {@code Long.MIN_VALUE} when the text needs the general parser. */
    private static long parseFast(String s) {
        int n = s.length();
        if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        if ((year | month | day) < 0) {
            return Long.MIN_VALUE;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        if (n == 10) {
            return epochDay * MILLIS_PER_DAY;
        }
        char sep = s.charAt(10);
        if ((sep != 'T' && sep != 't' && sep != ' ') || n < 16 || s.charAt(13) != ':') {
            return Long.MIN_VALUE;
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = 0;
        int nanosMillis = 0;
        int i = 16;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, 17, 2);
            i = 19;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int fracStart = i;
                while (i < n && Character.isDigit(s.charAt(i))) {
                    if (i - fracStart < 3) {
                        nanosMillis = nanosMillis * 10 + (s.charAt(i) - '0');
                    }
                    i++;
                }
                int fracLen = i - fracStart;
                if (fracLen == 0) {
                    return Long.MIN_VALUE;
                }
                for (int k = fracLen; k < 3; k++) {
                    nanosMillis *= 10;
                }
            }
        }
        if ((hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        long offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i + 1 == n) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                String off = s.substring(i);
                if (off.length() == 3) {
                    off = off + ":00";
                }
                try {
                    offsetSeconds = ZoneOffset.of(off).getTotalSeconds();
                } catch (DateTimeException e) {
                    return Long.MIN_VALUE;
                }
            } else {
                return Long.MIN_VALUE;
            }
        }
        return epochDay * MILLIS_PER_DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L
                + nanosMillis - offsetSeconds * 1000L;
    }

    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
