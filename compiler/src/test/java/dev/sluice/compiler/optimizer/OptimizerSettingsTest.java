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
        assertEquals(List.of("pushdown", "prune", "rekey", "share"), OptimizerSettings.parse("all").ordered());
        assertEquals(Set.of(), OptimizerSettings.parse("none").rules());
        assertEquals(Set.of(), OptimizerSettings.parse("").rules());
    }

    @Test
    void anUnknownRuleIsAnErrorAtItsSetStatementNamingTheKnownRules() {
        SqlException e = assertThrows(SqlException.class,
                () -> compile(EVENTS + "SET 'sluice.optimizer.rules' = 'share,fold';\n"));
        assertTrue(e.getMessage().contains("unknown rule 'fold'; rules are pushdown, prune, rekey, share"),
                e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void withoutASetNoRuleRunsSoStoreNamesStayAsTheyWere() {
        CompiledScript compiled = compile(TWO_SESSIONS);
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
