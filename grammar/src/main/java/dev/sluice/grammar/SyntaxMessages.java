package dev.sluice.grammar;

import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.sluice.grammar.SluiceSqlParser.*;

/**
 * Turns ANTLR's "offending token + expected token set" into a message a person can act on:
 * {@code syntax error at 'FORM': expected FROM, WHERE, GROUP BY, ... (did you mean FROM?)}.
 * Expected sets are summarised (all the words usable as names become "identifier", everything that
 * can start an expression becomes "expression", binary operators become "operator") and cut short.
 */
final class SyntaxMessages {
    private static final int MAX_LISTED = 6;

    /** Clause keywords listed first, in the order they appear in a query. */
    private static final List<Integer> FIRST = List.of(
            FROM, WHERE, GROUP, HAVING, ORDER, LIMIT, SELECT, WITH, CREATE, INSERT, AS, ON, JOIN, THEN, END);

    private static final Set<Integer> OPERATORS = Set.of(
            PLUS, MINUS, ASTERISK, SLASH, PERCENT, CONCAT, ARROW, DOUBLE_ARROW, EQ, NEQ, LT, LTE, GT, GTE,
            AND, OR, NOT, BETWEEN, IN, LIKE, ILIKE, IS, DOUBLE_COLON, COLON, DOT, LBRACKET, QUESTION_MARK);

    private static final Set<Integer> INTERVAL_UNITS = Set.of(
            YEAR, YEARS, MONTH, MONTHS, WEEK, WEEKS, DAY, DAYS, HOUR, HOURS, MINUTE, MINUTES,
            SECOND, SECONDS, MILLISECOND, MILLISECONDS);

    /**
     * Statements only a database runs. Sluice computes over streams of changes; it cannot change
     * rows of a source or hold a transaction open, so it says where to run them instead.
     */
    private static final java.util.Map<String, String> DATABASE_ONLY = java.util.Map.of(
            "UPDATE", "changes rows in the database: run it there (psql); a CDC source (mode = 'cdc') brings the change "
                    + "to Sluice as an UPDATE event, and tables read from PostgreSQL follow it",
            "DELETE", "removes rows in the database: run it there (psql); a CDC source brings it to Sluice as a DELETE "
                    + "event, and tables read from PostgreSQL drop the row",
            "BEGIN", "opens a database transaction: run the transaction in the database (psql); Sluice sees its "
                    + "changes when it commits",
            "START", "opens a database transaction: run the transaction in the database (psql)",
            "COMMIT", "ends a database transaction: run it in the database (psql); Sluice sees the changes after it",
            "ROLLBACK", "ends a database transaction: run it in the database (psql)",
            "ANALYZE", "updates the database's planner statistics: run it in the database (psql); Sluice has no "
                    + "statistics to update",
            "VACUUM", "maintains database storage: run it in the database (psql)",
            "TRUNCATE", "empties a database table: run it in the database (psql)");

    private SyntaxMessages() {
    }

    /**
     * Sluice's account of the error, carrying ksqlDB's ({@code ksqlDetail}, see
     * {@link KsqlSyntaxDetails}) for scripts in ksqlDB's dialect.
     */
    static SqlSyntaxException error(Parser parser, Token offending, IntervalSet expected, String ksqlDetail) {
        SqlSyntaxException sluice = error(parser, offending, expected);
        Token before = previousToken(parser.getInputStream(), offending);
        boolean statementStart = before == null || before.getType() == SEMICOLON;
        String word = offending.getText().toUpperCase(Locale.ROOT);
        boolean ksqlOnly = statementStart && KsqlSyntaxDetails.KSQL_ONLY_STATEMENTS.contains(word);
        if (ksqlOnly && word.equals("ASSERT")) {
            // ksqlDB's ASSERT TOPIC and ASSERT SCHEMA: ksqlDB fails on the word after ASSERT when it is neither
            Token next = nextToken(parser.getInputStream(), offending);
            boolean assertion = next.getText().equalsIgnoreCase("TOPIC") || next.getText().equalsIgnoreCase("SCHEMA")
                    || next.getType() == NOT;
            Token at = assertion ? offending : next;
            String why = "ASSERT TOPIC and ASSERT SCHEMA are ksqlDB's checks of a cluster when a script is "
                    + "submitted; a compiled application does not run them (sluice plan shows the topics it needs)";
            return new SqlSyntaxException(at.getLine(), at.getCharPositionInLine() + 1,
                    assertion ? "not supported: " + why : "syntax error at " + quote(at) + ": " + why, null,
                    new KsqlSyntaxAccount(assertion ? "" : KsqlSyntaxDetails.noViableAlternative(at), true));
        }
        if (ksqlOnly && word.equals("RUN")) {
            return new SqlSyntaxException(sluice.line(), sluice.column(), sluice.getMessage()
                    + ": RUN SCRIPT is a command of ksqlDB's CLI; give sluice the script file itself", null,
                    new KsqlSyntaxAccount(ksqlDetail, true));
        }
        return new SqlSyntaxException(sluice.line(), sluice.column(), sluice.getMessage(), null,
                new KsqlSyntaxAccount(ksqlDetail, ksqlOnly));
    }

