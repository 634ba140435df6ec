package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Duration;
import dev.sluice.grammar.ast.Expression;

import java.util.Locale;

/** Interval and duration constants in milliseconds (window sizes, watermarks, join bounds). */
public final class Intervals {
    private Intervals() {
    }

    public static long millis(Expression.IntervalLiteral interval) {
        String value = interval.value().trim();
        String unit = interval.unit().orElse(null);
        long result;
        if (unit == null) {
            // INTERVAL '1 minute', INTERVAL '30 seconds'
            String[] parts = value.split("\\s+");
            if (parts.length != 2) {
                throw new SqlException(interval.location(), "cannot read INTERVAL '" + value + "'",
                        "write INTERVAL '30' SECOND or INTERVAL '30 seconds'");
            }
            result = parseAmount(parts[0], interval) * unitMillis(parts[1], interval);
        } else if (interval.toUnit().isPresent()) {
            result = rangeMillis(value, unit, interval.toUnit().get(), interval);
        } else {
            result = parseAmount(value, interval) * unitMillis(unit, interval);
        }
        return interval.negative() ? -result : result;
    }

    public static long millis(Duration duration) {
        return duration.amount() * unitMillis(duration.unit(), duration.location());
    }

    static long unitMillis(String unit, Expression.IntervalLiteral at) {
        return unitMillis(unit, at.location());
    }

    static long unitMillis(String unit, dev.sluice.grammar.ast.NodeLocation at) {
        String u = unit.toUpperCase(Locale.ROOT);
        if (u.endsWith("S") && u.length() > 3) {
            u = u.substring(0, u.length() - 1);
        }
        return switch (u) {
            case "MILLISECOND", "MS" -> 1L;
            case "SECOND", "SEC" -> 1000L;
            case "MINUTE", "MIN" -> 60_000L;
            case "HOUR" -> 3_600_000L;
            case "DAY" -> 86_400_000L;
            case "WEEK" -> 7 * 86_400_000L;
            default -> throw new SqlException(at, "interval unit " + unit + " is not supported here",
                    "use MILLISECOND, SECOND, MINUTE, HOUR, DAY or WEEK (months vary in length)");
        };
    }

    private static long parseAmount(String text, Expression.IntervalLiteral at) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new SqlException(at.location(), "INTERVAL amount '" + text + "' is not a whole number");
        }
    }

    /** A field of a range such as '1:30.5'; found by sluice fuzz: 'format' was an internal error. */
    private static double parseField(String text, Expression.IntervalLiteral at) {
        double amount;
        try {
            amount = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            amount = Double.NaN;
        }
        if (!Double.isFinite(amount)) {
            throw new SqlException(at.location(), "INTERVAL field '" + text + "' is not a number",
                    "write a range as INTERVAL '1:30' MINUTE TO SECOND or INTERVAL '2 10:00:00' DAY TO SECOND");
        }
        return amount;
    }

    private static long rangeMillis(String value, String from, String to, Expression.IntervalLiteral at) {
        // e.g. INTERVAL '1:30' MINUTE TO SECOND, INTERVAL '2 10:00:00' DAY TO SECOND
        String[] dayAndTime = value.split("\\s+");
        long total = 0;
        String time = dayAndTime[dayAndTime.length - 1];
        if (dayAndTime.length == 2) {
            total += parseAmount(dayAndTime[0], at) * 86_400_000L;
        }
        String[] fields = time.split(":");
        String[] order = {"HOUR", "MINUTE", "SECOND"};
        int start = switch (from.toUpperCase(Locale.ROOT)) {
            case "DAY", "HOUR" -> 0;
            case "MINUTE" -> 1;
            default -> 2;
        };
        for (int i = 0; i < fields.length && start + i < 3; i++) {
            total += Math.round(parseField(fields[i], at) * unitMillis(order[start + i], at));
        }
        return total;
    }
}
