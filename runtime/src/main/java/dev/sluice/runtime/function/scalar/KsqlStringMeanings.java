package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * String functions that ksqlDB defines differently from Flink under the same name, used in ksqlDB's
 * dialect (see {@link KsqlScalarMeanings}): {@code INITCAP} starts a word after white space only
 * ({@code some_string} is {@code Some_string}, where Flink's gives {@code Some_String}), and
 * {@code REGEXP_EXTRACT(pattern, input [, group])} takes the pattern first (Flink's takes the input
 * first) and is NULL when the group does not exist.
 */
final class KsqlStringMeanings {
    private static final Pattern WORD = Pattern.compile("\\S+\\s*");

    private KsqlStringMeanings() {
    }

    static List<ScalarFunction> all() {
        return List.of(initcap(), regexpExtract());
    }

    private static Fn initcap() {
        return Fn.of("INITCAP", args -> Sig.varchar("INITCAP", args, "VARCHAR"), (args, t) -> a -> initcap((String) a[0]));
    }

    /** Each run of non-space characters with its first character upper case and the rest lower case. */
    static String initcap(String s) {
        Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String word = m.group();
            int first = word.codePointAt(0);
            out.appendCodePoint(Character.toUpperCase(first)).append(word, Character.charCount(first), word.length());
        }
        return out.toString();
    }

    private static Fn regexpExtract() {
        return Fn.of("REGEXP_EXTRACT", args -> Sig.varchar("REGEXP_EXTRACT", args, "VARCHAR", "VARCHAR", "[INTEGER]"),
                (args, t) -> {
                    Pattern constant = PatternOperators.constantRegex("REGEXP_EXTRACT", args, 0);
                    return a -> {
                        Matcher m = (constant != null ? constant : compile((String) a[0])).matcher((String) a[1]);
                        long group = a.length > 2 ? Numbers.toLong(a[2]) : 0;
                        if (group > m.groupCount()) {
                            return null;
                        }
                        if (group < 0) {
                            throw new FunctionException("REGEXP_EXTRACT: no group " + group);
                        }
                        return m.find() ? m.group((int) group) : null;
                    };
                });
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new FunctionException("invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }
}
