package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.USERS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruneRuleTest {
    @Test
    void aJoinSideRepartitionsOnlyTheColumnsTheQueryReads() {
        CompiledScript compiled = compile(EVENTS + USERS + "CREATE STREAM enriched AS SELECT e.user_id, u.name "
                + "FROM events e JOIN users u ON e.user_id = u.id;\n", "prune");
        StreamTableJoinStep join = all(root(compiled, "enriched"), StreamTableJoinStep.class).get(0);
        RekeyStep rekey = (RekeyStep) join.left();
        ProjectStep prune = (ProjectStep) rekey.input();
        assertEquals("enriched-e-rekey-prune", prune.name());
        // events is (user_id, country, revenue, event_time): only user_id is read (the key and the SELECT).
        assertEquals(List.of("user_id"), prune.schema().names());
        assertEquals(List.of("user_id", "id", "name", "age", "tier"), join.schema().names());
        // The SELECT above reads user_id and name from the narrower join row.
        ProjectStep select = (ProjectStep) root(compiled, "enriched");
        assertEquals("[$0, $2]", select.expressions().toString());
        assertEquals(List.of("enriched: enriched-e-rekey drops 3 of 4 columns"),
                compiled.optimization().fired().stream().map(OptimizationReport.Fired::description).toList());
    }

    @Test
    void anAggregationAlreadyRepartitionsOnlyWhatItReads() {
        CompiledScript compiled = compile(EVENTS + "CREATE TABLE t AS SELECT user_id, SUM(revenue) AS r FROM events "
                + "GROUP BY user_id;\n", "prune");
        assertTrue(compiled.optimization().fired().isEmpty());
        assertEquals("t-prepare", ((RekeyStep) all(root(compiled, "t"), AggregateStep.class).get(0).input())
                .input().name());
    }
}
