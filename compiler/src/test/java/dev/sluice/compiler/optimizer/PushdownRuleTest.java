package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import org.junit.jupiter.api.Test;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.CLICKS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.USERS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushdownRuleTest {
    private static final String ENRICHED = EVENTS + USERS + "CREATE STREAM enriched AS SELECT e.user_id, u.name, "
            + "e.revenue FROM events e %s JOIN users u ON e.user_id = u.id WHERE e.revenue > 10 AND u.age > 30;\n";

    @Test
    void aStreamSideConjunctMovesIntoTheJoinSideAndBelowItsRekey() {
        CompiledScript compiled = compile(String.format(ENRICHED, ""), "pushdown");
        Step root = root(compiled, "enriched");
        StreamTableJoinStep join = all(root, StreamTableJoinStep.class).get(0);
        // The table-side conjunct stays above the join: filtering a table would turn updates into deletes.
        FilterStep above = (FilterStep) ((ProjectStep) root).input();
        assertEquals("enriched-where", above.name());
        assertEquals(">($6, 30)", above.predicate().toString()); // age: events has 4 columns
        assertEquals(join, above.input());
        // The stream-side conjunct now runs before the repartition.
        RekeyStep rekey = (RekeyStep) join.left();
        FilterStep moved = (FilterStep) rekey.input();
        assertEquals("enriched-where-left", moved.name());
        assertEquals(">($2, 10)", moved.predicate().toString());
        assertEquals("enriched-e-key-not-null", moved.input().name());
        assertEquals(2, compiled.optimization().fired().size(), compiled.optimization().toString());
    }

    @Test
    void aLeftJoinTakesLeftConjunctsOnlyAndAFilterOverItsNullPaddingUnionStays() {
        CompiledScript compiled = compile(String.format(ENRICHED, "LEFT"), "pushdown");
        // A LEFT join's WHERE reads the union of joined and NULL-key rows: nothing moves.
        assertTrue(compiled.optimization().fired().isEmpty(), compiled.optimization().toString());
    }

    @Test
    void aFilterOverAnIntervalJoinStaysAboveItBecauseTheJoinDropsLateRecordsByTheTimeItHasSeen() {
        CompiledScript compiled = compile(CLICKS + "CREATE STREAM slow_then_home AS SELECT a.user_id, b.page "
                + "FROM clicks a JOIN clicks b ON a.user_id = b.user_id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '1' MINUTE "
                + "WHERE a.ms > 5000 AND b.page = 'home';\n", "pushdown");
        assertTrue(compiled.optimization().fired().isEmpty(), compiled.optimization().toString());
        StreamStreamJoinStep join = all(root(compiled, "slow_then_home"), StreamStreamJoinStep.class).get(0);
        assertInstanceOf(RekeyStep.class, join.left());
        assertInstanceOf(RekeyStep.class, join.right());
    }

    @Test
    void aFilterOverAColumnSelectingSubqueryPassesItOnItsWayToTheJoin() {
        CompiledScript compiled = compile(EVENTS + USERS + "CREATE STREAM rich AS SELECT * FROM (SELECT e.user_id, "
                + "e.revenue, u.name FROM events e JOIN users u ON e.user_id = u.id) j WHERE revenue > 100;\n",
                "pushdown");
        StreamTableJoinStep join = all(root(compiled, "rich"), StreamTableJoinStep.class).get(0);
        RekeyStep rekey = (RekeyStep) join.left();
        FilterStep moved = assertInstanceOf(FilterStep.class, rekey.input());
        assertEquals(">($2, 100)", moved.predicate().toString());
    }
}
