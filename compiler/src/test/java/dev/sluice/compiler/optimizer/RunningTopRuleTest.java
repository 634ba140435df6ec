package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where {@link RunningTopRule} puts {@code SLUICE_RUNNING_TOP} (Nexmark q5's shape) and every change
 * of that shape that makes a row below an earlier one of its group able to match, where it must not.
 */
class RunningTopRuleTest {
    static final String BIDS = "CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('topic' = 'bid', 'format' = 'json');\n";
    private static final String COUNTS = "SELECT auction, COUNT(*) AS num, window_start AS ws, window_end AS we "
            + "FROM TABLE(HOP(TABLE bid, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) "
            + "GROUP BY auction, window_start, window_end";

    /** q5 with the join's condition, the right side's aggregate call and its input's filter as given. */
    static String q5(String on, String call, String perAuctionWhere, String bestGroup) {
        return BIDS + "CREATE STREAM hot AS SELECT counts.auction, counts.num, counts.we FROM (" + COUNTS + ") counts "
                + "JOIN (SELECT " + call + "(per_auction.num) AS top, " + bestGroup + " FROM (" + COUNTS + ") per_auction "
                + perAuctionWhere + " GROUP BY " + bestGroup + ") best ON " + on + ";\n";
    }

    static String q5() {
        return q5("counts.ws = best.ws AND counts.we = best.we AND counts.num >= best.top", "MAX", "",
                "per_auction.ws, per_auction.we");
    }

    private static List<FilterStep> tops(CompiledScript compiled) {
        return all(root(compiled, "hot"), FilterStep.class).stream()
                .filter(f -> f.predicate() instanceof Expr.Call c && c.function().equals(RunningTopRule.FUNCTION))
                .toList();
    }

    private static long fired(CompiledScript compiled) {
        return compiled.optimization().fired().stream().filter(f -> f.rule().equals("top")).count();
    }

    @Test
    void q5sCountsAreFilteredByTheirWindowsRunningTopOnTheJoinSideOnly() {
        CompiledScript compiled = compile(q5(), "all");
        assertEquals(1, fired(compiled), compiled.optimization().toString());
        List<FilterStep> tops = tops(compiled);
        assertEquals(1, tops.size(), OptimizerFixtures.explain(compiled));
        FilterStep top = tops.get(0);
        assertEquals("hot-join-best-running-top", top.name());
        // COUNT(*) (column 3 of the shared aggregate) per (window_start, window_end)
        assertEquals(new Expr.Call(RunningTopRule.FUNCTION, List.of(new Expr.InputRef(3, ScalarType.BIGINT),
                new Expr.InputRef(1, ScalarType.TIMESTAMP), new Expr.InputRef(2, ScalarType.TIMESTAMP)),
                ScalarType.BOOLEAN), top.predicate());
        // the aggregate is still one step, read by the filter and by the MAX's side
        String explain = OptimizerFixtures.explain(compiled);
        assertTrue(explain.contains("Filter [hot-join-best-running-top]"), explain);
        // the topology is the one without the rule: the filter is chained into the re-key's processor
        assertEquals(compile(q5(), "pushdown,prune,rekey,colocate,share").topology().describe().toString(),
                compiled.topology().describe().toString());
    }

    @Test
    void theMirroredComparisonQualifiesToo() {
        assertEquals(1, fired(compile(q5("counts.ws = best.ws AND counts.we = best.we AND best.top <= counts.num", "MAX",
                "", "per_auction.ws, per_auction.we"), "all")));
    }

    @Test
    void rowsThatCouldStillMatchAreNeverFiltered() {
        String window = "per_auction.ws, per_auction.we";
        String on = "counts.ws = best.ws AND counts.we = best.we AND ";
        List<String> cannot = List.of(
                // a row below the MIN, or strictly below the top, can match
                q5(on + "counts.num >= best.top", "MIN", "", window),
                q5(on + "counts.num <= best.top", "MAX", "", window),
                q5(on + "counts.num < best.top", "MAX", "", window),
                // the MAX of fewer rows than the join's side sees can lie below a row that was let through
                q5(on + "counts.num >= best.top", "MAX", "WHERE per_auction.auction <> 3", window),
                // grouped by the window's end alone the MAX is a table (updated as counts arrive), joined as such:
                // a row meets the top of its arrival, which may still be below it
                q5("counts.we = best.we AND counts.num >= best.top", "MAX", "", "per_auction.we"),
                // a condition in an OR
                q5(on + "(counts.num >= best.top OR counts.auction = 7)", "MAX", "", window),
                // groups of the MAX that are not the join's key: one key meets several tops
                q5("counts.we = best.we AND counts.num >= best.top", "MAX", "", window),
                // no window among the group: rows of several windows in one group (different timestamps)
                BIDS + "CREATE STREAM hot AS SELECT counts.auction, counts.num FROM (" + COUNTS + ") counts JOIN "
                        + "(SELECT MAX(per_auction.num) AS top, per_auction.auction FROM (" + COUNTS + ") per_auction "
                        + "GROUP BY per_auction.auction) best ON counts.auction = best.auction "
                        + "AND counts.num >= best.top;\n");
        for (String sql : cannot) {
            CompiledScript compiled = compile(sql, "all");
            assertEquals(0, fired(compiled), sql + "\n" + compiled.optimization());
            assertTrue(tops(compiled).isEmpty(), sql);
        }
    }

    @Test
    void theRuleIsNamedAndCanBeTurnedOff() {
        assertEquals(0, fired(compile(q5(), "pushdown,prune,rekey,colocate,share")));
        assertTrue(tops(compile(q5(), "pushdown,prune,rekey,colocate,share")).isEmpty());
        // without sharing there are two aggregates: the MAX's input is not the join side's aggregate
        assertEquals(0, fired(compile(q5(), "top")));
    }
}
