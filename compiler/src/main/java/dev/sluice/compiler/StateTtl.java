package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Flink's {@code table.exec.state.ttl} values: {@code 0}, {@code 3600000} (ms), {@code 1 h}, {@code 30 min}, {@code 10s}. */
final class StateTtl {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]*)");

    private StateTtl() {
    }

    static long parse(String value, NodeLocation where) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new SqlException(where, "'table.exec.state.ttl' = '" + value + "' is not a duration",
                    "write e.g. '1 h', '30 min', '10 s' or milliseconds ('0' keeps state for good)");
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> 1;
            case "s", "sec", "secs", "second", "seconds" -> 1000;
            case "min", "m", "minute", "minutes" -> 60_000;
            case "h", "hour", "hours" -> 3_600_000;
            case "d", "day", "days" -> 86_400_000;
            default -> throw new SqlException(where, "'table.exec.state.ttl': unknown unit '" + m.group(2) + "'",
                    "use ms, s, min, h or d");
        };
        return amount * unit;
    }
}
