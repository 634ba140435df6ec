package dev.sluice.grammar;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntegerList;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops at the first syntax error and throws a {@link SqlSyntaxException} that names the offending
 * token and what could have come instead.
 *
 * <p>Why it remembers expected tokens: when an optional clause is skipped (say {@code FROM} after
 * {@code SELECT *}), ANTLR only notices the bad token later, in an enclosing rule that expects
 * {@code ';'}. Recording what every {@code sync} point at the same token would have accepted gives
 * the useful list ("expected FROM, WHERE, ...") instead of "expected ';'".
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private int recordedTokenIndex = -1;
    /**
     * The parser states (ATN state, rule context) of every sync point at the recorded token. Their
     * expected tokens are computed only when an error is reported: computing them at every sync
     * point took a third of the time of parsing a script.
     */
    private final List<ParserRuleContext> recordedContexts = new ArrayList<>();
    private final IntegerList recordedStates = new IntegerList();

    @Override
    public void sync(Parser recognizer) throws RecognitionException {
        record(recognizer);
        super.sync(recognizer);
    }

    private void record(Parser recognizer) {
        int index = recognizer.getInputStream().index();
        if (index != recordedTokenIndex) {
            recordedTokenIndex = index;
            recordedContexts.clear();
            recordedStates.clear();
        }
        recordedContexts.add(recognizer.getContext());
        recordedStates.add(recognizer.getState());
    }

    private IntervalSet expectedAt(Parser recognizer, Token offending, IntervalSet here) {
        IntervalSet all = new IntervalSet();
        all.addAll(here);
        if (offending.getTokenIndex() == recordedTokenIndex) {
            for (int i = 0; i < recordedStates.size(); i++) {
                all.addAll(recognizer.getATN().getExpectedTokens(recordedStates.get(i), recordedContexts.get(i)));
            }
        }
        return all;
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        Token offending = e.getOffendingToken();
        IntervalSet expected;
        String ksql;
        if (e instanceof NoViableAltException noViable
                && noViable.getStartToken().getTokenIndex() != offending.getTokenIndex()) {
            // Prediction read several tokens before failing; what the decision expected at its
            // start says nothing about the token that broke it.
            expected = new IntervalSet();
            ksql = KsqlSyntaxDetails.noViableAlternative(offending);
        } else if (e instanceof NoViableAltException) {
            expected = expectedAt(recognizer, offending, e.getExpectedTokens());
            ksql = KsqlSyntaxDetails.startsStatement(recognizer.getInputStream(), offending)
                    ? KsqlSyntaxDetails.expecting(recognizer, offending, e.getExpectedTokens())
                    : KsqlSyntaxDetails.noViableAlternative(offending);
        } else if (e instanceof InputMismatchException) {
            expected = expectedAt(recognizer, offending, e.getExpectedTokens());
            ksql = KsqlSyntaxDetails.expecting(recognizer, offending, e.getExpectedTokens());
        } else {
            expected = expectedAt(recognizer, offending, recognizer.getExpectedTokens());
            ksql = "";
        }
        throw SyntaxMessages.error(recognizer, offending, expected, ksql);
    }

    @Override
    protected void reportUnwantedToken(Parser recognizer) {
        Token offending = recognizer.getCurrentToken();
        throw SyntaxMessages.error(recognizer, offending,
                expectedAt(recognizer, offending, recognizer.getExpectedTokens()),
                KsqlSyntaxDetails.expecting(recognizer, offending, recognizer.getExpectedTokens()));
    }

    @Override
    protected void reportMissingToken(Parser recognizer) {
        Token offending = recognizer.getCurrentToken();
        throw SyntaxMessages.error(recognizer, offending,
                expectedAt(recognizer, offending, recognizer.getExpectedTokens()),
                KsqlSyntaxDetails.missing(recognizer, offending, recognizer.getExpectedTokens()));
    }
}
