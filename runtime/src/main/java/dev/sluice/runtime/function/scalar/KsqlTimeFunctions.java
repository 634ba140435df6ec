package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ksqlDB's functions over TIME (milliseconds of the day): TIMEADD, TIMESUB, FORMAT_TIME and
 * PARSE_TIME, with its argument forms and NULL handling (NULL in, NULL out). TIMEADD and TIMESUB
 * wrap around midnight as {@link LocalTime#plus} does: 23:59:59.995 plus 10 ms is 00:00:00.005.
 */
final class KsqlTimeFunctions {
    /** The analyzer's CAST(TIME AS VARCHAR) in ksqlDB's dialect, which writes a TIME its own way. */
    static final String KSQL_TIME_TEXT = "SLUICE_KSQL_TIME_TEXT";

    /** java.util.concurrent.TimeUnit's units, which ksqlDB's TIMEADD takes. */
    private static final Set<DateUnit> UNITS = EnumSet.range(DateUnit.MILLISECOND, DateUnit.DAY);

    private KsqlTimeFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(timeAdd("TIMEADD", 1), timeAdd("TIMESUB", -1), formatTime(), parseTime(), ksqlText());
    }

    /** TIMEADD(unit, n, time) and TIMESUB(unit, n, time): the time of day moved by n units, modulo one day. */
    private static Fn timeAdd(String name, int sign) {
        return Fn.of(name, args -> {
            if (args.size() != 3 || !Sig.fits("VARCHAR", args.get(0).type()) || !Sig.fits("INTEGER", args.get(1).type())
                    || !Sig.fits("TIME", args.get(2).type())) {
                // Sluice's words, then ksqlDB's for a call that matches no signature
                throw new FunctionException(name + " expects (unit, INTEGER, TIME): Function '"
                        + name.toLowerCase(Locale.ROOT) + "' does not accept parameters " + ksqlTypes(args) + ".");
            }
            DateUnit.parse(name, Args.constantString(name, args, 0, "unit"), UNITS);
            return ScalarType.TIME;
        }, (args, type) -> {
            long unit = DateUnit.parse(name, Args.constantString(name, args, 0, "unit"), UNITS).fixedMillis();
            return a -> (int) Math.floorMod(((Number) a[2]).longValue()
                    + Math.multiplyExact(sign * unit, Numbers.toLong(a[1])), DateTimes.MILLIS_PER_DAY);
        });
    }

    /** FORMAT_TIME(time, pattern): the time written with a {@link DateTimeFormatter} pattern. */
    private static Fn formatTime() {
        return Fn.of("FORMAT_TIME", args -> Sig.varchar("FORMAT_TIME", args, "TIME", "VARCHAR"),
                (args, t) -> a -> {
                    try {
                        return DateTimeFormatter.ofPattern((String) a[1], Locale.ROOT).format(localTime(a[0]));
                    } catch (IllegalArgumentException | java.time.DateTimeException e) {
                        throw new FunctionException("Failed to format time " + localTime(a[0]) + " with formatter '"
                                + a[1] + "': " + e.getMessage());
                    }
                });
    }

    /**
     * PARSE_TIME(text, pattern): case-insensitive, as ksqlDB's; a pattern with a date field is refused
     * (a TIME has no date).
     */
    private static Fn parseTime() {
        return Fn.of("PARSE_TIME", args -> {
            Sig.check("PARSE_TIME", args, "VARCHAR", "VARCHAR");
            return ScalarType.TIME;
        }, (args, t) -> a -> {
            try {
                DateTimeFormatter f = new DateTimeFormatterBuilder().parseCaseInsensitive()
                        .appendPattern((String) a[1]).toFormatter(Locale.ROOT);
                TemporalAccessor parsed = f.parse((String) a[0]);
                for (ChronoField field : ChronoField.values()) {
                    if (field.isDateBased() && parsed.isSupported(field)) {
                        throw new FunctionException("Failed to parse time '" + a[0] + "' with formatter '" + a[1]
                                + "': Time format contains date field.");
                    }
                }
                return (int) (LocalTime.from(parsed).toNanoOfDay() / 1_000_000L);
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new FunctionException("Failed to parse time '" + a[0] + "' with formatter '" + a[1] + "': "
                        + e.getMessage());
            }
        });
    }

    private static Fn ksqlText() {
        return Fn.of(KSQL_TIME_TEXT, args -> Sig.varchar(KSQL_TIME_TEXT, args, "TIME"),
                (args, t) -> a -> DateTimes.formatKsqlTime(((Number) a[0]).intValue()));
    }

    private static LocalTime localTime(Object millisOfDay) {
        return LocalTime.ofNanoOfDay(((Number) millisOfDay).longValue() * 1_000_000L);
    }

    /** Argument types as ksqlDB spells them in its messages (STRING for VARCHAR, no precision). */
    static String ksqlTypes(List<Expr> args) {
        return args.stream().map(a -> ksqlType(a.type())).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String ksqlType(SqlType t) {
        if (t == ScalarType.VARCHAR) {
            return "STRING";
        }
        return t == ScalarType.NULL ? "null" : SqlType.baseName(t);
    }
}
