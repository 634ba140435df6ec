package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.SuppressStep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who reads a step's result table, and how: a GROUP BY's rows need a materialized table only when a
 * reader asks the table for a key's current row (a join's lookup, a ranking's or deduplication's
 * own reads). Readers that take only its changes, with the row each replaces, do not: a sink,
 * a projection or filter over it (KTable#mapValues and #filter) that is itself read only so, a
 * TARGET_LAG (its own table from the changes), and a GROUP BY over it (old and new rows from the
 * table, {@code SluiceGraph#changes}). Steps compare structurally, as the build shares them.
 */
final class ResultTableReaders {
    private final Map<Step, List<Step>> readers = new HashMap<>();
    /** False when the readers are unknown: every step keeps its table. */
    private final boolean known;

    private ResultTableReaders(boolean known) {
        this.known = known;
    }

    static ResultTableReaders of(List<QueryPlan> plans) {
        ResultTableReaders out = new ResultTableReaders(true);
        Set<Step> seen = new HashSet<>();
        for (QueryPlan plan : plans) {
            out.walk(plan.root(), seen);
        }
        return out;
    }

    /** Nothing reads any result as a table (a builder's test without plans): every step keeps its table. */
    static ResultTableReaders none() {
        return new ResultTableReaders(false);
    }

    private void walk(Step step, Set<Step> seen) {
        if (!seen.add(step)) {
            return;
        }
        for (Step input : step.inputs()) {
            readers.computeIfAbsent(input, k -> new ArrayList<>()).add(step);
            walk(input, seen);
        }
    }

    /** Whether every reader of {@code step}'s table takes only its changes (a plan's root goes to a sink). */
    boolean onlyChanges(Step step) {
        if (!known) {
            return false;
        }
        for (Step reader : readers.getOrDefault(step, List.of())) {
            // replay passes a TARGET_LAG's input through; otherwise it makes its own table from the changes
            boolean changes = reader instanceof ProjectStep || reader instanceof FilterStep
                    || reader instanceof SuppressStep
                    ? onlyChanges(reader)
                    : reader instanceof AggregateStep a && a.kind() == AggregateStep.Kind.TABLE;
            if (!changes) {
                return false;
            }
        }
        return true;
    }
}
