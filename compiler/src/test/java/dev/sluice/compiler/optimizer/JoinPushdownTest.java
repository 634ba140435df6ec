package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Filters pushed into a regular (unbounded) stream-stream join: each join kind, which WHERE
 * conjuncts move to which input, and which must stay above the join.
 */
class JoinPushdownTest {
    private static final String DDL = "CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3)) WITH ("
            + "'connector' = 'kafka', 'topic' = 'bids', 'format' = 'json');\n"
            + "CREATE TABLE auctions (id BIGINT, category BIGINT, seller BIGINT) WITH ("
            + "'connector' = 'kafka', 'topic' = 'auctions', 'format' = 'json');\n"
            + "CREATE TABLE out1 (auction BIGINT, price BIGINT, category BIGINT) WITH ('connector' = 'blackhole');\n";
    /** One conjunct per side and one reading both; joined rows are (auction, price, ts, id, category, seller). */
    private static final String WHERE = " WHERE a.category = 10 AND b.price > 5 AND b.price + a.seller > 3";

    private static CompiledScript join(String kind, String where, String rules) {
        return compile(DDL + "INSERT INTO out1 SELECT b.auction, b.price, a.category FROM bids b " + kind
                + " JOIN auctions a ON a.id = b.auction" + where + ";\n", rules);
    }

    private static StreamStreamJoinStep theJoin(CompiledScript compiled) {
        return all(root(compiled, "insert_out1"), StreamStreamJoinStep.class).get(0);
    }

    /** The predicates of the filters stacked on one join input, below its re-key, top first. */
    private static List<String> filtersOf(Step input) {
        List<String> out = new java.util.ArrayList<>();
        Step s = ((RekeyStep) input).input();
        while (true) {
            if (s instanceof FilterStep f) {
                out.add(f.name() + " " + f.predicate());
            } else if (s.inputs().size() != 1) {
                return out;
            }
            s = s.inputs().get(0);
        }
    }

    private static String above(CompiledScript compiled) {
        return all(root(compiled, "insert_out1"), FilterStep.class).stream()
                .filter(f -> f.input() instanceof StreamStreamJoinStep).map(f -> f.predicate().toString())
                .findFirst().orElse("none");
    }

    @Test
    void anInnerJoinTakesEachSidesConjunctsBelowItsRekeysAndKeepsTheWholeWhereAboveAsARecheck() {
        CompiledScript compiled = join("", WHERE, "pushdown");
        StreamStreamJoinStep j = theJoin(compiled);
        assertEquals(List.of("insert_out1-where-left >($1, 5)",
                "insert_out1-b-key-not-null SLUICE_JOIN_KEY('b', IS NOT NULL($0))"), filtersOf(j.left()));
        assertEquals(List.of("insert_out1-where-right =($1, 10)",
                "insert_out1-a-key-not-null SLUICE_JOIN_KEY('a', IS NOT NULL($0))"), filtersOf(j.right()));
        assertEquals("AND(=($4, 10), >($1, 5), >(+($1, $5), 3))", above(compiled));
        assertEquals(3, compiled.optimization().fired().size(), compiled.optimization().toString());
    }

    @Test
    void anInnerJoinWhoseWhereReadsOneSideOnlyKeepsItAboveAsARecheck() {
        CompiledScript compiled = join("", " WHERE a.category = 10", "pushdown");
        StreamStreamJoinStep j = theJoin(compiled);
        assertEquals("insert_out1-where-right =($1, 10)", filtersOf(j.right()).get(0));
        assertEquals("=($4, 10)", above(compiled)); // kept as the recheck that makes resuming safe
    }

    @Test
    void aLeftJoinTakesOnlyItsPreservedSidesConjunctsAndTheRightSideConjunctStaysAbove() {
        CompiledScript compiled = join("LEFT", WHERE, "pushdown");
        StreamStreamJoinStep j = theJoin(compiled);
        assertEquals(List.of("insert_out1-where-left >($1, 5)"), filtersOf(j.left()));
        // below the join it would keep NULL-padded bids whose auction is not of category 10
        assertEquals(List.of("insert_out1-a-key-not-null SLUICE_JOIN_KEY('a', IS NOT NULL($0))"), filtersOf(j.right()));
        assertEquals("AND(=($4, 10), >($1, 5), >(+($1, $5), 3))", above(compiled)); // the whole WHERE: right side and recheck
    }

    @Test
    void aRightJoinIsALeftJoinWithSidesSwappedAndTakesOnlyThePreservedAuctionsConjunct() {
        CompiledScript compiled = join("RIGHT", WHERE, "pushdown");
        StreamStreamJoinStep j = theJoin(compiled);
        assertEquals(List.of("insert_out1-where-left =($1, 10)"), filtersOf(j.left()));
        assertEquals(List.of("insert_out1-b-key-not-null SLUICE_JOIN_KEY('b', IS NOT NULL($0))"), filtersOf(j.right()));
        assertEquals("AND(=($1, 10), >($4, 5), >(+($4, $2), 3))", above(compiled));
    }

    @Test
    void aFullJoinTakesNothingBecauseBothSidesArePadded() {
        CompiledScript compiled = join("FULL", WHERE, "pushdown");
        assertEquals(List.of(), compiled.optimization().fired(), compiled.optimization().toString());
        assertEquals("AND(=($4, 10), >($1, 5), >(+($1, $5), 3))", above(compiled));
    }

    @Test
    void aNonDeterministicConjunctStaysAboveTheJoin() {
        CompiledScript compiled = join("", " WHERE RAND() < 0.5 AND a.category = 10", "pushdown");
        StreamStreamJoinStep j = theJoin(compiled);
        assertEquals("insert_out1-where-right =($1, 10)", filtersOf(j.right()).get(0));
        assertEquals("AND(<(RAND(), 0.5), =($4, 10))", above(compiled));
    }

    @Test
    void withoutTheRuleTheWhereStaysAboveTheJoin() {
        CompiledScript compiled = join("", WHERE, "none");
        assertEquals("AND(=($4, 10), >($1, 5), >(+($1, $5), 3))", above(compiled));
    }
}
