package dev.sluice.compiler.changelog;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.Steps;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.ChangelogInference;
import dev.sluice.runtime.plan.ChangelogMode;
import dev.sluice.runtime.plan.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changelog modes are inferred over the plan, printed by explain, and checked against the sink. */
class ChangelogModeTest {
    private static final String EVENTS = "CREATE STREAM events (user_id VARCHAR, region VARCHAR, n INT, "
            + "event_time TIMESTAMP, WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND) "
            + "WITH ('topic' = 'events', 'format' = 'json');\n";
    private static final String USERS = "CREATE TABLE users (id VARCHAR PRIMARY KEY, tier VARCHAR) "
            + "WITH ('topic' = 'users', 'format' = 'json');\n";
    private static final String PER_USER = "SELECT user_id, region, COUNT(*) AS n FROM events GROUP BY user_id, region";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "test", BuildOptions.PRODUCTION);
    }

    private static Step root(CompiledScript script, String id) {
        return script.queries().stream().filter(q -> q.id().equals(id)).findFirst().orElseThrow().plan().root();
    }

    private static List<Step> steps(Step root) {
        Set<Step> out = new LinkedHashSet<>();
        collect(root, out);
        return new ArrayList<>(out);
    }

    private static void collect(Step s, Set<Step> out) {
        if (out.add(s)) {
            s.inputs().forEach(in -> collect(in, out));
        }
    }

    @Test
    void aGroupByOverAGroupByMakesTheInnerAggregateRetractAndTheOuterOneUpsert() {
        CompiledScript script = compile(EVENTS + "CREATE TABLE per_region AS SELECT region, SUM(n) AS total, "
                + "COUNT(*) AS users FROM (" + PER_USER + ") t GROUP BY region;\n");
        Step root = root(script, "per_region");
        ChangelogInference.Result modes = ChangelogInference.infer(List.of(root));
        List<AggregateStep> aggregates = steps(root).stream().filter(s -> s instanceof AggregateStep)
                .map(s -> (AggregateStep) s).toList();
        assertEquals(2, aggregates.size());
        AggregateStep outer = aggregates.get(0);
        AggregateStep inner = aggregates.get(1);
        assertEquals(AggregateStep.Kind.TABLE, outer.kind());
        assertEquals(AggregateStep.Kind.STREAM, inner.kind());
        assertEquals(ChangelogMode.RETRACT, modes.of(inner), "the outer GROUP BY needs the inner one's old rows");
        assertEquals(ChangelogMode.UPSERT, modes.of(outer));
        assertEquals(ChangelogMode.UPSERT, modes.of(root));
        assertTrue(modes.violations().isEmpty(), modes.violations().toString());
        // The source stays insert-only: retraction starts at the aggregate.
        assertEquals(ChangelogMode.INSERT_ONLY, modes.of(steps(root).get(steps(root).size() - 1)));
    }

    @Test
    void explainPrintsWhatEachStepEmitsAndWhatItAccepts() {
        CompiledScript script = compile(EVENTS + "CREATE TABLE per_user AS " + PER_USER + ";\n");
        String explained = Steps.explain(root(script, "per_user"));
        assertTrue(explained.contains("Aggregate [per_user-aggregate] stream group"), explained);
        assertTrue(explained.lines().filter(l -> l.contains("Aggregate [")).findFirst().orElseThrow()
                .endsWith("emits upsert, accepts append-only"), explained);
        assertTrue(explained.lines().filter(l -> l.contains("Source [events]")).findFirst().orElseThrow()
                .endsWith("emits insert-only"), explained);
    }

    @Test
    void aWindowedAggregateWithEmitFinalAppendsAndMayFeedAStream() {
        CompiledScript script = compile(EVENTS + "CREATE STREAM per_minute AS SELECT region, COUNT(*) AS c FROM events "
                + "GROUP BY region, TUMBLE(event_time, INTERVAL '1' MINUTE);\n");
        assertEquals(ChangelogMode.INSERT_ONLY, ChangelogInference.infer(List.of(root(script, "per_minute")))
                .of(root(script, "per_minute")));
    }

    @Test
    void anUpdatingResultIntoACreatedStreamIsWrittenAsChangeRecordsWithANote() {
        CompiledScript script = compile(EVENTS + "CREATE STREAM per_user AS " + PER_USER + ";\n");
        var query = script.queries().get(0);
        assertTrue(query.plan().changeRecords());
        assertEquals("op", query.schema().column(query.schema().size() - 1).name());
        assertTrue(!query.table(), "the sink is a stream of change records, not a changelog");
        assertTrue(script.notes().stream().anyMatch(n -> n.startsWith("per_user: the result updates "
                + "(per_user-aggregate emits upsert rows), so each change is written")), script.notes().toString());
    }

    @Test
    void aWindowOverAnUpdatingResultIsRefusedAndSaysWhy() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE TABLE accounts (id VARCHAR PRIMARY KEY, tier VARCHAR, updated_at TIMESTAMP ROWTIME) "
                        + "WITH ('topic' = 'accounts', 'format' = 'json');\n"
                        + "CREATE TABLE per_minute AS SELECT tier, COUNT(*) AS c FROM accounts "
                        + "GROUP BY tier, TUMBLE(updated_at, INTERVAL '1' MINUTE);\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("its rows change"), e.getMessage());
    }

    @Test
    void anUpdatingResultInsertedIntoADeclaredStreamIsAnError() {
        SqlException e = assertThrows(SqlException.class, () -> compile(EVENTS
                + "CREATE STREAM counts (user_id VARCHAR, region VARCHAR, n BIGINT) WITH ('topic' = 'counts', "
                + "'format' = 'json');\n"
                + "INSERT INTO counts " + PER_USER + ";\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("`counts` is a STREAM, which only appends"), e.getMessage());
    }

    @Test
    void anUpsertKafkaConnectorAcceptsAnUpdatingResult() {
        compile(EVENTS + "CREATE STREAM per_user WITH ('connector' = 'upsert-kafka') AS " + PER_USER + ";\n");
    }

    @Test
    void aTableSinkAcceptsUpsertsAndABareSelectPrintsTheChangelog() {
        compile(EVENTS + USERS + "CREATE TABLE per_user AS " + PER_USER + ";\n"
                + "SELECT tier, COUNT(*) AS c FROM users GROUP BY tier;\n");
    }

    @Test
    void aGroupByOverATableIsATableAggregationThatRetracts() {
        CompiledScript script = compile(EVENTS + USERS + "CREATE TABLE per_tier AS SELECT tier, COUNT(*) AS c "
                + "FROM users GROUP BY tier;\n");
        AggregateStep a = steps(root(script, "per_tier")).stream().filter(s -> s instanceof AggregateStep)
                .map(s -> (AggregateStep) s).findFirst().orElseThrow();
        assertEquals(AggregateStep.Kind.TABLE, a.kind());
        assertEquals(List.of(dev.sluice.runtime.plan.InputRequirement.RETRACT), ChangelogInference.accepts(a));
        assertEquals(ChangelogMode.RETRACT, ChangelogInference.infer(List.of(root(script, "per_tier"))).of(a.input()));
    }
}
