package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.runtime.function.ScalarFunction.Implementation;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * EXTRACT and its shorthands (YEAR(ts), HOUR(ts), ...), DATE_TRUNC, TIMESTAMPADD, TIMESTAMPDIFF
 * and the processing-time functions. All in UTC.
 *
 * <p>EXTRACT(unit, value) returns BIGINT as Flink. DOW follows Flink: 1 = Sunday ... 7 = Saturday
 * (PostgreSQL uses 0 = Sunday ... 6; ISODOW is 1 = Monday ... 7 = Sunday in both). MILLISECOND is
 * the millisecond within the second (0-999) as Flink (PostgreSQL includes the seconds). WEEK is
 * the ISO week. EPOCH follows PostgreSQL and returns DECIMAL(38, 3) seconds (Flink: BIGINT, and
 * not for intervals): seconds since 1970 for TIMESTAMP/DATE, the interval's length for INTERVAL,
 * so {@code EXTRACT(EPOCH FROM end - start) / 60} keeps fractions. For an INTERVAL, DAY is the
 * whole days and HOUR, MINUTE, SECOND the remainders (0-23, 0-59).
 */
final class TemporalFunctions {
    static final DecimalType EPOCH_TYPE = new DecimalType(38, 3);
    private static final Set<DateUnit> EXTRACTABLE = EnumSet.allOf(DateUnit.class);
    private static final Set<DateUnit> INTERVAL_EXTRACTABLE = EnumSet.of(DateUnit.DAY, DateUnit.HOUR,
            DateUnit.MINUTE, DateUnit.SECOND, DateUnit.MILLISECOND, DateUnit.EPOCH);
    private static final Set<DateUnit> ARITHMETIC_UNITS = EnumSet.range(DateUnit.MILLISECOND, DateUnit.YEAR);

    private TemporalFunctions() {
    }

