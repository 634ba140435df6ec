package dev.sluice.grammar;

import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The line ksqlDB's parser writes after {@code Syntax Error}, worked out the way its
 * {@code SyntaxErrorValidator} works it out from ANTLR's report, here from Sluice's parser state at
 * the same token (the grammars differ, so for a few errors the two lists of expected tokens do).
 */
final class KsqlSyntaxDetails {
    /** Statements only ksqlDB has: a script that starts one is ksqlDB's, whatever else it holds. */
    static final Set<String> KSQL_ONLY_STATEMENTS = Set.of(
            "ASSERT", "RUN", "PRINT", "TERMINATE", "LIST", "DEFINE", "UNDEFINE", "UNSET");

    /** The statements a ksqlDB "did you mean" picks from: those both ksqlDB and Sluice parse. */
    private static final List<String> COMMANDS = List.of(
            "SELECT", "CREATE", "INSERT", "DESCRIBE", "EXPLAIN", "SHOW", "DROP", "SET", "ALTER");

    private KsqlSyntaxDetails() {
    }

    /** No alternative fits the token (ANTLR's no-viable-alternative). */
    static String noViableAlternative(Token offending) {
        return "Syntax error at or near '" + offending.getText() + "' at line " + offending.getLine() + ":"
                + (offending.getCharPositionInLine() + 1);
    }

    /** A token where others were expected (ANTLR's mismatched or extraneous input). */
    static String expecting(Parser parser, Token offending, IntervalSet expected) {
        if (startsStatement(parser.getInputStream(), offending) && expected.contains(SluiceSqlParser.SELECT)
                && expected.contains(SluiceSqlParser.CREATE)) {
            return "Unknown statement '" + offending.getText() + "'\nDid you mean '" + mostSimilar(offending.getText())
                    + "'?";
        }
        if (expected.contains(SluiceSqlParser.IDENTIFIER)) {
            // ksqlDB's identifier rule has alternatives: a token that is none is its no-viable-alternative
            return noViableAlternative(offending);
        }
        if (offending.getType() == Token.EOF || expected.contains(Token.EOF)) {
            return "Syntax error at or near \";\"\n'}', ']', or ')' is missing";
        }
        String listed = expected.toString(parser.getVocabulary());
        return listed.split(",").length <= 3 ? "Expecting " + listed : "";
    }

    /** One token is missing before this one (ANTLR's missing token). */
    static String missing(Parser parser, Token offending, IntervalSet expected) {
        return "missing " + expected.toString(parser.getVocabulary()) + " at " + display(offending);
    }

    static boolean startsStatement(TokenStream tokens, Token token) {
        for (int i = token.getTokenIndex() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                return t.getType() == SluiceSqlParser.SEMICOLON;
            }
        }
        return true;
    }

    private static String display(Token token) {
        if (token.getType() == Token.EOF) {
            return "'<EOF>'";
        }
        return "'" + token.getText().replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'";
    }

    private static String mostSimilar(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        String best = COMMANDS.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String command : COMMANDS) {
            // ksqlDB picks by Levenshtein distance, a swap two edits: the same pick for a swapped typo (ESLCET: SET)
            int d = EditDistance.between(upper, command, EditDistance.Swap.TWO_EDITS);
            if (d < bestDistance) {
                best = command;
                bestDistance = d;
            }
        }
        return best;
    }
}
