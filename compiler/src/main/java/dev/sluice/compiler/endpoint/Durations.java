package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code '1 minute'}, {@code '30 s'}, {@code '500'} (milliseconds) as milliseconds. */
public final class Durations {
    private static final Pattern AMOUNT = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Z]*)\\s*");

    private Durations() {
    }

    public static long millis(String text, NodeLocation where) {
        Matcher m = AMOUNT.matcher(text);
        if (!m.matches()) {
            throw new SqlException(where, "'" + text + "' is not a duration", "write e.g. '1 minute' or '30 seconds'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "", "ms", "millisecond", "milliseconds" -> n;
            case "s", "sec", "second", "seconds" -> n * 1000;
            case "m", "min", "minute", "minutes" -> n * 60_000;
            case "h", "hour", "hours" -> n * 3_600_000;
            case "d", "day", "days" -> n * 86_400_000;
            default -> throw new SqlException(where, "unknown time unit '" + unit + "' in '" + text + "'");
        };
    }
}
