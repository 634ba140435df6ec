package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Character string functions with Flink's semantics (PostgreSQL's where Flink has none).
 * Positions and lengths count Unicode code points, 1-based. TRIM removes spaces only, as in
 * Flink and PostgreSQL. Searching functions live in {@link StringSearchFunctions}.
 */
final class StringFunctions {
    private StringFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                unary("UPPER", s -> s.toUpperCase(Locale.ROOT)).withAliases("UCASE"),
                unary("LOWER", s -> s.toLowerCase(Locale.ROOT)).withAliases("LCASE"),
                unary("REVERSE", s -> new StringBuilder(s).reverse().toString()),
                unary("INITCAP", StringFunctions::initcap),
                trim("TRIM", true, true).withAliases("BTRIM"),
                trim("LTRIM", true, false),
                trim("RTRIM", false, true),
                Fn.of("CHAR_LENGTH", args -> {
                    if (!(args.size() == 1 && args.get(0).type() == ScalarType.BYTES)) {
                        Sig.check("CHAR_LENGTH", args, "VARCHAR");
                    }
                    return ScalarType.INTEGER;
                }, (args, t) -> args.get(0).type() == ScalarType.BYTES ? a -> ((byte[]) a[0]).length // ksqlDB's LEN(BYTES)
                        : a -> Strings.length((String) a[0])).withAliases("LENGTH", "CHARACTER_LENGTH", "LEN"),
                substring(),
                concat(),
                concatIgnoringNulls(),
                concatOperator(),
                concatWs(),
                Fn.of("REPLACE", args -> Sig.varchar("REPLACE", args, "VARCHAR", "VARCHAR", "VARCHAR"),
                        (args, t) -> a -> ((String) a[1]).isEmpty() ? a[0] : ((String) a[0]).replace((String) a[1], (String) a[2])),
                pad("LPAD", true),
                pad("RPAD", false),
                Fn.of("LEFT", args -> Sig.varchar("LEFT", args, "VARCHAR", "INTEGER"), (args, t) -> a -> {
                    String s = (String) a[0];
                    int n = (int) Numbers.toLong(a[1]);
                    return n >= 0 ? Strings.slice(s, 0, n) : Strings.slice(s, 0, Strings.length(s) + n);
                }),
                Fn.of("RIGHT", args -> Sig.varchar("RIGHT", args, "VARCHAR", "INTEGER"), (args, t) -> a -> {
                    String s = (String) a[0];
                    int n = (int) Numbers.toLong(a[1]);
                    int len = Strings.length(s);
                    return n >= 0 ? Strings.slice(s, len - n, len) : Strings.slice(s, -n, len);
                }),
                Fn.of("REPEAT", args -> Sig.varchar("REPEAT", args, "VARCHAR", "INTEGER"),
                        (args, t) -> a -> Strings.repeat((String) a[0], (int) Numbers.toLong(a[1]))),
                Fn.of("ASCII", args -> {
                    Sig.check("ASCII", args, "VARCHAR");
                    return ScalarType.INTEGER;
                }, (args, t) -> a -> ((String) a[0]).isEmpty() ? 0 : ((String) a[0]).codePointAt(0)),
                chr());
    }

    /**
     * CHR(code point), and ksqlDB's CHR(text of UTF-16 escapes): {@code '\\u004b'} is K and
     * {@code '\\ud820\\udeb8'} one supplementary character; text that does not start with an
     * escape, or is shorter than one, is NULL as in ksqlDB.
     */
    private static Fn chr() {
        return Fn.of("CHR", args -> {
            if (!(args.size() == 1 && args.get(0).type() == ScalarType.VARCHAR)) {
                Sig.check("CHR", args, "INTEGER");
            }
            return ScalarType.VARCHAR;
        }, (args, t) -> args.get(0).type() == ScalarType.VARCHAR ? a -> unescapeUtf16((String) a[0]) : a -> new String(Character.toChars((int) Numbers.toLong(a[0]))));
    }

    private static String unescapeUtf16(String code) {
        if (code.length() < 6 || !code.startsWith("\\u")) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < code.length(); ) {
            if (code.startsWith("\\u", i)) {
                if (i + 6 > code.length()) {
                    throw new FunctionException("CHR: an incomplete \\u escape in '" + code + "'");
                }
                try {
                    out.append((char) Integer.parseInt(code.substring(i + 2, i + 6), 16));
                } catch (NumberFormatException e) {
                    throw new FunctionException("CHR: an invalid \\u escape in '" + code + "'");
                }
                i += 6;
            } else {
                out.append(code.charAt(i++));
            }
        }
        return out.toString();
    }

    private static Fn unary(String name, Function<String, String> f) {
        return Fn.of(name, args -> Sig.varchar(name, args, "VARCHAR"), (args, t) -> a -> f.apply((String) a[0]));
    }

    /** TRIM(s[, characters]). */
    private static Fn trim(String name, boolean leading, boolean trailing) {
        return Fn.of(name, args -> Sig.varchar(name, args, "VARCHAR", "[VARCHAR]"), (args, t) -> args.size() == 1
                ? a -> Strings.trim((String) a[0], " ", leading, trailing)
                : a -> Strings.trim((String) a[0], (String) a[1], leading, trailing));
    }

    /**
     * SUBSTRING(s, start[, length]) as Flink: 1-based; start 0 counts as 1; a negative start
     * counts from the end (-3 = third character from the end); a negative length gives NULL.
     * (PostgreSQL differs for start &lt;= 0: it shortens the window instead.)
     */
    private static Fn substring() {
        return Fn.of("SUBSTRING", args -> {
            if (!args.isEmpty() && args.get(0).type() == ScalarType.BYTES) {
                Sig.check("SUBSTRING", args, "BYTES", "INTEGER", "[INTEGER]");
                return ScalarType.BYTES;
            }
            return Sig.varchar("SUBSTRING", args, "VARCHAR", "INTEGER", "[INTEGER]");
        }, (args, t) -> t == ScalarType.BYTES ? a -> bytesSubstring((byte[]) a[0], Numbers.toLong(a[1]),
                a.length > 2 ? Numbers.toLong(a[2]) : Integer.MAX_VALUE) : a -> {
            String s = (String) a[0];
            long pos = Numbers.toLong(a[1]);
            long length = a.length > 2 ? Numbers.toLong(a[2]) : Integer.MAX_VALUE;
            if (length < 0) {
                return null;
            }
            int n = Strings.length(s);
            long start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
            if (start >= n || start < 0) {
                return "";
            }
            return Strings.slice(s, (int) start, (int) Math.min(n, start + length));
        }).withAliases("SUBSTR");
    }

    /** ksqlDB's SUBSTRING of BYTES: the positions of {@link #substring()} counted in bytes. */
    private static byte[] bytesSubstring(byte[] b, long pos, long length) {
        if (length < 0) {
            return null;
        }
        int n = b.length;
        long start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
        if (start >= n || start < 0) {
            return new byte[0];
        }
        return java.util.Arrays.copyOfRange(b, (int) start, (int) Math.min(n, start + length));
    }

    /** CONCAT(a, ...): NULL when any argument is NULL, as in Flink; non-strings use CAST's text. */
    private static Fn concat() {
        return concatenation("CONCAT"); // not seeing NULLs: a NULL argument makes the call NULL before it runs
    }

    /**
     * CONCAT_IGNORE_NULLS(a, ...): ksqlDB's CONCAT, which skips NULL arguments (NULL only when there
     * is nothing else); the ksqlDB dialect's CONCAT means it.
     */
    private static Fn concatIgnoringNulls() {
        return concatenation("CONCAT_IGNORE_NULLS").seeingNulls();
    }

    /** The arguments' texts (CAST's text for non-strings) one after another, NULL arguments skipped. */
    private static Fn concatenation(String name) {
        return Fn.of(name, args -> {
            Args.count(name, "one or more arguments", args, 1, Integer.MAX_VALUE);
            return ByteConcatenation.applies(args, 0) ? ScalarType.BYTES : ScalarType.VARCHAR;
        }, (args, t) -> {
            if (ByteConcatenation.applies(args, 0)) {
                return a -> ByteConcatenation.join(a, 0, new byte[0]);
            }
            List<SqlType> types = args.stream().map(Expr::type).toList();
            return a -> {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != null) {
                        b.append(Casts.toText(a[i], types.get(i)));
                    }
                }
                return b.toString();
            };
        });
    }

    private static Fn concatOperator() {
        return Fn.of("||", args -> {
            Args.count("||", "two operands", args, 2, 2);
            return ScalarType.VARCHAR;
        }, (args, t) -> {
            SqlType left = args.get(0).type();
            SqlType right = args.get(1).type();
            return a -> Casts.toText(a[0], left) + Casts.toText(a[1], right);
        });
    }

    /**
     * CONCAT_WS(separator, a, ...): skips NULL arguments; NULL separator gives NULL. All BYTES: joins
     * the bytes (see {@link ByteConcatenation}).
     */
    private static Fn concatWs() {
        return Fn.of("CONCAT_WS", args -> {
            Args.count("CONCAT_WS", "(VARCHAR separator, value, ...)", args, 2, Integer.MAX_VALUE);
            if (ByteConcatenation.applies(args, 0)) {
                return ScalarType.BYTES;
            }
            if (!Args.isString(args.get(0).type())) {
                throw Args.mismatch("CONCAT_WS", "(VARCHAR separator, value, ...)", args);
            }
            return ScalarType.VARCHAR;
        }, (args, t) -> {
            if (ByteConcatenation.applies(args, 0)) {
                return a -> a[0] == null ? null : ByteConcatenation.join(a, 1, (byte[]) a[0]);
            }
            List<SqlType> types = new ArrayList<>(args.stream().map(Expr::type).toList());
            return a -> {
                if (a[0] == null) {
                    return null;
                }
                StringJoiner j = new StringJoiner((String) a[0]);
                for (int i = 1; i < a.length; i++) {
                    if (a[i] != null) {
                        j.add(Casts.toText(a[i], types.get(i)));
                    }
                }
                return j.toString();
            };
        }).seeingNulls();
    }

    /**
     * LPAD/RPAD(s, length[, fill]) as PostgreSQL: fill defaults to a space, a longer s is
     * truncated to length, an empty fill leaves s as is, a negative length gives ''.
     */
    private static Fn pad(String name, boolean left) {
        return Fn.of(name, args -> Sig.varchar(name, args, "VARCHAR", "INTEGER", "[VARCHAR]"), (args, t) -> a -> {
            String s = (String) a[0];
            int target = (int) Math.max(0, Numbers.toLong(a[1]));
            String fill = a.length > 2 ? (String) a[2] : " ";
            int len = Strings.length(s);
            if (len >= target) {
                return Strings.slice(s, 0, target);
            }
            if (fill.isEmpty()) {
                return s;
            }
            int missing = target - len;
            String padding = Strings.slice(Strings.repeat(fill, missing / Strings.length(fill) + 1), 0, missing);
            return left ? padding + s : s + padding;
        });
    }

    /** First letter of each alphanumeric run upper case, the rest lower case (PostgreSQL). */
    static String initcap(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean alnum = Character.isLetterOrDigit(cp);
            b.appendCodePoint(alnum && !inWord ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
            inWord = alnum;
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
