package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.Steps;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every distinct step (by structural equality, as the topology builder sees them) of a script's
 * plans, in first-seen pre-order, with the queries that contain it and how many parents read it.
 */
final class PlanIndex {
    private final Map<Step, Set<String>> owners = new LinkedHashMap<>();
    private final Map<Step, Integer> parents = new HashMap<>();
    private final Map<Step, Integer> heights = new HashMap<>();

    PlanIndex(List<QueryPlan> plans) {
        for (QueryPlan plan : plans) {
            parents.merge(plan.root(), 1, Integer::sum); // the sink reads the root
            visit(plan.root(), plan.id(), new java.util.HashSet<>());
        }
    }

    private void visit(Step step, String query, Set<Step> seenInQuery) {
        owners.computeIfAbsent(step, s -> new LinkedHashSet<>()).add(query);
        if (!seenInQuery.add(step)) {
            return;
        }
        for (Step in : Steps.inputs(step)) {
            parents.merge(in, 1, Integer::sum);
            visit(in, query, seenInQuery);
        }
    }

    List<Step> steps() {
        return new ArrayList<>(owners.keySet());
    }

    Set<String> owners(Step step) {
        return owners.getOrDefault(step, Set.of());
    }

    /** How many parent steps (or sinks) read this step across all queries. */
    int parents(Step step) {
        return parents.getOrDefault(step, 0);
    }

    int height(Step step) {
        Integer h = heights.get(step);
        if (h == null) {
            h = 1 + Steps.inputs(step).stream().mapToInt(this::height).max().orElse(0);
            heights.put(step, h);
        }
        return h;
    }

    static boolean contains(Step tree, Step step) {
        if (tree.equals(step)) {
            return true;
        }
        for (Step in : Steps.inputs(tree)) {
            if (contains(in, step)) {
                return true;
            }
        }
        return false;
    }

    /** All distinct steps of one tree, pre-order. */
    static List<Step> subtree(Step root) {
        Set<Step> out = new LinkedHashSet<>();
        collect(root, out);
        return new ArrayList<>(out);
    }

    private static void collect(Step step, Set<Step> out) {
        if (out.add(step)) {
            Steps.inputs(step).forEach(in -> collect(in, out));
        }
    }
}
