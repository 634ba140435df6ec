package dev.sluice.connect;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sink paths made from each row: {@code ${date}} (yyyy-MM-dd), {@code ${hour}}, {@code ${year}},
 * {@code ${month}}, {@code ${day}}, {@code ${minute}} from the record timestamp (the row's event
 * time) in UTC; any other {@code ${name}}, or one of those when the row has such a column, is the
 * row's column value ({@code /} in a value becomes {@code _}, so a value cannot add a level).
 */
public final class PathTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private PathTemplate() {
    }

    public static boolean hasVariables(String template) {
        return VARIABLE.matcher(template).find();
    }

    public static String expand(String template, Long timestamp, Map<String, String> fields) {
        ZonedDateTime t = Instant.ofEpochMilli(timestamp == null ? System.currentTimeMillis() : timestamp)
                .atZone(ZoneOffset.UTC);
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            // a column of the row wins: year=${year} means the row's year column when it has one
            String value = fields.containsKey(name) ? String.valueOf(fields.get(name)) : switch (name) {
                case "date" -> t.toLocalDate().toString();
                case "hour" -> String.format("%02d", t.getHour());
                case "minute" -> String.format("%02d", t.getMinute());
                case "year" -> Integer.toString(t.getYear());
                case "month" -> String.format("%02d", t.getMonthValue());
                case "day" -> String.format("%02d", t.getDayOfMonth());
                default -> "__unknown_" + name;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace('/', '_')));
        }
        m.appendTail(out);
        return out.toString();
    }
}
