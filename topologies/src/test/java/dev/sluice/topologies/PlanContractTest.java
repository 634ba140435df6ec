package dev.sluice.topologies;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.plan.Step;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Every step of every shipped pipeline keeps the plan contract the optimizer relies on: rebuilt
 * over its own inputs it is equal to itself, renamed it changes only its name, and the shipped
 * pipelines (with a script of its own for the table functions no pipeline uses yet) use every step
 * type (so this test sees them all).
 */
class PlanContractTest {
    private static final String TABLE_FUNCTIONS = "CREATE STREAM A (K STRING KEY, X ARRAY<INT>) "
            + "WITH (kafka_topic='a', value_format='JSON');\n"
            + "CREATE STREAM OUT AS SELECT K, EXPLODE(X) AS E, CUBE_EXPLODE(X) AS C FROM A;";

    @Test
    void everyStepRebuiltOverItsInputsOrUnderItsNameIsEqualToItself() {
        Set<String> types = new TreeSet<>();
        java.util.Map<String, CompiledScript> scripts = new java.util.LinkedHashMap<>();
        for (Path pipeline : Pipelines.all()) {
            scripts.put(pipeline.getFileName().toString(), Pipelines.compile(pipeline, BuildOptions.REPLAY));
        }
        // Step types no shipped pipeline uses yet, from a script of their own: ksqlDB's table functions.
        scripts.put("table-functions.sql", new dev.sluice.compiler.SluiceCompiler(
                dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock()).compile(TABLE_FUNCTIONS, "contract",
                BuildOptions.REPLAY));
        for (java.util.Map.Entry<String, CompiledScript> entry : scripts.entrySet()) {
            CompiledScript script = entry.getValue();
            for (CompiledQuery q : script.queries()) {
                Deque<Step> todo = new ArrayDeque<>();
                todo.push(q.plan().root());
                while (!todo.isEmpty()) {
                    Step s = todo.pop();
                    types.add(s.getClass().getSimpleName());
                    String where = entry.getKey() + ": " + s.name();
                    assertEquals(s, s.withInputs(s.inputs()), where);
                    assertEquals(s, s.withName(s.name()), where);
                    Step renamed = s.withName(s.name() + "-renamed");
                    assertEquals(s.name() + "-renamed", renamed.name(), where);
                    assertNotEquals(s, renamed, where);
                    assertEquals(s, renamed.withName(s.name()), where);
                    assertEquals(s.inputs(), renamed.inputs(), where);
                    s.inputs().forEach(todo::push);
                }
            }
        }
        Set<String> all = new TreeSet<>();
        for (Class<?> c : Step.class.getPermittedSubclasses()) {
            all.add(c.getSimpleName());
        }
        assertEquals(all, types, "step types the shipped pipelines use");
    }
}
