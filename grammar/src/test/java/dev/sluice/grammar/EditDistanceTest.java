package dev.sluice.grammar;

import dev.sluice.grammar.EditDistance.Swap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EditDistanceTest {

    @ParameterizedTest(name = "{0} -> {1}: {2} with a swap as one edit, {3} as two")
    @CsvSource({
            "FORM, FROM, 1, 2",
            "FROM, FROM, 0, 0",
            "'', SELECT, 6, 6",
            "SELECT, '', 6, 6",
            "SLECT, SELECT, 1, 1",
            "kitten, sitting, 3, 3",
            "ESLCET, SELECT, 2, 4",
            "ESLCET, SET, 3, 3",
            "ab, ba, 1, 2",
            "ca, abc, 3, 3",
            "created_at, ceraetd_at, 2, 4",
            "STREM, STREAM, 1, 1"})
    void countsEditsWithTheSwapRuleAsked(String a, String b, int swapOnce, int swapTwice) {
        assertEquals(swapOnce, EditDistance.between(a, b, Swap.ONE_EDIT));
        assertEquals(swapTwice, EditDistance.between(a, b, Swap.TWO_EDITS));
        assertEquals(swapOnce, EditDistance.between(b, a, Swap.ONE_EDIT), "symmetric");
        assertEquals(swapTwice, EditDistance.between(b, a, Swap.TWO_EDITS), "symmetric");
    }
}
