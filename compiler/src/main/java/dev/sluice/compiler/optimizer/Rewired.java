package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.Step;

/**
 * A step after a rewrite, with where each column of the old step's output went in the new one
 * ({@code map[old] = new}, {@code -1} when pruned). Consumers remap their column references with it.
 */
record Rewired(Step step, int[] map) {
    static Rewired unchanged(Step step) {
        return new Rewired(step, Exprs.identity(step.schema().size()));
    }

    boolean isIdentity() {
        return Exprs.isIdentity(map, step.schema().size());
    }
}
