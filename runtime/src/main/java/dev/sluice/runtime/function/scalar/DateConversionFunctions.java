package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.runtime.function.ScalarFunction.Implementation;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Conversions between text, epoch numbers and temporals: DATE, TO_TIMESTAMP, TO_TIMESTAMP_LTZ,
 * TO_DATE, UNIX_TIMESTAMP, FROM_UNIXTIME, DATE_FORMAT (alias TO_CHAR). Formats may be written in
 * PostgreSQL's or Java's style (see {@link DateFormats}); a constant format is compiled once.
 *
 * <p>As in Flink, TO_TIMESTAMP, TO_DATE and UNIX_TIMESTAMP return NULL for text that does not
 * parse (PostgreSQL raises an error); use CAST to fail the record instead.
 */
final class DateConversionFunctions {
    private DateConversionFunctions() {
    }

    static List<ScalarFunction> all(LongSupplier clock) {
        return List.of(date(), toTimestamp(), toTimestampLtz(), toDate(), unixTimestamp(clock), fromUnixtime(),
                dateFormat());
    }

    /** DATE(ts | date | varchar): the UTC day. */
    private static Fn date() {
        return Fn.of("DATE", args -> {
            Sig.check("DATE", args, "ANY");
            SqlType t = args.get(0).type();
            if (!t.isTemporal() && !Args.isString(t)) {
                throw Args.mismatch("DATE", "(TIMESTAMP | DATE | VARCHAR)", args);
            }
            return ScalarType.DATE;
        }, (args, type) -> {
            SqlType t = args.get(0).type();
            if (t == ScalarType.DATE) {
                return a -> a[0];
            }
            if (t == ScalarType.VARCHAR) {
                return a -> DateTimes.parseDate((String) a[0]);
            }
            return a -> DateTimes.toDate((Long) a[0]);
        });
    }

    /**
     * TO_TIMESTAMP(text[, format]) parses text (without format: 'yyyy-MM-dd[ HH:mm:ss[.SSS]]' or
     * ISO-8601); TO_TIMESTAMP(number) reads epoch seconds, fractions included (PostgreSQL).
     */
    private static Fn toTimestamp() {
        String expected = "(VARCHAR[, VARCHAR format]) or (numeric epoch seconds)";
        return Fn.of("TO_TIMESTAMP", args -> {
            Args.count("TO_TIMESTAMP", expected, args, 1, 2);
            SqlType t = args.get(0).type();
            boolean text = Args.isString(t) && (args.size() == 1 || Args.isString(args.get(1).type()));
            if (!text && !(t.isNumeric() && args.size() == 1)) {
                throw Args.mismatch("TO_TIMESTAMP", expected, args);
            }
            return ScalarType.TIMESTAMP;
        }, (args, type) -> {
            SqlType t = args.get(0).type();
            if (t.isNumeric()) {
                return a -> Numbers.toDecimal(a[0]).movePointRight(3)
                        .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
            }
            return parsing("TO_TIMESTAMP", args, millis -> millis);
        });
    }

    /** TO_TIMESTAMP_LTZ(epoch, precision) as Flink: precision 0 = seconds, 3 = milliseconds. */
    private static Fn toTimestampLtz() {
        return Fn.of("TO_TIMESTAMP_LTZ", args -> {
            Sig.check("TO_TIMESTAMP_LTZ", args, "NUMERIC", "[INTEGER]");
            if (args.size() == 2) {
                int precision = Args.constantInt("TO_TIMESTAMP_LTZ", args, 1, "precision");
                if (precision != 0 && precision != 3) {
                    throw new dev.sluice.runtime.function.FunctionException(
                            "TO_TIMESTAMP_LTZ precision must be 0 (seconds) or 3 (milliseconds), got " + precision);
                }
            }
            return ScalarType.TIMESTAMP_LTZ;
        }, (args, type) -> {
            int precision = args.size() == 2 ? Args.constantInt("TO_TIMESTAMP_LTZ", args, 1, "precision") : 3;
            int shift = 3 - precision;
            return a -> Numbers.toDecimal(a[0]).movePointRight(shift)
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        });
    }

    private static Fn toDate() {
        return Fn.of("TO_DATE", args -> {
            Sig.check("TO_DATE", args, "VARCHAR", "[VARCHAR]");
            return ScalarType.DATE;
        }, (args, type) -> parsing("TO_DATE", args, millis -> DateTimes.toDate(millis)));
    }

