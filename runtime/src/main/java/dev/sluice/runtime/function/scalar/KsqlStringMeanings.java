package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

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
        return List.of(initcap(), regexpExtract(), pad("LPAD", true), pad("RPAD", false), trim());
    }

    /**
     * ksqlDB's TRIM(s) is Java's {@code String.trim}: it removes every character up to a space (tabs,
     * line breaks, control characters) at both ends, where Flink's removes spaces only. With a second
     * argument it trims those characters, as the built-in one does.
     */
    private static Fn trim() {
        return Fn.of("TRIM", args -> Sig.varchar("TRIM", args, "VARCHAR", "[VARCHAR]"), (args, t) -> args.size() == 1
                ? a -> ((String) a[0]).trim()
                : a -> Strings.trim((String) a[0], (String) a[1], true, true));
    }

    /**
     * ksqlDB's LPAD and RPAD ({@code LPad}, {@code RPad}): of VARCHAR or of BYTES, NULL for a negative
     * length or an empty padding (Sluice's Flink form keeps the input for an empty padding).
     */
    private static Fn pad(String name, boolean left) {
        return Fn.of(name, args -> {
            if (!args.isEmpty() && args.get(0).type() == ScalarType.BYTES) {
                Sig.check(name, args, "BYTES", "INTEGER", "BYTES");
                return ScalarType.BYTES;
            }
            return Sig.varchar(name, args, "VARCHAR", "INTEGER", "[VARCHAR]");
        }, (args, t) -> t == ScalarType.BYTES ? a -> padBytes((byte[]) a[0], Numbers.toLong(a[1]), (byte[]) a[2], left)
                : a -> padText((String) a[0], Numbers.toLong(a[1]), a.length > 2 ? (String) a[2] : " ", left));
    }

    static String padText(String s, long target, String fill, boolean left) {
        if (target < 0 || fill.isEmpty()) {
            return null;
        }
        int len = Strings.length(s);
        if (len >= target) {
            return Strings.slice(s, 0, (int) target);
        }
        int missing = (int) target - len;
        String padding = Strings.slice(Strings.repeat(fill, missing / Strings.length(fill) + 1), 0, missing);
        return left ? padding + s : s + padding;
    }

    static byte[] padBytes(byte[] b, long target, byte[] fill, boolean left) {
        if (target < 0 || fill.length == 0) {
            return null;
        }
        if (b.length >= target) {
            return java.util.Arrays.copyOf(b, (int) target);
        }
        byte[] out = new byte[(int) target];
        int missing = (int) target - b.length;
        int padAt = left ? 0 : b.length;
        for (int i = 0; i < missing; i++) {
            out[padAt + i] = fill[i % fill.length];
        }
        System.arraycopy(b, 0, out, left ? missing : 0, b.length);
        return out;
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
