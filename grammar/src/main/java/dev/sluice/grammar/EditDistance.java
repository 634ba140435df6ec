package dev.sluice.grammar;

/**
 * How many single-letter edits turn one word into another: the measure behind every "did you mean"
 * Sluice writes (misspelt keywords, statements, columns, sources, functions). Inserting, deleting or
 * replacing a letter is one edit; swapping two neighbouring letters is one or two, as the caller says.
 */
public final class EditDistance {
    /** How a swap of two neighbouring letters (FORM for FROM) counts. */
    public enum Swap {
        /** One edit (optimal string alignment): the commonest typo is one step from the word meant. */
        ONE_EDIT,
        /**
         * Two edits, as plain Levenshtein distance counts it: where Sluice repeats words ksqlDB picks
         * by that distance, the same pick.
         */
        TWO_EDITS
    }

    private EditDistance() {
    }

    /** The edits from {@code a} to {@code b}; letters are compared exactly (callers fold case first). */
    public static int between(String a, String b, Swap swap) {
        // three rows of the table: the one two back is read only for a swap
        int[] twoBack = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (swap == Swap.ONE_EDIT && i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, twoBack[j - 2] + 1);
                }
                current[j] = best;
            }
            int[] recycled = twoBack;
            twoBack = previous;
            previous = current;
            current = recycled;
        }
        return previous[b.length()];
    }
}