    static List<ScalarFunction> all(LongSupplier clock) {
        return List.of(extract(),
                shorthand("YEAR", DateUnit.YEAR), shorthand("QUARTER", DateUnit.QUARTER),
                shorthand("MONTH", DateUnit.MONTH), shorthand("WEEK", DateUnit.WEEK),
                shorthand("DAYOFMONTH", DateUnit.DAY), shorthand("DAYOFYEAR", DateUnit.DOY),
                shorthand("DAYOFWEEK", DateUnit.DOW), shorthand("HOUR", DateUnit.HOUR),
                shorthand("MINUTE", DateUnit.MINUTE), shorthand("SECOND", DateUnit.SECOND),
                dateTrunc(), timestampAdd("TIMESTAMPADD", 1), timestampAdd("TIMESTAMPSUB", -1), timestampAdd("DATEADD", 1),
                timestampAdd("DATESUB", -1), timestampDiff(), age(),
                Fn.of("NOW", args -> {
                    Args.count("NOW", "no arguments", args, 0, 0);
                    return ScalarType.TIMESTAMP;
                }, (args, t) -> a -> clock.getAsLong()).withAliases("CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "PROCTIME").nonDeterministic(),
                Fn.of("CURRENT_DATE", args -> {
                    Args.count("CURRENT_DATE", "no arguments", args, 0, 0);
                    return ScalarType.DATE;
                }, (args, t) -> a -> DateTimes.toDate(clock.getAsLong())).nonDeterministic());
    }

    private static Fn extract() {
        String expected = "(constant VARCHAR unit, TIMESTAMP | DATE | INTERVAL)";
        return Fn.of("EXTRACT", args -> {
            Args.count("EXTRACT", expected, args, 2, 2);
            SqlType t = args.get(1).type();
            if (!t.isTemporal() && t != ScalarType.INTERVAL && t != ScalarType.NULL) {
                throw Args.mismatch("EXTRACT", expected, args);
            }
            DateUnit unit = DateUnit.parse("EXTRACT", Args.constantString("EXTRACT", args, 0, "unit"),
                    t == ScalarType.INTERVAL ? INTERVAL_EXTRACTABLE : EXTRACTABLE);
            return unit == DateUnit.EPOCH ? EPOCH_TYPE : ScalarType.BIGINT;
        }, (args, type) -> {
            SqlType t = args.get(1).type();
            DateUnit unit = DateUnit.parse("EXTRACT", Args.constantString("EXTRACT", args, 0, "unit"),
                    t == ScalarType.INTERVAL ? INTERVAL_EXTRACTABLE : EXTRACTABLE);
            return extractor(unit, t, 1);
        });
    }

    /** YEAR(ts) = EXTRACT(YEAR FROM ts), as Flink. */
    private static Fn shorthand(String name, DateUnit unit) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "DATETIME");
            return ScalarType.BIGINT;
        }, (args, type) -> extractor(unit, args.get(0).type(), 0));
    }

    private static Implementation extractor(DateUnit unit, SqlType t, int index) {
        if (t == ScalarType.INTERVAL) {
            return a -> extractInterval(unit, (Long) a[index]);
        }
        boolean date = t == ScalarType.DATE;
        return a -> {
            long millis = date ? DateTimes.toTimestamp((Integer) a[index]) : (Long) a[index];
            return unit == DateUnit.EPOCH ? BigDecimal.valueOf(millis, 3) : extract(unit, millis);
        };
    }

    static long extract(DateUnit unit, long millis) {
        LocalDateTime t = DateTimes.toLocal(millis);
        return switch (unit) {
            case YEAR -> t.getYear();
            case QUARTER -> (t.getMonthValue() + 2) / 3;
            case MONTH -> t.getMonthValue();
            case WEEK -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case DAY -> t.getDayOfMonth();
            case DOY -> t.getDayOfYear();
            case DOW -> t.getDayOfWeek().getValue() % 7 + 1;
            case ISODOW -> t.getDayOfWeek().getValue();
            case HOUR -> t.getHour();
            case MINUTE -> t.getMinute();
            case SECOND -> t.getSecond();
            case MILLISECOND -> Math.floorMod(millis, 1000L);
            case EPOCH -> Math.floorDiv(millis, 1000L);
        };
    }

    private static Object extractInterval(DateUnit unit, long millis) {
        return switch (unit) {
            case DAY -> millis / DateTimes.MILLIS_PER_DAY;
            case HOUR -> millis / DateTimes.MILLIS_PER_HOUR % 24;
            case MINUTE -> millis / DateTimes.MILLIS_PER_MINUTE % 60;
            case SECOND -> millis / DateTimes.MILLIS_PER_SECOND % 60;
            case MILLISECOND -> millis % 1000;
            default -> BigDecimal.valueOf(millis, 3);
        };
    }

    /**
     * DATE_TRUNC(unit, ts) as PostgreSQL: the start of the unit containing ts, as TIMESTAMP (a DATE
     * argument is widened to midnight first); WEEK starts on Monday (ISO).
     */
    private static Fn dateTrunc() {
        return Fn.of("DATE_TRUNC", args -> {
            Sig.check("DATE_TRUNC", args, "VARCHAR", "DATETIME");
            DateUnit.parse("DATE_TRUNC", Args.constantString("DATE_TRUNC", args, 0, "unit"), DateUnit.TRUNCATABLE);
            return args.get(1).type() == ScalarType.TIMESTAMP_LTZ ? ScalarType.TIMESTAMP_LTZ : ScalarType.TIMESTAMP;
        }, (args, type) -> {
            DateUnit unit = DateUnit.parse("DATE_TRUNC", Args.constantString("DATE_TRUNC", args, 0, "unit"),
                    DateUnit.TRUNCATABLE);
            boolean date = args.get(1).type() == ScalarType.DATE;
            return a -> truncate(unit, date ? DateTimes.toTimestamp((Integer) a[1]) : (Long) a[1]);
        });
    }

    static long truncate(DateUnit unit, long millis) {
        long fixed = unit.fixedMillis();
        if (fixed > 0 && unit != DateUnit.WEEK) {
            return Math.floorDiv(millis, fixed) * fixed;
        }
        LocalDateTime day = DateTimes.toLocal(millis).truncatedTo(ChronoUnit.DAYS);
        LocalDateTime start = switch (unit) {
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> day.withDayOfMonth(1).withMonth((day.getMonthValue() - 1) / 3 * 3 + 1);
            case YEAR -> day.withDayOfYear(1);
            default -> throw new IllegalStateException("not truncatable: " + unit);
        };
        return DateTimes.toMillis(start);
    }

    /**
     * TIMESTAMPADD(unit, n, ts): calendar-aware for MONTH, QUARTER and YEAR (Jan 31 + 1 month =
     * Feb 29 in a leap year). A DATE stays a DATE for units of a day or more.
     */
    /**
     * TIMESTAMPADD(unit, n, ts) (sign 1) and ksqlDB's TIMESTAMPSUB, DATEADD and DATESUB. DATEADD and
     * DATESUB take a DATE and give a DATE for every unit, as ksqlDB's do: a unit shorter than a day
     * moves the date's midnight and keeps the day it lands in ({@code DATEADD(HOURS, 25, d)} is d + 1).
     */
    private static Fn timestampAdd(String name, int sign) {
        boolean dateOnly = name.startsWith("DATE");
        return Fn.of(name, args -> {
            Sig.check(name, args, "VARCHAR", "INTEGER", dateOnly ? "DATE" : "DATETIME");
            DateUnit.parse(name, Args.constantString(name, args, 0, "unit"), ARITHMETIC_UNITS);
            SqlType t = args.get(2).type();
            if (dateOnly) {
                return ScalarType.DATE;
            }
            DateUnit unit = DateUnit.parse(name, Args.constantString(name, args, 0, "unit"), ARITHMETIC_UNITS);
            if (t == ScalarType.DATE) {
                return unit.fixedMillis() > 0 && unit.fixedMillis() < DateTimes.MILLIS_PER_DAY ? ScalarType.TIMESTAMP : ScalarType.DATE;
            }
            return t == ScalarType.NULL ? (dateOnly ? ScalarType.DATE : ScalarType.TIMESTAMP) : t;
        }, (args, type) -> {
            DateUnit unit = DateUnit.parse(name, Args.constantString(name, args, 0, "unit"), ARITHMETIC_UNITS);
            boolean dateIn = args.get(2).type() == ScalarType.DATE;
            boolean dateOut = dateOnly || type == ScalarType.DATE;
            return a -> {
                long millis = dateIn ? DateTimes.toTimestamp((Integer) a[2]) : (Long) a[2];
                long result = add(unit, Math.multiplyExact(sign, Numbers.toLong(a[1])), millis);
                return dateOut ? (Object) DateTimes.toDate(result) : (Object) result;
            };
        });
    }

    static long add(DateUnit unit, long n, long millis) {
        long fixed = unit.fixedMillis();
        if (fixed > 0) {
            return Math.addExact(millis, Math.multiplyExact(n, fixed));
        }
        LocalDateTime t = DateTimes.toLocal(millis);
        return DateTimes.toMillis(switch (unit) {
            case MONTH -> t.plusMonths(n);
            case QUARTER -> t.plusMonths(Math.multiplyExact(n, 3));
            default -> t.plusYears(n);
        });
    }

    /**
     * PostgreSQL's AGE(t1, t2): t1 - t2 as an INTERVAL. Sluice's INTERVAL is an exact length, so
     * where PostgreSQL says "1 mon 2 days" this is the same span in milliseconds. (PostgreSQL's
     * one-argument AGE(t) counts from midnight today; write AGE(NOW(), t) for the span to now.)
     */
    private static Fn age() {
        return Fn.of("AGE", args -> {
            Sig.check("AGE", args, "DATETIME", "DATETIME");
            return ScalarType.INTERVAL;
        }, (args, type) -> {
            boolean date1 = args.get(0).type() == ScalarType.DATE;
            boolean date2 = args.get(1).type() == ScalarType.DATE;
            return a -> {
                long t1 = date1 ? DateTimes.toTimestamp((Integer) a[0]) : (Long) a[0];
                long t2 = date2 ? DateTimes.toTimestamp((Integer) a[1]) : (Long) a[1];
                return t1 - t2;
            };
        });
    }

    /** TIMESTAMPDIFF(unit, t1, t2) as Flink: whole units from t1 to t2 (negative if t2 is earlier), INTEGER. */
    private static Fn timestampDiff() {
        return Fn.of("TIMESTAMPDIFF", args -> {
            Sig.check("TIMESTAMPDIFF", args, "VARCHAR", "DATETIME", "DATETIME");
            DateUnit.parse("TIMESTAMPDIFF", Args.constantString("TIMESTAMPDIFF", args, 0, "unit"), ARITHMETIC_UNITS);
            return ScalarType.INTEGER;
        }, (args, type) -> {
            DateUnit unit = DateUnit.parse("TIMESTAMPDIFF", Args.constantString("TIMESTAMPDIFF", args, 0, "unit"), ARITHMETIC_UNITS);
            boolean date1 = args.get(1).type() == ScalarType.DATE;
            boolean date2 = args.get(2).type() == ScalarType.DATE;
            return a -> {
                long t1 = date1 ? DateTimes.toTimestamp((Integer) a[1]) : (Long) a[1];
                long t2 = date2 ? DateTimes.toTimestamp((Integer) a[2]) : (Long) a[2];
                return Numbers.toIntExact(diff(unit, t1, t2), "TIMESTAMPDIFF");
            };
        });
    }

    static long diff(DateUnit unit, long t1, long t2) {
        long fixed = unit.fixedMillis();
        if (fixed > 0) {
            return (t2 - t1) / fixed;
        }
        long months = monthsBetween(t1, t2);
        return switch (unit) {
            case MONTH -> months;
            case QUARTER -> months / 3;
            default -> months / 12;
        };
    }


    /**
     * Whole months from t1 to t2 as Flink counts them: month-end clamping counts as a full month
     * (Jan 31 to Feb 29 is one month), then a time of day earlier than t1's takes one back.
     */
    static long monthsBetween(long t1, long t2) {
        if (t2 < t1) {
            return -monthsBetween(t2, t1);
        }
        LocalDateTime a = DateTimes.toLocal(t1);
        LocalDateTime b = DateTimes.toLocal(t2);
        java.time.LocalDate from = a.toLocalDate();
        java.time.LocalDate to = b.toLocalDate();
        long m = (to.getYear() - from.getYear()) * 12L + to.getMonthValue() - from.getMonthValue();
        while (m > 0 && from.plusMonths(m).isAfter(to)) {
            m--;
        }
        while (!from.plusMonths(m + 1).isAfter(to)) {
            m++;
        }
        if (m > 0 && from.plusMonths(m).equals(to) && b.toLocalTime().isBefore(a.toLocalTime())) {
            m--;
        }
        return m;
    }
}
