package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Searching and splitting strings: positions (1-based, 0 when absent), prefixes, SPLIT_PART,
 * and the Java-regex functions of Flink. Constant regular expressions are compiled once.
 */
final class StringSearchFunctions {
    private StringSearchFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                Fn.of("POSITION", args -> {
                    Sig.check("POSITION", args, "VARCHAR", "VARCHAR");
                    return ScalarType.INTEGER;
                }, (args, t) -> a -> Strings.position((String) a[1], (String) a[0], 0)),
                Fn.of("STRPOS", args -> {
                    Sig.check("STRPOS", args, "VARCHAR", "VARCHAR");
                    return ScalarType.INTEGER;
                }, (args, t) -> a -> Strings.position((String) a[0], (String) a[1], 0)),
                Fn.of("LOCATE", args -> {
                    Sig.check("LOCATE", args, "VARCHAR", "VARCHAR", "[INTEGER]");
                    return ScalarType.INTEGER;
                }, (args, t) -> a -> Strings.position((String) a[1], (String) a[0],
                        a.length > 2 ? (int) Numbers.toLong(a[2]) - 1 : 0)),
                Fn.of("STARTS_WITH", args -> {
                    Sig.check("STARTS_WITH", args, "VARCHAR", "VARCHAR");
                    return ScalarType.BOOLEAN;
                }, (args, t) -> a -> ((String) a[0]).startsWith((String) a[1])).withAliases("STARTSWITH"),
                Fn.of("ENDS_WITH", args -> {
                    Sig.check("ENDS_WITH", args, "VARCHAR", "VARCHAR");
                    return ScalarType.BOOLEAN;
                }, (args, t) -> a -> ((String) a[0]).endsWith((String) a[1])).withAliases("ENDSWITH"),
                splitPart(),
                splitIndex(),
                regexpReplace(),
                regexpExtract());
    }

    /**
     * SPLIT_PART(s, delimiter, n) as PostgreSQL: the n-th field (1-based; negative counts from
     * the end), '' when out of range; n = 0 is an error.
     */
    private static Fn splitPart() {
        return Fn.of("SPLIT_PART", args -> Sig.varchar("SPLIT_PART", args, "VARCHAR", "VARCHAR", "INTEGER"),
                (args, t) -> a -> {
                    String s = (String) a[0];
                    String delimiter = (String) a[1];
                    long n = Numbers.toLong(a[2]);
                    if (n == 0) {
                        throw new IllegalArgumentException("SPLIT_PART field position must not be zero");
                    }
                    String[] parts = delimiter.isEmpty() ? new String[] {s} : s.split(Pattern.quote(delimiter), -1);
                    long index = n > 0 ? n - 1 : parts.length + n;
                    return index < 0 || index >= parts.length ? "" : parts[(int) index];
                });
    }

    /** SPLIT_INDEX(s, delimiter, index) as Flink: 0-based, NULL when out of range. */
    private static Fn splitIndex() {
        return Fn.of("SPLIT_INDEX", args -> Sig.varchar("SPLIT_INDEX", args, "VARCHAR", "VARCHAR", "INTEGER"),
                (args, t) -> a -> {
                    String s = (String) a[0];
                    String delimiter = (String) a[1];
                    long index = Numbers.toLong(a[2]);
                    if (delimiter.isEmpty()) {
                        return index == 0 ? s : null;
                    }
                    String[] parts = s.split(Pattern.quote(delimiter), -1);
                    return index < 0 || index >= parts.length ? null : parts[(int) index];
                });
    }

    /** REGEXP_REPLACE(s, regex, replacement) as Flink: replaces every match; $1 refers to groups. */
    private static Fn regexpReplace() {
        return Fn.of("REGEXP_REPLACE", args -> Sig.varchar("REGEXP_REPLACE", args, "VARCHAR", "VARCHAR", "VARCHAR"),
                (args, t) -> {
                    Pattern constant = PatternOperators.constantRegex("REGEXP_REPLACE", args, 1);
                    return a -> regex(constant, a[1]).matcher((String) a[0]).replaceAll((String) a[2]);
                });
    }

    /**
     * REGEXP_EXTRACT(s, regex[, group]) as Flink: the group (default 0, the whole match) of the
     * first match; NULL when nothing matches or the group does not exist.
     */
    private static Fn regexpExtract() {
        return Fn.of("REGEXP_EXTRACT", args -> Sig.varchar("REGEXP_EXTRACT", args, "VARCHAR", "VARCHAR", "[INTEGER]"),
                (args, t) -> {
                    Pattern constant = PatternOperators.constantRegex("REGEXP_EXTRACT", args, 1);
                    if (constant != null && args.size() > 2 && Args.isConstant(args.get(2))
                            && Args.constantValue(args.get(2)) != null) {
                        long group = Numbers.toLong(Args.constantValue(args.get(2)));
                        if (group < 0 || group > constant.matcher("").groupCount()) {
                            throw new FunctionException("REGEXP_EXTRACT group " + group + " does not exist in '"
                                    + constant.pattern() + "'");
                        }
                    }
                    return a -> {
                        Matcher m = regex(constant, a[1]).matcher((String) a[0]);
                        long group = a.length > 2 ? Numbers.toLong(a[2]) : 0;
                        if (!m.find() || group < 0 || group > m.groupCount()) {
                            return null;
                        }
                        return m.group((int) group);
                    };
                });
    }

    private static Pattern regex(Pattern constant, Object text) {
        return constant != null ? constant : Pattern.compile((String) text);
    }
}
