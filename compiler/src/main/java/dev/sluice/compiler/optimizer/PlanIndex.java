package dev.sluice.compiler.optimizer;

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
    private final Map<Step, Set<Step>> parentSteps = new HashMap<>();

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
        for (Step in : step.inputs()) {
            parents.merge(in, 1, Integer::sum);
            parentSteps.computeIfAbsent(in, k -> new LinkedHashSet<>()).add(step);
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

    /** The distinct steps that read this one (none for a query root, which a sink reads). */
    Set<Step> parentSteps(Step step) {
        return parentSteps.getOrDefault(step, Set.of());
    }

    /**
     * Whether every step that reads this one, in the same Kafka Streams task, ignores stream time.
     * Windowed aggregations and stream-stream joins drop records by stream time, which a task
     * advances with every record it consumes: a rewrite that changes which records reach a task
     * (a filter moved before a repartition, a repartition removed) could change what is late.
     */
    boolean feedsOnlyTimeInsensitive(Step step) {
        for (Step p : parentSteps(step)) {
            boolean insensitive = switch (p.accept(StepTraits.INSTANCE).time()) {
                case SENSITIVE -> false;
                case INSENSITIVE, NEW_TASK -> true;
                case SAME_AS_PARENTS -> feedsOnlyTimeInsensitive(p);
            };
            if (!insensitive) {
                return false;
            }
        }
        return true;
    }

    int height(Step step) {
        Integer h = heights.get(step);
        if (h == null) {
            h = 1 + step.inputs().stream().mapToInt(this::height).max().orElse(0);
            heights.put(step, h);
        }
        return h;
    }

    static boolean contains(Step tree, Step step) {
        if (tree.equals(step)) {
            return true;
        }
        for (Step in : tree.inputs()) {
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
            step.inputs().forEach(in -> collect(in, out));
        }
    }
}
