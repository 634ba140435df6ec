package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code LIKE}, {@code ILIKE} (args: value, pattern[, escape]) and {@code REGEXP} (Flink: TRUE
 * when the Java regex matches anywhere in the value). A constant pattern is compiled once when
 * the call is bound; {@code abc%}, {@code %abc}, {@code %abc%} and wildcard-free patterns skip
 * regular expressions entirely. As in PostgreSQL, the default escape character is backslash.
 */
final class PatternOperators {
    private static final String LIKE_EXPECTED = "(VARCHAR, VARCHAR pattern[, VARCHAR escape])";

    private PatternOperators() {
    }

    static List<ScalarFunction> all() {
        return List.of(like("LIKE", false), like("ILIKE", true), regexp());
    }

    private static Fn like(String name, boolean ignoreCase) {
        return Fn.of(name, args -> {
            Args.count(name, LIKE_EXPECTED, args, 2, 3);
            for (Expr e : args) {
                if (!Args.isString(e.type())) {
                    throw Args.mismatch(name, LIKE_EXPECTED, args);
                }
            }
            if (args.size() == 3) {
                escapeChar(name, Args.constantString(name, args, 2, "escape character"));
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Character escape = args.size() == 3
                    ? escapeChar(name, Args.constantString(name, args, 2, "escape character")) : Character.valueOf('\\');
            if (Args.isConstant(args.get(1)) && Args.constantValue(args.get(1)) != null) {
                Predicate<String> matcher = compile((String) Args.constantValue(args.get(1)), escape, ignoreCase);
                return a -> matcher.test((String) a[0]);
            }
            return a -> compile((String) a[1], escape, ignoreCase).test((String) a[0]);
        });
    }

    private static Character escapeChar(String name, String escape) {
        if (escape.length() != 1) {
            throw new FunctionException(name + " escape must be a single character, got '" + escape + "'");
        }
        return escape.charAt(0);
    }

    /** Compiles a LIKE pattern, with plain string tests for the common prefix/suffix/infix shapes. */
    static Predicate<String> compile(String pattern, char escape, boolean ignoreCase) {
        if (!ignoreCase && pattern.indexOf(escape) < 0 && pattern.indexOf('_') < 0) {
            int percent = pattern.indexOf('%');
            if (percent < 0) {
                return s -> s.equals(pattern);
            }
            String core = pattern.substring(1, Math.max(1, pattern.length() - 1));
            if (pattern.length() >= 2 && pattern.startsWith("%") && pattern.endsWith("%") && core.indexOf('%') < 0) {
                return s -> s.contains(core);
            }
            String head = pattern.substring(0, pattern.length() - 1);
            if (pattern.endsWith("%") && head.indexOf('%') < 0) {
                return s -> s.startsWith(head);
            }
            String tail = pattern.substring(1);
            if (pattern.startsWith("%") && tail.indexOf('%') < 0) {
                return s -> s.endsWith(tail);
            }
        }
        Pattern regex = Pattern.compile(toRegex(pattern, escape),
                Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
        return s -> regex.matcher(s).matches();
    }

    static String toRegex(String pattern, char escape) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == escape) {
                if (i + 1 >= pattern.length()) {
                    throw new IllegalArgumentException("LIKE pattern '" + pattern + "' ends with the escape character");
                }
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    private static Fn regexp() {
        String expected = "(VARCHAR, VARCHAR regex)";
        return Fn.of("REGEXP", args -> {
            Args.count("REGEXP", expected, args, 2, 2);
            if (!Args.isString(args.get(0).type()) || !Args.isString(args.get(1).type())) {
                throw Args.mismatch("REGEXP", expected, args);
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Pattern constant = constantRegex("REGEXP", args, 1);
            return a -> (constant != null ? constant : Pattern.compile((String) a[1])).matcher((String) a[0]).find();
        }).withAliases("RLIKE", "REGEXP_LIKE");
    }

    /** The argument's regex compiled once when it is a constant (a bad one fails at bind time). */
    static Pattern constantRegex(String function, List<Expr> args, int i) {
        if (!Args.isConstant(args.get(i)) || Args.constantValue(args.get(i)) == null) {
            return null;
        }
        String regex = (String) Args.constantValue(args.get(i));
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new FunctionException(function + " has an invalid regular expression '" + regex + "': "
                    + e.getDescription());
        }
    }
}
