package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.List;

/**
 * ksqlDB's older date functions over numbers, still built into ksqlDB: {@code STRINGTODATE(text,
 * format)} (days since the epoch, INTEGER), {@code DATETOSTRING(days, format)},
 * {@code STRINGTOTIMESTAMP(text, format [, zone])} (epoch milliseconds, BIGINT) and
 * {@code TIMESTAMPTOSTRING(millis, format [, zone])}. Patterns are Java's, as in ksqlDB; the zone
 * defaults to UTC (ksqlDB takes the server's zone, which its tests set to UTC). They read and write
 * like PARSE_DATE, FORMAT_DATE, PARSE_TIMESTAMP and FORMAT_TIMESTAMP, whose code they share.
 */
final class KsqlLegacyTemporalFunctions {
    private KsqlLegacyTemporalFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                Fn.of("STRINGTODATE", args -> {
                    Sig.check("STRINGTODATE", args, "VARCHAR", "VARCHAR");
                    return ScalarType.INTEGER;
                }, (args, t) -> a -> KsqlTemporalFunctions.parseDate("STRINGTODATE", (String) a[0], (String) a[1])),
                Fn.of("DATETOSTRING", args -> Sig.varchar("DATETOSTRING", args, "INTEGER", "VARCHAR"),
                        (args, t) -> a -> KsqlTemporalFunctions.formatDate("DATETOSTRING", Numbers.toLong(a[0]), (String) a[1])),
                Fn.of("STRINGTOTIMESTAMP", args -> {
                    Sig.check("STRINGTOTIMESTAMP", args, "VARCHAR", "VARCHAR", "[VARCHAR]");
                    return ScalarType.BIGINT;
                }, (args, t) -> a -> KsqlTemporalFunctions.parseTimestamp("STRINGTOTIMESTAMP", (String) a[0],
                        (String) a[1], a.length > 2 ? (String) a[2] : null)),
                Fn.of("TIMESTAMPTOSTRING", args -> Sig.varchar("TIMESTAMPTOSTRING", args, "INTEGER", "VARCHAR", "[VARCHAR]"),
                        (args, t) -> a -> KsqlTemporalFunctions.formatTimestamp("TIMESTAMPTOSTRING", Numbers.toLong(a[0]),
                                (String) a[1], a.length > 2 ? (String) a[2] : null)));
    }
}