    /** UNIX_TIMESTAMP(): now in epoch seconds; UNIX_TIMESTAMP(text[, format]): that time's. */
    private static Fn unixTimestamp(LongSupplier clock) {
        return Fn.of("UNIX_TIMESTAMP", args -> {
            Sig.check("UNIX_TIMESTAMP", args, "[VARCHAR]", "[VARCHAR]");
            return ScalarType.BIGINT;
        }, (args, type) -> args.isEmpty()
                ? a -> Math.floorDiv(clock.getAsLong(), 1000L)
                : parsing("UNIX_TIMESTAMP", args, millis -> Math.floorDiv(millis, 1000L))).nonDeterministic();
    }

    /** FROM_UNIXTIME(seconds[, format]) as Flink: text, default 'yyyy-MM-dd HH:mm:ss'. */
    private static Fn fromUnixtime() {
        return Fn.of("FROM_UNIXTIME", args -> Sig.varchar("FROM_UNIXTIME", args, "INTEGER", "[VARCHAR]"), (args, type) -> {
            DateTimeFormatter constant = args.size() == 1 ? DateFormats.compile("FROM_UNIXTIME", "yyyy-MM-dd HH:mm:ss")
                    : constantFormat("FROM_UNIXTIME", args.get(1));
            return a -> DateFormats.format(constant != null ? constant : DateFormats.compile("FROM_UNIXTIME", (String) a[1]),
                    Math.multiplyExact(Numbers.toLong(a[0]), 1000L));
        });
    }

    /** DATE_FORMAT(ts, format) as Flink (TO_CHAR as PostgreSQL): a timestamp or date as text. */
    private static Fn dateFormat() {
        return Fn.of("DATE_FORMAT", args -> Sig.varchar("DATE_FORMAT", args, "DATETIME", "VARCHAR"), (args, type) -> {
            DateTimeFormatter constant = constantFormat("DATE_FORMAT", args.get(1));
            boolean date = args.get(0).type() == ScalarType.DATE;
            if (constant != null) {
                // a constant format: consecutive rows often carry the same instant (Nexmark's bids share
                // their millisecond ten at a time), so the last text is reused for the same millis
                return new LastFormatted(constant, date);
            }
            return a -> {
                long millis = date ? DateTimes.toTimestamp((Integer) a[0]) : (Long) a[0];
                return DateFormats.format(DateFormats.compile("DATE_FORMAT", (String) a[1]), millis);
            };
        }).withAliases("TO_CHAR");
    }

    private static DateTimeFormatter constantFormat(String function, Expr format) {
        return Args.isConstant(format) && Args.constantValue(format) instanceof String s
                ? DateFormats.compile(function, s) : null;
    }

    /** Parses argument 0 with the optional format argument 1; NULL when the text does not parse. */
    private static Implementation parsing(String function, List<Expr> args, ToLongFunction<Long> finish) {
        if (args.size() == 1) {
            return a -> {
                try {
                    return finishBoxed(finish, DateTimes.parseTimestamp((String) a[0]), function);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            };
        }
        DateTimeFormatter constant = constantFormat(function, args.get(1));
        return a -> {
            DateTimeFormatter f = constant != null ? constant : DateFormats.compile(function, (String) a[1]);
            try {
                return finishBoxed(finish, DateFormats.parse(f, (String) a[0]), function);
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                return null;
            }
        };
    }

    private static Object finishBoxed(ToLongFunction<Long> finish, long millis, String function) {
        long v = finish.applyAsLong(millis);
        return function.equals("TO_DATE") ? (Object) (int) v : (Object) v;
    }

    /**
     * DATE_FORMAT with a constant format, remembering the last instant it formatted and its text
     * (UTC, no session zone: the text depends on the millis alone). The pair is one immutable
     * object, so stream threads sharing the compiled expression see a matching pair or none.
     */
    private static final class LastFormatted implements dev.sluice.runtime.function.ScalarFunction.Implementation {
        private record Formatted(long millis, String text) {
        }

        private final DateTimeFormatter format;
        private final boolean date;
        private Formatted last;

        LastFormatted(DateTimeFormatter format, boolean date) {
            this.format = format;
            this.date = date;
        }

        @Override
        public Object apply(Object[] a) {
            long millis = date ? DateTimes.toTimestamp((Integer) a[0]) : (Long) a[0];
            Formatted seen = last;
            if (seen != null && seen.millis() == millis) {
                return seen.text();
            }
            String text = DateFormats.format(format, millis);
            last = new Formatted(millis, text);
            return text;
        }
    }
}
