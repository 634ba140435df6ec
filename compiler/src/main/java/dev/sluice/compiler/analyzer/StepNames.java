package dev.sluice.compiler.analyzer;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Stable, unique step names within one query: {@code <query>[-<cte or subquery alias>]-<step>}.
 * Names depend only on the query's structure, never on build order counters, so a restarted
 * instance finds its state stores and internal topics again.
 */
final class StepNames {
    private final String queryId;
    private final Set<String> used;

    StepNames(String queryId) {
        this(queryId, new HashSet<>());
    }

    private StepNames(String queryId, Set<String> used) {
        this.queryId = queryId;
        this.used = used;
    }

    /** Names for steps of a CTE or subquery, prefixed with its alias. */
    StepNames nested(String alias) {
        return new StepNames(queryId + "-" + sanitize(alias), used);
    }

    String name(String step) {
        String base = queryId + "-" + step;
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    static String sanitize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.]+", "_");
    }
}
