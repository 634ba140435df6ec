package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.RankStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.CLICKS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deduplication's rank is the constant 1, so the WHERE (or QUALIFY) on it that chose the
 * deduplication is true of every row: no filter is planned for it (a filter over a table makes the
 * table read each key's old row at every cache flush), and the rest of such a condition stays.
 */
class AlwaysTrueConditionsTest {
    private static String lastClick(String condition) {
        return CLICKS + "CREATE TABLE last_click AS SELECT user_id, page, ts FROM (SELECT *, ROW_NUMBER() OVER "
                + "(PARTITION BY user_id ORDER BY ts DESC) AS rn FROM clicks) WHERE " + condition + ";\n";
    }

    private static List<FilterStep> filters(CompiledScript compiled) {
        return all(root(compiled, "last_click"), FilterStep.class);
    }

    @ParameterizedTest(name = "WHERE {0}")
    @ValueSource(strings = {"rn = 1", "rn <= 1", "1 = rn", "rn < 2", "1 >= rn"})
    void aDeduplicationsRankConditionPlansNoFilter(String condition) {
        CompiledScript compiled = compile(lastClick(condition), "all");
        assertEquals(1, all(root(compiled, "last_click"), DeduplicateStep.class).size(),
                OptimizerFixtures.explain(compiled));
        assertEquals(List.of(), filters(compiled), OptimizerFixtures.explain(compiled));
        String topology = compiled.topology().describe().toString();
        assertFalse(topology.contains("last_click-where"), topology);
        // the steps after it keep their names
        assertTrue(topology.contains("last_click-select"), topology);
    }

    private static String topPages(String condition) {
        return CLICKS + "CREATE TABLE top_pages AS SELECT user_id, page, ms, rn FROM (SELECT *, ROW_NUMBER() OVER "
                + "(PARTITION BY user_id ORDER BY ms DESC) AS rn FROM clicks) WHERE " + condition + ";\n";
    }

    /** A Top-N keeps its rank in the output (Nexmark q19): ranks 1 to the limit the condition set. */
    @ParameterizedTest(name = "WHERE {0}")
    @ValueSource(strings = {"rn <= 3", "rn < 4", "3 >= rn", "rn <= 3 AND rn > 0", "rn <= 3 AND rn <> 4"})
    void aTopNsRankConditionPlansNoFilter(String condition) {
        CompiledScript compiled = compile(topPages(condition), "all");
        List<RankStep> ranks = all(root(compiled, "top_pages"), RankStep.class);
        assertEquals(1, ranks.size(), OptimizerFixtures.explain(compiled));
        assertEquals(3, ranks.get(0).limit(), OptimizerFixtures.explain(compiled));
        assertEquals(List.of(), all(root(compiled, "top_pages"), FilterStep.class), OptimizerFixtures.explain(compiled));
        assertFalse(compiled.topology().describe().toString().contains("top_pages-where"));
    }

    @ParameterizedTest(name = "WHERE {0}")
    @ValueSource(strings = {"rn <= 3 AND rn >= 2", "rn = 2", "rn <= 3 AND rn <> 2"})
    void aConditionSomeRanksFailStays(String condition) {
        CompiledScript compiled = compile(topPages(condition), "all");
        assertEquals(1, all(root(compiled, "top_pages"), FilterStep.class).size(), OptimizerFixtures.explain(compiled));
    }

    @Test
    void theOtherConjunctsOfTheConditionStay() {
        CompiledScript compiled = compile(lastClick("rn = 1 AND ms > 10"), "all");
        List<FilterStep> filters = filters(compiled);
        assertEquals(1, filters.size(), OptimizerFixtures.explain(compiled));
        String predicate = filters.get(0).predicate().toString();
        assertTrue(predicate.contains("$2") && !predicate.contains("AND") && !predicate.contains("$4"), predicate);
        assertTrue(compiled.topology().describe().toString().contains("last_click-where"));
    }

    @Test
    void aConditionOnAColumnThatIsNotConstantStays() {
        CompiledScript compiled = compile(CLICKS + "CREATE STREAM big AS SELECT user_id, ms FROM clicks WHERE ms = 1;\n",
                "all");
        assertEquals(1, all(root(compiled, "big"), FilterStep.class).size(), OptimizerFixtures.explain(compiled));
    }

    @Test
    void aFalseConstantComparisonStays() {
        CompiledScript compiled = compile(CLICKS + "CREATE STREAM none AS SELECT * FROM (SELECT user_id, 1 AS one "
                + "FROM clicks) WHERE one = 2 OR one = 1;\n"
                + "CREATE STREAM still_none AS SELECT * FROM (SELECT user_id, 1 AS one FROM clicks) WHERE one = 2;\n",
                "all");
        assertEquals(1, all(root(compiled, "still_none"), FilterStep.class).size(), OptimizerFixtures.explain(compiled));
        // an OR is not decided here (only conjuncts are), though it is true
        assertEquals(1, all(root(compiled, "none"), FilterStep.class).size(), OptimizerFixtures.explain(compiled));
    }
}