    private static Token nextToken(TokenStream tokens, Token token) {
        if (tokens instanceof org.antlr.v4.runtime.BufferedTokenStream buffered) {
            buffered.fill(); // prediction may not have read past the token yet
        }
        for (int i = token.getTokenIndex() + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                return t;
            }
        }
        return tokens.get(tokens.size() - 1);
    }

    private static SqlSyntaxException error(Parser parser, Token offending, IntervalSet expected) {
        switch (offending.getType()) {
            case UNTERMINATED_STRING:
                return at(offending, "unterminated string literal: add the closing quote (')");
            case UNTERMINATED_QUOTED_IDENTIFIER:
                return at(offending, "unterminated quoted identifier: add the closing quote (\")");
            case UNRECOGNIZED:
                return at(offending, "unexpected character '" + offending.getText() + "'");
            default:
                break;
        }
        Token before = previousToken(parser.getInputStream(), offending);
        if (before == null || before.getType() == SEMICOLON) {
            String word = offending.getText().toUpperCase(Locale.ROOT);
            String why = DATABASE_ONLY.get(word);
            if (why != null) {
                return at(offending, word + " " + why);
            }
        }
        if (before != null && before.getText().equalsIgnoreCase("GROUPING") && offending.getText().equalsIgnoreCase("SETS")) {
            return at(before, "not supported yet: GROUP BY GROUPING SETS (several groupings in one query): write one query "
                    + "per grouping and combine them with UNION ALL, NULL in the columns a grouping leaves out");
        }
        Token unit = unknownIntervalUnit(parser.getInputStream(), offending);
        if (unit != null) {
            return at(unit, "unknown INTERVAL unit '" + unit.getText()
                    + "': expected MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH or YEAR");
        }
        List<Integer> keywords = keywordsIn(parser, expected);
        String listed = describe(parser, expected);
        Token previous = previousToken(parser.getInputStream(), offending);
        String suggestion = closestKeyword(offending, keywords);
        Token at = offending;
        if (suggestion == null && previous != null && previous.getType() == IDENTIFIER) {
            // `SELECT a FORM t`: FORM was taken as an alias, the error only shows at `t`.
            suggestion = closestKeyword(previous, keywords);
            if (suggestion != null) {
                at = previous;
            }
        }
        StringBuilder message = new StringBuilder("syntax error at ").append(quote(at));
        if (!listed.isEmpty()) {
            message.append(": expected ").append(listed);
        }
        if (suggestion != null) {
            message.append(" (did you mean ").append(suggestion).append("?)");
        } else if (at == offending && expected.contains(IDENTIFIER) && Keywords.isReserved(offending.getText())
                && !offending.getText().equals(offending.getText().toUpperCase(Locale.ROOT))) {
            // Only for a reserved word not written in capitals (`order INT`): in capitals (`FROM WHERE`)
            // it is far more likely a keyword after a missing item than a name.
            message.append(" (").append(offending.getText().toUpperCase(Locale.ROOT))
                    .append(" is a reserved word: write \"").append(offending.getText())
                    .append("\" to use it as a name)");
        }
        return at(at, message.toString());
    }

    private static SqlSyntaxException at(Token token, String message) {
        return new SqlSyntaxException(token.getLine(), token.getCharPositionInLine() + 1, message);
    }

    private static String quote(Token token) {
        if (token.getType() == Token.EOF) {
            return "end of input";
        }
        String text = token.getText();
        if (text.length() > 30) {
            text = text.substring(0, 27) + "...";
        }
        return "'" + text + "'";
    }

    /** `INTERVAL '5' FORTNIGHT`: an identifier right after an interval's value. */
    private static Token unknownIntervalUnit(TokenStream tokens, Token offending) {
        Token candidate = offending;
        Token before = previousToken(tokens, candidate);
        if (candidate.getType() != IDENTIFIER) {
            // `SELECT INTERVAL '5' FORTNIGHT FROM t` reads FORTNIGHT as an alias.
            if (before == null || before.getType() != IDENTIFIER) {
                return null;
            }
            candidate = before;
            before = previousToken(tokens, candidate);
        }
        if (before == null || !(before.getType() == STRING || before.getType() == INTEGER_VALUE)) {
            return null;
        }
        Token keyword = previousToken(tokens, before);
        if (keyword != null && (keyword.getType() == PLUS || keyword.getType() == MINUS)) {
            keyword = previousToken(tokens, keyword);
        }
        return keyword != null && keyword.getType() == INTERVAL ? candidate : null;
    }

    private static Token previousToken(TokenStream tokens, Token token) {
        for (int i = token.getTokenIndex() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                return t;
            }
        }
        return null;
    }

    private static List<Integer> keywordsIn(Parser parser, IntervalSet expected) {
        List<Integer> keywords = new ArrayList<>();
        for (int type : expected.toList()) {
            String literal = parser.getVocabulary().getLiteralName(type);
            if (literal != null && Character.isLetter(literal.charAt(1))) {
                keywords.add(type);
            }
        }
        return keywords;
    }

    private static String describe(Parser parser, IntervalSet expected) {
        ATN atn = parser.getATN();
        IntervalSet remaining = new IntervalSet(expected);
        Set<String> names = new LinkedHashSet<>();
        // A comparison's right side is a value expression: no leading NOT, still "an expression".
        IntervalSet expressionStart = atn.nextTokens(atn.ruleToStartState[RULE_valueExpression]);
        if (remaining.contains(IDENTIFIER)) {
            if (remaining.and(expressionStart).size() == expressionStart.size()) {
                names.add("expression");
                remaining = remaining.subtract(expressionStart);
                remaining.remove(NOT);
            } else {
                names.add("identifier");
            }
            remaining = remaining.subtract(atn.nextTokens(atn.ruleToStartState[RULE_nonReserved]));
            remaining.remove(IDENTIFIER);
            remaining.remove(QUOTED_IDENTIFIER);
            remaining.remove(BACKQUOTED_IDENTIFIER);
            remaining.remove(DIGIT_IDENTIFIER); // ksqlDB's names that start with a digit are names too
        }
        List<Integer> operators = remaining.toList().stream().filter(OPERATORS::contains).toList();
        boolean summariseOperators = operators.size() > 2;
        if (summariseOperators) {
            operators.forEach(remaining::remove);
        }
        List<String> ordered = new ArrayList<>();
        for (int type : FIRST) {
            if (remaining.contains(type)) {
                ordered.add(name(parser, type));
                remaining.remove(type);
            }
        }
        ordered.addAll(names);
        List<String> words = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        boolean eof = remaining.contains(Token.EOF);
        remaining.remove(Token.EOF);
        boolean semicolon = remaining.contains(SEMICOLON);
        remaining.remove(SEMICOLON);
        for (int type : remaining.toList()) {
            String name = name(parser, type);
            if (INTERVAL_UNITS.contains(type) && type != SECOND && type != MINUTE && type != HOUR && type != DAY) {
                continue; // listing every unit spelling drowns the message; SECOND..DAY say enough
            }
            (Character.isLetter(name.charAt(0)) ? words : symbols).add(name);
        }
        ordered.addAll(words);
        ordered.addAll(symbols);
        if (summariseOperators) {
            ordered.add("operator");
        }
        if (semicolon) {
            ordered.add("';'");
        }
        if (eof) {
            ordered.add("end of input");
        }
        return join(ordered);
    }

    private static String name(Parser parser, int type) {
        switch (type) {
            case GROUP: return "GROUP BY";
            case ORDER: return "ORDER BY";
            case EQ: return "'='";
            case NEQ: return "'<>'";
            case STRING: return "string";
            case INTEGER_VALUE: return "integer";
            case DECIMAL_VALUE:
            case DOUBLE_VALUE: return "number";
            case IDENTIFIER:
            case QUOTED_IDENTIFIER:
            case BACKQUOTED_IDENTIFIER:
            case DIGIT_IDENTIFIER: return "identifier";
            default: break;
        }
        String literal = parser.getVocabulary().getLiteralName(type);
        if (literal == null) {
            return parser.getVocabulary().getDisplayName(type).toLowerCase(Locale.ROOT);
        }
        String bare = literal.substring(1, literal.length() - 1);
        return Character.isLetter(bare.charAt(0)) ? bare : literal;
    }

    private static String join(List<String> names) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(names));
        if (unique.isEmpty()) {
            return "";
        }
        if (unique.size() == 1) {
            return unique.get(0);
        }
        if (unique.size() > MAX_LISTED) {
            return String.join(", ", unique.subList(0, MAX_LISTED)) + ", ...";
        }
        return String.join(", ", unique.subList(0, unique.size() - 1)) + " or " + unique.get(unique.size() - 1);
    }

    /** A keyword the token is probably a misspelling of (`FORM` for FROM), or null. */
    private static String closestKeyword(Token token, List<Integer> keywords) {
        if (token.getType() != IDENTIFIER || token.getText().length() < 3) {
            return null;
        }
        String word = token.getText().toUpperCase(Locale.ROOT);
        int limit = word.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (int type : keywords) {
            String keyword = VOCABULARY.getLiteralName(type);
            keyword = keyword.substring(1, keyword.length() - 1);
            // a swap counts once: FORM is one edit from FROM
            int distance = EditDistance.between(word, keyword, EditDistance.Swap.ONE_EDIT);
            if (distance <= limit && distance < bestDistance) {
                best = keyword;
                bestDistance = distance;
            }
        }
        return best;
    }
}
