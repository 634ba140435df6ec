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

    @Test
    void aKeyComputedByAnExpressionIsNotTakenForAnUnknownKeying() {
        // a LEFT join's output is of unknown keying, and so is a re-key by an expression: the second
        // join's re-key by K + 1 must stay (it was taken for the first one's K - 1, and lookups missed)
        CompiledScript compiled = compile(
                "CREATE STREAM S1 (ID INT KEY, K INT, V BIGINT) WITH (kafka_topic='s1', value_format='JSON');\n"
                + "CREATE TABLE T2 (ID INT PRIMARY KEY, V BIGINT) WITH (kafka_topic='t2', value_format='JSON');\n"
                + "CREATE TABLE T3 (ID INT PRIMARY KEY, V BIGINT) WITH (kafka_topic='t3', value_format='JSON');\n"
                + "CREATE STREAM OUTPUT AS SELECT T3.ID, S1.V, T2.V, T3.V FROM S1 LEFT JOIN T2 ON S1.K - 1 = T2.ID "
                + "LEFT JOIN T3 ON S1.K + 1 = T3.ID;\n", "rekey");
        assertTrue(compiled.optimization().fired().isEmpty(), compiled.optimization().toString());
        assertEquals(2, all(root(compiled, "output"), RekeyStep.class).size());
    }
}
