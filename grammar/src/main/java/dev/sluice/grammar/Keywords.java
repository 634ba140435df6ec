package dev.sluice.grammar;

import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The dialect's reserved words, read from the grammar itself so the two never disagree. */
public final class Keywords {
    private static final Set<String> RESERVED = reserved();

    private Keywords() {
    }

    /** True if {@code word} cannot be used as an unquoted name (SELECT, FROM, WINDOW, ...). */
    public static boolean isReserved(String word) {
        return RESERVED.contains(word.toUpperCase(Locale.ROOT));
    }

    public static Set<String> reserved() {
        if (RESERVED != null) {
            return RESERVED;
        }
        IntervalSet nonReserved = SluiceSqlParser._ATN.nextTokens(
                SluiceSqlParser._ATN.ruleToStartState[SluiceSqlParser.RULE_nonReserved]);
        Vocabulary vocabulary = SluiceSqlParser.VOCABULARY;
        Set<String> words = new HashSet<>();
        for (int type = 1; type <= vocabulary.getMaxTokenType(); type++) {
            String literal = vocabulary.getLiteralName(type);
            if (literal != null && Character.isLetter(literal.charAt(1)) && !nonReserved.contains(type)) {
                words.add(literal.substring(1, literal.length() - 1));
            }
        }
        return Set.copyOf(words);
    }
}
