package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.QueryPlan;

import java.util.List;

/**
 * One rewrite of a script's plans, in three parts (seed 003, option C): {@link #match} finds where
 * the rule could apply, {@link #applyIf} says whether it pays for itself there, {@link #rewrite}
 * applies it. Rules see every query of the script at once, so a rule may rewrite across queries.
 *
 * <p>A rewrite must keep every query's output rows exactly (OptimizerEquivalenceTest checks it on
 * every shipped pipeline), and must name new steps from stable inputs only (query ids, existing
 * step names, plan hashes), so that every instance and every restart builds the same topology.
 *
 * @param <M> what a match found
 */
public interface OptimizationRule<M> {

    /** The name {@code SET 'sluice.optimizer.rules'} uses. */
    String name();

    /** Places the rule applies, in a deterministic order (best first). */
    List<M> match(List<QueryPlan> plans);

    /** The cost test: apply only where it saves state, repartitioned bytes or work. */
    boolean applyIf(M match, List<QueryPlan> plans);

    List<QueryPlan> rewrite(List<QueryPlan> plans, M match);

    /** One line for {@code sluice explain}: what was rewritten where. */
    String describe(M match);
}
