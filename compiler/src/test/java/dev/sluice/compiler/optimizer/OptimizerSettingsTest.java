package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.EVENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerSettingsTest {
    private static final String TWO_SESSIONS = EVENTS
            + "CREATE TABLE x AS SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id;\n"
            + "CREATE TABLE y AS SELECT user_id, SUM(revenue) AS r FROM events GROUP BY user_id;\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "test", BuildOptions.PRODUCTION);
    }

    @Test
    void listsAllAndNoneParse() {
        assertEquals(Set.of("share", "prune"), OptimizerSettings.parse(" Share, prune ").rules());
        assertEquals(List.of("pushdown", "prune", "rekey", "colocate", "onetask", "share", "top"), OptimizerSettings.parse("all").ordered());
        assertEquals(Set.of(), OptimizerSettings.parse("none").rules());
        assertEquals(Set.of(), OptimizerSettings.parse("").rules());
    }

    @Test
    void anUnknownRuleIsAnErrorAtItsSetStatementNamingTheKnownRules() {
        SqlException e = assertThrows(SqlException.class,
                () -> compile(EVENTS + "SET 'sluice.optimizer.rules' = 'share,fold';\n"));
        assertTrue(e.getMessage().contains("unknown rule 'fold'; rules are pushdown, prune, rekey, colocate, onetask, share, top"),
                e.getMessage());
        assertEquals(2, e.line());
    }

    /** Seed 003's three models: each sessionizes the same events per user with a 30-minute gap. */
    private static final String THREE_SESSIONIZING = EVENTS
            + "CREATE TABLE model_a AS SELECT user_id, COUNT(*) AS active_sessions, SUM(n) AS events FROM ("
            + " SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id, SESSION(event_time, INTERVAL '30' MINUTE)"
            + ") s GROUP BY user_id;\n"
            + "CREATE TABLE model_b AS WITH user_sessions AS ("
            + " SELECT FIRST(country) AS session_country, SUM(revenue) AS session_revenue, user_id FROM events"
            + " GROUP BY SESSION(event_time, INTERVAL '30' MINUTE), user_id)"
            + " SELECT session_country AS country, COUNT(*) AS sessions FROM user_sessions GROUP BY session_country;\n"
            + "CREATE TABLE model_c AS SELECT session_hour, COUNT(*) AS sessions FROM ("
            + " SELECT SUM(e.revenue) AS rev, HOUR(SESSION_START(e.event_time, INTERVAL '30' MINUTE)) AS session_hour"
            + " FROM events AS e GROUP BY e.user_id, SESSION(e.event_time, INTERVAL '30' MINUTE)"
            + ") per_session GROUP BY session_hour;\n";

    /** The aggregates' own stores (a session's EMIT FINAL buffer is shared with it). */
    private static java.util.Set<String> stores(CompiledScript compiled) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (var sub : compiled.topology().describe().subtopologies()) {
            for (var node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Processor p) {
                    p.stores().stream().filter(n -> n.endsWith("-aggregate-store")).forEach(out::add);
                }
            }
        }
        return out;
    }

    @Test
    void withoutASetEveryRuleRunsSoThreeQueriesThatSessionizeTheSameEventsShareOneSessionStore() {
        CompiledScript byDefault = compile(THREE_SESSIONIZING);
        CompiledScript without = compile("SET 'sluice.optimizer.rules' = 'none';\n" + THREE_SESSIONIZING);
        assertEquals(OptimizerSettings.ALL, byDefault.optimization().enabledRules());
        java.util.Set<String> perQuery = new java.util.TreeSet<>(stores(without));
        perQuery.removeAll(stores(byDefault));
        java.util.Set<String> shared = new java.util.TreeSet<>(stores(byDefault));
        shared.removeAll(stores(without));
        assertEquals(3, perQuery.size(), "each query's own session store is gone: " + perQuery);
        assertEquals(1, shared.size(), "one session store serves the three: " + shared);
        assertTrue(shared.iterator().next().matches("shared-[0-9a-f]{8}-aggregate-store"), shared.toString());
    }

    @Test
    void noneKeepsTheStoreNamesOfAnApplicationStartedWithoutTheRules() {
        CompiledScript compiled = compile("SET 'sluice.optimizer.rules' = 'none';\n" + TWO_SESSIONS);
        assertTrue(compiled.optimization().enabledRules().isEmpty());
        assertTrue(compiled.optimization().shared().isEmpty());
        assertTrue(compiled.topology().describe().toString().contains("x-aggregate-store"));
    }

    @Test
    void setTurnsTheNamedRulesOn() {
        CompiledScript compiled = compile("SET 'sluice.optimizer.rules' = 'share';\n" + TWO_SESSIONS);
        assertEquals(List.of("share"), compiled.optimization().enabledRules());
        assertEquals(1, compiled.optimization().fired().size());
        String topology = compiled.topology().describe().toString();
        assertTrue(topology.matches("(?s).*shared-[0-9a-f]{8}-aggregate-store.*"), topology);
        assertTrue(!topology.contains("x-aggregate-store"), topology);
    }
}
