package dev.sluice.compiler.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.compiler.ChangelogDriver;

import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls checked against twins: each call is selected as {@code k<i>} beside a twin {@code t<i>}
 * that computes the same value another way (the path the call's optimisation replaces), so every
 * row of the changelog must carry equal pairs. Used where the model of a call is the old code path.
 *
 * @param pairs each call, then its twin
 */
record TwinCalls(List<String[]> pairs) {
    TwinCalls {
        pairs = List.copyOf(pairs);
    }

    /** The select list after the grouping columns: {@code , call AS k0, twin AS t0, …, COUNT(*) AS n}. */
    String select() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.size(); i++) {
            out.append(", ").append(pairs.get(i)[0]).append(" AS k").append(i)
                    .append(", ").append(pairs.get(i)[1]).append(" AS t").append(i);
        }
        return out + ", COUNT(*) AS n";
    }

    /**
     * Checks every row (tombstones aside) carries equal pairs, after at least five rows; returns how
     * many rows {@code counted} accepts, so a test can show its input reached the case it is about.
     */
    int assertEqualOnEveryRow(List<String> rows, Predicate<JsonNode> counted) {
        assertTrue(rows.size() >= 5, "rows: " + rows.size());
        int accepted = 0;
        for (String r : rows) {
            JsonNode row = ChangelogDriver.valueOf(r + " @");
            if (row == null) {
                continue; // a tombstone
            }
            for (int i = 0; i < pairs.size(); i++) {
                assertEquals(row.get("t" + i), row.get("k" + i), pairs.get(i)[0] + " in " + r);
            }
            if (counted.test(row)) {
                accepted++;
            }
        }
        return accepted;
    }
}
