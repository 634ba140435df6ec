package dev.sluice.cli.fuzz;

import dev.sluice.grammar.SluiceSqlLexer;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Makes new SQL scripts from a corpus of valid ones, token by token, with the grammar's own lexer and
 * vocabulary: delete, repeat, swap or replace tokens (keywords from the grammar, function names from
 * the catalog, edge-case literals), splice statements of two scripts, and grow random expressions
 * over a statement's identifiers. Most results are wrong SQL; the point is that each one still gets
 * a clean answer.
 */
public final class SqlMutator {
    private static final List<String> LITERALS = List.of("0", "-1", "1", "2147483648", "9223372036854775808",
            "1e309", "0.0", "-0.0", "NULL", "TRUE", "FALSE", "''", "'x'", "'''", "'%'", "'\\\\'",
            "'2024-01-01 00:00:00'", "'9999-12-31'", "INTERVAL '0' SECOND", "INTERVAL '-1' MINUTE",
            "INTERVAL '99999999' DAY", "TIMESTAMP '2024-01-15 10:00:00'", "DATE 'x'", "CAST(NULL AS VARCHAR)",
            "ARRAY[]", "ARRAY[1, 'a']", "MAP['k', 1]", "(SELECT 1)", "*", "?", "$1", "`x`", "\"x\"", "[]");
    private static final List<String> TYPES = List.of("INT", "BIGINT", "DOUBLE", "DECIMAL(38, 38)", "DECIMAL(0, 0)",
            "VARCHAR", "VARCHAR(0)", "BOOLEAN", "TIMESTAMP", "TIMESTAMP(9)", "DATE", "ARRAY<INT>", "MAP<VARCHAR, INT>",
            "ROW<a INT>", "BYTES");
    private static final List<String> OPERATORS = List.of("+", "-", "*", "/", "%", "||", "=", "<>", "<", ">=",
            "AND", "OR", "IS", "LIKE", "IN", "BETWEEN");

    private final List<String> keywords;
    private final List<String> functions;

    public SqlMutator(Set<String> functionNames) {
        Vocabulary v = SluiceSqlLexer.VOCABULARY;
        Set<String> words = new TreeSet<>();
        for (int i = 0; i <= v.getMaxTokenType(); i++) {
            String literal = v.getLiteralName(i);
            if (literal != null && literal.length() > 2) {
                words.add(literal.substring(1, literal.length() - 1));
            }
        }
        this.keywords = List.copyOf(words);
        this.functions = List.copyOf(new TreeSet<>(functionNames));
    }

    /** The script's tokens as text, whitespace and comments included, so they join back losslessly. */
    static List<String> tokens(String sql) {
        SluiceSqlLexer lexer = new SluiceSqlLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        List<String> out = new ArrayList<>();
        int at = 0;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getStartIndex() > at) {
                out.add(sql.substring(at, t.getStartIndex())); // skipped text: whitespace, comments
            }
            out.add(t.getText());
            at = t.getStopIndex() + 1;
        }
        if (at < sql.length()) {
            out.add(sql.substring(at));
        }
        return out;
    }

    /** One mutant of {@code sql}; {@code other} is a second corpus script to splice from. */
    public String mutate(String sql, String other, SplittableRandom random) {
        return mutate(tokens(sql), tokens(other), random);
    }

    /** One mutant of a tokenized script; {@code other} is a second one to splice from. Neither is changed. */
    public String mutate(List<String> script, List<String> from, SplittableRandom random) {
        List<String> tokens = new ArrayList<>(script);
        int rounds = 1 + random.nextInt(random.nextInt(8) == 0 ? 8 : 2);
        for (int r = 0; r < rounds && !tokens.isEmpty(); r++) {
            int i = random.nextInt(tokens.size());
            switch (random.nextInt(9)) {
                case 0 -> tokens.remove(i);
                case 1 -> tokens.add(i, tokens.get(i));
                case 2 -> {
                    int j = random.nextInt(tokens.size());
                    String t = tokens.get(i);
                    tokens.set(i, tokens.get(j));
                    tokens.set(j, t);
                }
                case 3 -> tokens.set(i, " " + pick(keywords, random) + " ");
                case 4 -> tokens.set(i, " " + pick(LITERALS, random) + " ");
                case 5 -> tokens.set(i, " " + pick(TYPES, random) + " ");
                case 6 -> tokens.set(i, " " + expression(tokens, random, 3) + " ");
                case 7 -> {
                    if (from.isEmpty()) {
                        continue;
                    }
                    int a = random.nextInt(from.size());
                    int b = Math.min(from.size(), a + 1 + random.nextInt(40));
                    tokens.addAll(i, from.subList(a, b));
                }
                default -> {
                    int end = Math.min(tokens.size(), i + 1 + random.nextInt(12));
                    tokens.subList(i, end).clear();
                }
            }
        }
        return String.join("", tokens);
    }

    /** A random expression over identifiers taken from the script, literals and catalog functions. */
    String expression(List<String> tokens, SplittableRandom random, int depth) {
        if (depth == 0 || random.nextInt(3) == 0) {
            if (random.nextBoolean()) {
                String t = tokens.get(random.nextInt(tokens.size())).trim();
                if (!t.isEmpty() && Character.isLetter(t.charAt(0))) {
                    return t;
                }
            }
            return pick(LITERALS, random);
        }
        return switch (random.nextInt(5)) {
            case 0 -> expression(tokens, random, depth - 1) + " " + pick(OPERATORS, random) + " "
                    + expression(tokens, random, depth - 1);
            case 1 -> "CAST(" + expression(tokens, random, depth - 1) + " AS " + pick(TYPES, random) + ")";
            case 2 -> "CASE WHEN " + expression(tokens, random, depth - 1) + " THEN " + expression(tokens, random, depth - 1)
                    + " ELSE " + expression(tokens, random, depth - 1) + " END";
            default -> {
                StringBuilder call = new StringBuilder(pick(functions, random)).append('(');
                if (random.nextInt(6) == 0) {
                    call.append("DISTINCT ");
                }
                int args = random.nextInt(4);
                for (int a = 0; a < args; a++) {
                    call.append(a == 0 ? "" : ", ").append(expression(tokens, random, depth - 1));
                }
                call.append(')');
                if (random.nextInt(8) == 0) {
                    call.append(" FILTER (WHERE ").append(expression(tokens, random, depth - 1)).append(')');
                }
                if (random.nextInt(10) == 0) {
                    call.append(" OVER (PARTITION BY ").append(expression(tokens, random, 0)).append(" ORDER BY ")
                            .append(expression(tokens, random, 0)).append(')');
                }
                yield call.toString();
            }
        };
    }

    private static String pick(List<String> from, SplittableRandom random) {
        return from.get(random.nextInt(from.size()));
    }
}
