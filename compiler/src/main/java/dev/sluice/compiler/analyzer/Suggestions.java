package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.EditDistance;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" by edit distance, for unknown columns, sources and functions. */
public final class Suggestions {
    private Suggestions() {
    }

    public static Optional<String> closest(String name, Collection<String> candidates) {
        String target = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            // a swap counts twice, as these hints always counted it (counting it once would add hints for
            // doubly swapped names: a change of messages, not of this code's shape)
            int d = EditDistance.between(target, candidate.toLowerCase(Locale.ROOT), EditDistance.Swap.TWO_EDITS);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        // Beyond a third of the name's length the "suggestion" is noise, not a typo.
        int limit = Math.max(2, target.length() / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    public static String hint(String name, Collection<String> candidates) {
        return closest(name, candidates).map(c -> "did you mean `" + c + "`?").orElse(null);
    }
}
