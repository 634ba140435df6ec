package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Functions from ksqlDB's reference with ksqlDB's names, argument forms and NULL handling:
 * {@code INSTR(s, sub [, position [, occurrence]])}, {@code SPLIT(s, delimiter)},
 * {@code ARRAY_LENGTH(a)}, {@code ARRAY_JOIN(a [, delimiter])}, {@code ARRAY_CONTAINS(a, x)}.
 */
final class KsqlFunctions {
    private KsqlFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(instr(), split(), arrayLength(), arrayJoin(), arrayContains());
    }

    /**
     * The 1-based position of the {@code occurrence}-th {@code sub} in {@code s}, searching from
     * {@code position} (negative: that far from the end, searching backwards); 0 when absent, when
     * {@code position} lies outside the string, and when {@code s} or {@code sub} is NULL (ksqlDB
     * returns 0, not NULL).
     */
    private static Fn instr() {
        return Fn.of("INSTR", args -> {
            Sig.check("INSTR", args, "VARCHAR", "VARCHAR", "[INTEGER]", "[INTEGER]");
            return ScalarType.INTEGER;
        }, (args, t) -> a -> instr((String) a[0], (String) a[1],
                a.length > 2 && a[2] != null ? Numbers.toLong(a[2]) : 1,
                a.length > 3 && a[3] != null ? Numbers.toLong(a[3]) : 1)).seeingNulls();
    }

    static int instr(String s, String sub, long position, long occurrence) {
        if (s == null || sub == null || Math.abs(position) > s.length() || occurrence < 1) {
            return 0;
        }
        boolean backward = position < 0;
        String hay = backward ? new StringBuilder(s).reverse().toString() : s;
        String needle = backward ? new StringBuilder(sub).reverse().toString() : sub;
        int from = (int) Math.max(Math.abs(position), 1) - 1;
        int found = -1;
        for (long k = 0; k < occurrence; k++) {
            found = hay.indexOf(needle, k == 0 ? from : found + 1);
            if (found < 0) {
                return 0;
            }
        }
        return backward ? s.length() - found - sub.length() + 1 : found + 1;
    }

    /**
     * ARRAY of the parts between delimiters (empty parts kept); an empty delimiter splits into
     * characters, and empty text is one empty part. {@code SPLIT(BYTES, BYTES)} does the same over
     * bytes, as ksqlDB's {@code Split}.
     */
    private static Fn split() {
        return Fn.of("SPLIT", args -> {
            if (args.size() == 2 && args.stream().allMatch(e -> e.type() == ScalarType.BYTES || e.type() == ScalarType.NULL)
                    && args.stream().anyMatch(e -> e.type() == ScalarType.BYTES)) {
                return new ArrayType(ScalarType.BYTES);
            }
            Sig.check("SPLIT", args, "VARCHAR", "VARCHAR");
            return new ArrayType(ScalarType.VARCHAR);
        }, (args, t) -> ((ArrayType) t).element() == ScalarType.BYTES
                ? a -> splitBytes((byte[]) a[0], (byte[]) a[1])
                : a -> {
            String s = (String) a[0];
            String delimiter = (String) a[1];
            if (delimiter.isEmpty() && !s.isEmpty()) {
                List<Object> chars = new ArrayList<>();
                s.codePoints().forEach(c -> chars.add(new String(Character.toChars(c))));
                return Collections.unmodifiableList(chars);
            }
            return List.of((Object[]) s.split(Pattern.quote(delimiter), -1));
        });
    }

    private static List<Object> splitBytes(byte[] bytes, byte[] delimiter) {
        List<Object> parts = new ArrayList<>();
        if (bytes.length > 0 && delimiter.length == 0) {
            for (byte b : bytes) {
                parts.add(new byte[]{b});
            }
            return Collections.unmodifiableList(parts);
        }
        int from = 0;
        for (int i = 0; delimiter.length > 0 && i + delimiter.length <= bytes.length; ) {
            if (java.util.Arrays.equals(bytes, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                parts.add(java.util.Arrays.copyOfRange(bytes, from, i));
                i += delimiter.length;
                from = i;
            } else {
                i++;
            }
        }
        parts.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return Collections.unmodifiableList(parts);
    }

    private static Fn arrayLength() {
        return Fn.of("ARRAY_LENGTH", args -> {
            array("ARRAY_LENGTH", "(ARRAY)", args, 1, 1);
            return ScalarType.INTEGER;
        }, (args, t) -> a -> ((List<?>) a[0]).size());
    }

    /** Elements joined by the delimiter (default ','); a NULL element is written {@code null}, as ksqlDB does. */
    private static Fn arrayJoin() {
        return Fn.of("ARRAY_JOIN", args -> {
            array("ARRAY_JOIN", "(ARRAY [, VARCHAR])", args, 1, 2);
            if (args.size() == 2 && !Sig.fits("VARCHAR", args.get(1).type())) {
                throw Args.mismatch("ARRAY_JOIN", "(ARRAY [, VARCHAR])", args);
            }
            return ScalarType.VARCHAR;
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return null;
            }
            String delimiter = a.length > 1 ? (a[1] == null ? "" : (String) a[1]) : ",";
            List<?> elements = (List<?>) a[0];
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < elements.size(); i++) {
                out.append(i == 0 ? "" : delimiter).append(elements.get(i));
            }
            return out.toString();
        }).seeingNulls();
    }

    /** TRUE when the array holds the value (NULL elements match a NULL value); FALSE for a NULL array. */
    private static Fn arrayContains() {
        return Fn.of("ARRAY_CONTAINS", args -> {
            array("ARRAY_CONTAINS", "(ARRAY, value)", args, 2, 2);
            return ScalarType.BOOLEAN;
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return false;
            }
            for (Object e : (List<?>) a[0]) {
                if (Objects.equals(e, a[1]) || (e instanceof Number x && a[1] instanceof Number y
                        && Numbers.toDecimal(x).compareTo(Numbers.toDecimal(y)) == 0)) {
                    return true;
                }
            }
            return false;
        }).seeingNulls();
    }

    private static void array(String function, String expected, List<Expr> args, int min, int max) {
        Args.count(function, expected, args, min, max);
        SqlType t = args.get(0).type();
        if (!(t instanceof ArrayType || t == ScalarType.NULL)) {
            throw Args.mismatch(function, expected, args);
        }
    }
}
