package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.optimizer.StateResources;
import dev.sluice.compiler.optimizer.UpgradeCheck;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sluice diff} and the start-up guard of {@code sluice run} (both {@link UpgradeCheck} over
 * {@link StateResources}) on a window aggregate whose ARRAY_AGG elements moved from the state into
 * {@code <step>-elements-store} (state format 5): the manifest an earlier Sluice left for the same
 * script describes the state without that note, and the check refuses to resume from it, naming the
 * stores whose bytes changed meaning. Aggregates that keep their lists in the value keep their
 * description, so that their applications still resume.
 */
class ArrayAggStateUpgradeTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE) WITH ('topic' = 's', 'format' = 'json');\n";
    private static final String NOTE = ", ARRAY_AGG elements in t-aggregate-elements-store (state format 5)";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    /** The resources as a Sluice before format 5 listed them in its manifest: no note. */
    private static List<StateResources.Resource> beforeFormat5(List<StateResources.Resource> resources) {
        return resources.stream().filter(r -> !r.name().contains("elements-store"))
                .map(r -> new StateResources.Resource(r.name(), r.kind(), r.step(), r.queries(), r.key(),
                        r.value().replace(NOTE, "")))
                .toList();
    }

    @Test
    void stateLeftByAnEarlierSluiceWithTheListsInTheValueIsNotResumedFrom() {
        CompiledScript script = compile(S + "CREATE TABLE t AS SELECT k, ARRAY_AGG(v) AS vs FROM s "
                + "GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)");
        List<StateResources.Resource> now = StateResources.of(script);
        StateResources.Resource store = now.stream().filter(r -> r.name().equals("t-aggregate-store")).findFirst()
                .orElseThrow(() -> new AssertionError(now.toString()));
        assertTrue(store.value().endsWith(NOTE), store.value());
        UpgradeCheck.Result result = UpgradeCheck.compare(script.applicationId(), beforeFormat5(now),
                script.applicationId(), now);
        assertFalse(result.canResume(), String.join("\n", result.explain()));
        List<String> changed = result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.CHANGED_SCHEMA)
                .map(c -> c.resource().name()).toList();
        assertTrue(changed.contains("t-aggregate-store"), changed.toString());
        assertTrue(changed.contains("t-aggregate-suppress-store"), changed.toString());
        assertTrue(String.join("\n", result.explain()).contains("(state format 5)"), String.join("\n", result.explain()));
        // and the same version resumes from its own state
        assertTrue(UpgradeCheck.compare(script, script).canResume());
    }

    /**
     * A GROUP BY without window over a stream (ARRAY_AGG) and one over a table (ARRAY_AGG, FIRST,
     * LAST) keep their elements beside the state since format 9: the description says so, and the
     * state an earlier Sluice left (lists and candidates in the value, no note) is refused.
     */
    @Test
    void groupByWithoutWindowAndOverATableAreFormat9AndDoNotResumeFromTheListsInTheValue() {
        String table = "CREATE TABLE u (id VARCHAR PRIMARY KEY, k VARCHAR, v BIGINT) WITH ('topic' = 'u', 'format' = 'json');\n";
        for (String sql : List.of(
                S + "CREATE TABLE t AS SELECT k, ARRAY_AGG(v) AS vs FROM s GROUP BY k",
                table + "CREATE TABLE t AS SELECT k, COLLECT_LIST(v) AS vs, LAST(v) AS l, COUNT(*) AS n FROM u GROUP BY k")) {
            CompiledScript script = compile(sql);
            List<StateResources.Resource> now = StateResources.of(script);
            StateResources.Resource store = now.stream().filter(r -> r.name().equals("t-aggregate-store")).findFirst()
                    .orElseThrow(() -> new AssertionError(now.toString()));
            assertTrue(store.value().contains("in t-aggregate-elements-store (state format 9)"), store.value());
            List<StateResources.Resource> before = now.stream().filter(r -> !r.name().contains("elements-store"))
                    .map(r -> new StateResources.Resource(r.name(), r.kind(), r.step(), r.queries(), r.key(),
                            r.value().replaceAll(", ARRAY_AGG elements[^(]*\\(state format 9\\)", "")))
                    .toList();
            UpgradeCheck.Result result = UpgradeCheck.compare(script.applicationId(), before, script.applicationId(), now);
            assertFalse(result.canResume(), sql + "\n" + String.join("\n", result.explain()));
            assertTrue(result.changes().stream().anyMatch(c -> c.verdict() == UpgradeCheck.Verdict.CHANGED_SCHEMA
                    && c.resource().name().equals("t-aggregate-store")), String.join("\n", result.explain()));
            assertTrue(UpgradeCheck.compare(script, script).canResume());
        }
    }

    @Test
    void aggregatesKeepingTheirListsInTheValueKeepTheirDescription() {
        CompiledScript script = compile(S + "CREATE TABLE t AS SELECT k, ARRAY_AGG(v) AS vs" + InValueCollections.PAD
                + " FROM s GROUP BY k, TUMBLE(ts, INTERVAL '1' MINUTE)");
        List<StateResources.Resource> now = StateResources.of(script);
        assertTrue(now.stream().noneMatch(r -> r.value().contains("state format")), now.toString());
        assertEquals(now, beforeFormat5(now));
    }
}
