package dev.sluice.compiler.analyzer;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ksqlDB's reading of the text a ROWTIME, WINDOWSTART or WINDOWEND is compared with
 * ({@code ROWTIME > '2020-05-26T23:59'}): {@code yyyy-MM-dd'T'HH:mm:ss.SSS} where any trailing part
 * of the time may be left out (and of the date too when there is no time: {@code '2020'},
 * {@code '2020-05'}), followed by an optional offset ({@code +0200}, {@code -05:30}) or {@code Z};
 * without one the time is UTC. The result is epoch milliseconds.
 */
final class KsqlTimeText {
    private static final String FULL_TIME = "00:00:00.000";
    private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private KsqlTimeText() {
    }

    /** Epoch milliseconds; IllegalArgumentException when the text is no such time. */
    static long parse(String text) {
        String date;
        String time;
        String zone;
        int t = text.indexOf('T');
        if (t >= 0) {
            date = text.substring(0, t);
            String rest = text.substring(t + 1);
            int sign = rest.indexOf('+') >= 0 ? rest.indexOf('+') : rest.indexOf('-');
            zone = sign >= 0 ? rest.substring(sign) : "";
            time = completeTime(rest.substring(0, rest.length() - zone.length()).replaceAll("Z$", ""));
        } else {
            String[] parts = text.split("-");
            date = parts.length == 1 ? text + "-01-01" : parts.length == 2 ? text + "-01" : text;
            time = FULL_TIME;
            zone = "";
        }
        try {
            ZoneId offset = zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
            return LocalDateTime.parse(date + "T" + time, PATTERN).atZone(offset).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Failed to parse timestamp '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The time with its missing trailing fields zero: {@code 12:30} is {@code 12:30:00.000}. */
    private static String completeTime(String time) {
        return time.length() >= FULL_TIME.length() ? time : time + FULL_TIME.substring(time.length());
    }
}
