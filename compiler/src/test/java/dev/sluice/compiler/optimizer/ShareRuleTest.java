package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.CLICKS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.all;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static dev.sluice.compiler.optimizer.OptimizerFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShareRuleTest {
    /** Seed 003's three models, each sessionizing in its own words. */
    static final String MODELS = EVENTS
            + "CREATE TABLE a AS SELECT user_id, COUNT(*) AS sessions FROM (SELECT user_id, COUNT(*) AS n FROM events "
            + "GROUP BY user_id, SESSION(event_time, INTERVAL '30' MINUTE)) s GROUP BY user_id;\n"
            + "CREATE TABLE b AS WITH us AS (SELECT FIRST(country) AS c, SUM(revenue) AS r, user_id FROM events "
            + "GROUP BY SESSION(event_time, INTERVAL '30' MINUTE), user_id) SELECT c, SUM(r) AS revenue FROM us GROUP BY c;\n"
            + "CREATE TABLE c AS SELECT h, AVG(rev) AS per_session FROM (SELECT SUM(e.revenue) AS rev, "
            + "HOUR(SESSION_START(e.event_time, INTERVAL '%d' MINUTE)) AS h FROM events AS e "
            + "GROUP BY e.user_id, SESSION(e.event_time, INTERVAL '%d' MINUTE)) p GROUP BY h;\n";

    private static String models(int cGap) {
        return String.format(MODELS, cGap, cGap);
    }

    /** The session aggregation of a model: the windowed aggregate in its plan. */
    private static AggregateStep sessions(CompiledScript compiled, String query) {
        return all(root(compiled, query), AggregateStep.class).stream().filter(a -> a.window().isPresent())
                .findFirst().orElseThrow();
    }

    @Test
    void threeSessionizationsWrittenDifferentlyBecomeOneAggregationOfTheUnionOfTheirAggregates() {
        CompiledScript compiled = compile(models(30), "share");
        AggregateStep a = sessions(compiled, "a");
        assertEquals(a, sessions(compiled, "b"));
        assertEquals(a, sessions(compiled, "c"));
        assertTrue(a.name().matches("shared-[0-9a-f]{8}-aggregate"), a.name());
        // a needs COUNT(*); b adds FIRST(country) and SUM(revenue); c's SUM(revenue) is b's.
        assertEquals(List.of("COUNT", "FIRST", "SUM"), a.calls().stream().map(AggregateCall::function).toList());
        // Prepared input: user_id, event time (a's), then country and revenue (b's), each once.
        ProjectStep prepare = (ProjectStep) ((RekeyStep) a.input()).input();
        assertEquals(List.of("$0", "$3", "$1", "$2"), prepare.expressions().stream().map(Object::toString).toList());
        assertEquals(List.of(new OptimizationReport.SharedNode(a.name(), "Aggregate", List.of("a", "b", "c"))),
                compiled.optimization().shared().stream().filter(n -> n.kind().equals("Aggregate")).toList());
    }

    @Test
    void eachConsumerReadsItsOwnColumnsOfTheSharedAggregation() {
        CompiledScript compiled = compile(models(30), "share");
        // Shared output: user_id, window_start, window_end, COUNT, FIRST(country), SUM(revenue).
        // c's inner SELECT is SUM(revenue), HOUR(window_start): columns 5 and 1.
        ProjectStep cSelect = all(root(compiled, "c"), ProjectStep.class).stream()
                .filter(p -> p.name().equals("c-p-select")).findFirst().orElseThrow();
        assertEquals(new Expr.InputRef(5, ScalarType.DOUBLE), cSelect.expressions().get(0));
        assertEquals("HOUR($1)", cSelect.expressions().get(1).toString());
        // b's CTE SELECT is FIRST(country), SUM(revenue), user_id: columns 4, 5, 0.
        ProjectStep bSelect = all(root(compiled, "b"), ProjectStep.class).stream()
                .filter(p -> p.name().equals("b-us-select")).findFirst().orElseThrow();
        assertEquals(List.of("$4", "$5", "$0"), bSelect.expressions().stream().map(Object::toString).toList());
    }

    @Test
    void aSixtyMinuteSessionIsNotSharedWithThirtyMinuteOnes() {
        CompiledScript compiled = compile(models(60), "share");
        assertEquals(sessions(compiled, "a"), sessions(compiled, "b"));
        assertNotEquals(sessions(compiled, "a"), sessions(compiled, "c"));
        assertEquals("c-p-aggregate", sessions(compiled, "c").name());
        assertEquals(1800000L, sessions(compiled, "a").window().orElseThrow().sizeMs());
        assertEquals(3600000L, sessions(compiled, "c").window().orElseThrow().sizeMs());
    }

    @Test
    void differentGroupKeysOrFiltersAreNotShared() {
        CompiledScript compiled = compile(EVENTS
                + "CREATE TABLE by_user AS SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id;\n"
                + "CREATE TABLE by_country AS SELECT country, COUNT(*) AS n FROM events GROUP BY country;\n"
                + "CREATE TABLE big_by_user AS SELECT user_id, COUNT(*) AS n FROM events WHERE revenue > 10 "
                + "GROUP BY user_id;\n", "share");
        assertTrue(compiled.optimization().fired().isEmpty(), compiled.optimization().toString());
        assertTrue(compiled.optimization().shared().isEmpty());
    }

    @Test
    void equalAggregationsWithTheSameFilterAreSharedWhateverTheAliases() {
        CompiledScript compiled = compile(EVENTS
                + "CREATE TABLE x AS SELECT user_id AS u, SUM(revenue) AS total FROM events WHERE revenue > 10 "
                + "GROUP BY user_id;\n"
                + "CREATE TABLE y AS SELECT MAX(ev.revenue) AS top, ev.user_id FROM events ev WHERE ev.revenue > 10 "
                + "GROUP BY ev.user_id;\n", "share");
        Step x = all(root(compiled, "x"), AggregateStep.class).get(0);
        Step y = all(root(compiled, "y"), AggregateStep.class).get(0);
        assertSame(x.getClass(), y.getClass());
        assertEquals(x, y);
        assertEquals(List.of("SUM", "MAX"), ((AggregateStep) x).calls().stream().map(AggregateCall::function).toList());
    }

    @Test
    void theSharedNameDependsOnWhatIsComputedNotOnNamesOrRuns() {
        String first = sessions(compile(models(30), "share"), "a").name();
        String again = sessions(compile(models(30), "share"), "a").name();
        String renamed = sessions(compile(models(30).replace(" s GROUP BY", " sess GROUP BY")
                .replace("us AS", "user_sessions AS").replace("FROM us", "FROM user_sessions"), "share"), "a").name();
        assertEquals(first, again);
        assertEquals(first, renamed);
    }

    @Test
    void aSingleQuerySharesNothing() {
        CompiledScript compiled = compile(EVENTS + "CREATE TABLE x AS SELECT user_id, COUNT(*) AS n FROM events "
                + "GROUP BY user_id;\n", "all");
        assertTrue(compiled.optimization().shared().isEmpty());
        assertEquals("x-aggregate", all(root(compiled, "x"), AggregateStep.class).get(0).name());
    }

    /** Nexmark q5's shape over CLICKS: a HOP count per user, joined with the per-window maximum of the same count. */
    static final String HOT_USERS = CLICKS + "CREATE STREAM hot AS SELECT c.user_id, c.n FROM ("
            + "SELECT user_id, COUNT(*) AS n, window_start AS ws, window_end AS we "
            + "FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) "
            + "GROUP BY user_id, window_start, window_end) c JOIN ("
            + "SELECT MAX(p.n) AS top, p.ws, p.we FROM (SELECT COUNT(*) AS n, window_start AS ws, window_end AS we "
            + "FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) "
            + "GROUP BY user_id, window_start, window_end) p GROUP BY p.ws, p.we) b "
            + "ON c.ws = b.ws AND c.we = b.we AND c.n >= b.top;\n";

    /** The windowed aggregates of a plan over {@code user_id} (the per-user counts). */
    private static List<AggregateStep> perUserCounts(CompiledScript compiled) {
        return all(root(compiled, "hot"), AggregateStep.class).stream()
                .filter(a -> a.window().isPresent() && !a.groupKeys().isEmpty()
                        && a.keySchema().columns().get(0).name().equals("user_id"))
                .toList();
    }

    @Test
    void theSameWindowedCountTwiceInOneQueryIsComputedOnceAndReadByBoth() {
        assertEquals(2, perUserCounts(compile(HOT_USERS, "none")).size(), "planned: two counts");
        CompiledScript shared = compile(HOT_USERS, "all");
        List<AggregateStep> counts = perUserCounts(shared);
        assertEquals(1, counts.size(), "optimized: one count\n" + OptimizerFixtures.explain(shared));
        String name = counts.get(0).name();
        assertTrue(name.matches("hot-shared-[0-9a-f]{8}-aggregate"), name);
        OptimizationReport.SharedNode node = shared.optimization().shared().stream()
                .filter(n -> n.name().equals(name)).findFirst().orElseThrow();
        assertEquals("Aggregate", node.kind());
        assertEquals(2, node.consumers().size(), node.consumers().toString());
        assertTrue(node.consumers().stream().allMatch(c -> c.startsWith("hot via ")), node.consumers().toString());
        assertTrue(shared.optimization().fired().stream().anyMatch(f -> f.rule().equals("share")
                && f.description().startsWith(name + " computes ")), shared.optimization().fired().toString());
        assertEquals(name, perUserCounts(compile(HOT_USERS.replace("p.", "per_user.")
                .replace(") p GROUP", ") per_user GROUP"), "all")).get(0).name(),
                "the name depends on what is computed, not on aliases");
    }

    @Test
    void identicalAggregatesJoinedDirectlyWithEachOtherStayTwo() {
        CompiledScript compiled = compile(EVENTS + "CREATE TABLE twice AS SELECT a.user_id, a.n, b.m FROM "
                + "(SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id) a JOIN "
                + "(SELECT user_id, COUNT(*) AS m FROM events GROUP BY user_id) b ON a.user_id = b.user_id;\n", "all");
        assertEquals(2, all(root(compiled, "twice"), AggregateStep.class).size(), OptimizerFixtures.explain(compiled));
        assertTrue(compiled.optimization().shared().isEmpty(), compiled.optimization().shared().toString());
    }
}
