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
 * pipelines use every step type (so this test sees them all).
 */
class PlanContractTest {

    @Test
    void everyStepRebuiltOverItsInputsOrUnderItsNameIsEqualToItself() {
        Set<String> types = new TreeSet<>();
        for (Path pipeline : Pipelines.all()) {
            CompiledScript script = Pipelines.compile(pipeline, BuildOptions.REPLAY);
            for (CompiledQuery q : script.queries()) {
                Deque<Step> todo = new ArrayDeque<>();
                todo.push(q.plan().root());
                while (!todo.isEmpty()) {
                    Step s = todo.pop();
                    types.add(s.getClass().getSimpleName());
                    String where = pipeline.getFileName() + ": " + s.name();
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
