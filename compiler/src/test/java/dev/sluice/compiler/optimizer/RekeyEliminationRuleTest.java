package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.AggregateStep;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RekeyEliminationRuleTest {
    @Test
    void groupingByTheJoinKeyReusesTheJoinsPartitioning() {
        CompiledScript compiled = compile(EVENTS + USERS + "CREATE TABLE per_user AS SELECT e.user_id, "
                + "SUM(e.revenue) AS total FROM events e JOIN users u ON e.user_id = u.id GROUP BY e.user_id;\n", "rekey");
        AggregateStep aggregate = all(root(compiled, "per_user"), AggregateStep.class).get(0);
        assertEquals("per_user-prepare", aggregate.input().name());
        assertInstanceOf(StreamTableJoinStep.class, ((dev.sluice.runtime.plan.ProjectStep) aggregate.input()).input());
        assertEquals(List.of("per_user-e-rekey"), all(root(compiled, "per_user"), RekeyStep.class).stream()
                .map(RekeyStep::name).toList());
        assertTrue(compiled.topology().describe().toString().contains("per_user-e-rekey-repartition"));
        assertTrue(!compiled.topology().describe().toString().contains("per_user-groupby-repartition"));
    }

    @Test
    void regroupingAnAggregateByItsOwnKeyNeedsNoRepartition() {
        CompiledScript compiled = compile(EVENTS + "CREATE TABLE t AS SELECT user_id, MAX(n) AS most FROM "
                + "(SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id) c GROUP BY user_id;\n", "rekey");
        assertEquals(List.of("t-c-groupby"), all(root(compiled, "t"), RekeyStep.class).stream()
                .map(RekeyStep::name).toList());
    }

    @Test
    void aDifferentKeyOrAWindowedConsumerKeepsItsRepartition() {
        CompiledScript compiled = compile(EVENTS + USERS
                + "CREATE TABLE per_country AS SELECT e.country, COUNT(*) AS n FROM events e JOIN users u "
                + "ON e.user_id = u.id GROUP BY e.country;\n"
                + "CREATE STREAM per_user_hour AS SELECT e.user_id, COUNT(*) AS n FROM events e JOIN users u "
                + "ON e.user_id = u.id GROUP BY e.user_id, TUMBLE(e.event_time, INTERVAL '1' HOUR);\n", "rekey");
        assertTrue(compiled.optimization().fired().isEmpty(), compiled.optimization().toString());
    }
}
