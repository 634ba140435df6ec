package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Units named in EXTRACT, DATE_TRUNC, TIMESTAMPADD and TIMESTAMPDIFF (case-insensitive, constant). */
enum DateUnit {
    MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR, DOW, ISODOW, DOY, EPOCH;

    static final Set<DateUnit> TRUNCATABLE = EnumSet.range(MILLISECOND, YEAR);

    /** Parses a unit; plural and a few common spellings are accepted (HOURS, DAYOFWEEK). */
    static DateUnit parse(String function, String text, Set<DateUnit> allowed) {
        String u = text.trim().toUpperCase(Locale.ROOT);
        DateUnit unit = switch (u) {
            case "MILLISECOND", "MILLISECONDS", "MS" -> MILLISECOND;
            case "SECOND", "SECONDS" -> SECOND;
            case "MINUTE", "MINUTES" -> MINUTE;
            case "HOUR", "HOURS" -> HOUR;
            case "DAY", "DAYS", "DAYOFMONTH" -> DAY;
            case "WEEK", "WEEKS" -> WEEK;
            case "MONTH", "MONTHS" -> MONTH;
            case "QUARTER", "QUARTERS" -> QUARTER;
            case "YEAR", "YEARS" -> YEAR;
            case "DOW", "DAYOFWEEK" -> DOW;
            case "ISODOW" -> ISODOW;
            case "DOY", "DAYOFYEAR" -> DOY;
            case "EPOCH" -> EPOCH;
            default -> null;
        };
        if (unit == null || !allowed.contains(unit)) {
            throw new FunctionException(function + " does not support the unit '" + text + "'; use one of "
                    + Arrays.stream(values()).filter(allowed::contains).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return unit;
    }

    /** Length in milliseconds for the fixed-length units; calendar units have none. */
    long fixedMillis() {
        return switch (this) {
            case MILLISECOND -> 1L;
            case SECOND -> DateTimes.MILLIS_PER_SECOND;
            case MINUTE -> DateTimes.MILLIS_PER_MINUTE;
            case HOUR -> DateTimes.MILLIS_PER_HOUR;
            case DAY -> DateTimes.MILLIS_PER_DAY;
            case WEEK -> 7 * DateTimes.MILLIS_PER_DAY;
            default -> -1L;
        };
    }
}
