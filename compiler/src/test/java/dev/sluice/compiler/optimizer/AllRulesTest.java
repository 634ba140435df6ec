package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import org.junit.jupiter.api.Test;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule at once over plans with every kind of step. */
class AllRulesTest {
    /** Two queries aggregating one DISTINCT ON sub-query (issue 12: a ClassCastException in StepCopy). */
    static final String TWO_AGGREGATES_OF_ONE_DEDUP = EVENTS
            + "CREATE TABLE per_country AS SELECT country, COUNT(*) AS users FROM (SELECT DISTINCT ON (user_id) "
            + "user_id, country, revenue FROM events) d GROUP BY country;\n"
            + "CREATE TABLE revenue AS SELECT country, SUM(revenue) AS total FROM (SELECT DISTINCT ON (user_id) "
            + "user_id, country, revenue FROM events) d GROUP BY country;\n";

    @Test
    void twoAggregatesOfOneDistinctOnSubQueryShareTheDeduplication() {
        CompiledScript compiled = compile(TWO_AGGREGATES_OF_ONE_DEDUP, "all");
        DeduplicateStep a = all(root(compiled, "per_country"), DeduplicateStep.class).get(0);
        DeduplicateStep b = all(root(compiled, "revenue"), DeduplicateStep.class).get(0);
        assertEquals(a, b);
        assertTrue(a.name().startsWith("shared-"), a.name());
        assertEquals(1, all(root(compiled, "per_country"), AggregateStep.class).size());
    }
}
