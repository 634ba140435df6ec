package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Common sub-plan sharing, across the queries of a script (seed 003) and within one query (Flink's
 * {@code table.optimizer.reuse-sub-plan-enabled}: Nexmark q5 counts the same HOP window twice).
 * Aggregations and joins that compute the same thing modulo names, aliases, CTE names and column
 * order ({@link StepMerger}) become one step, named from a hash of what it computes:
 * {@code shared-<hash>-<role>} when several queries read it, {@code <query>-shared-<hash>-<role>}
 * when only one query does; each consumer reads its columns from it. Where the consumers need
 * different aggregates of the same grouping and window, the shared aggregation computes the union
 * of them. Two steps that one step reads in the same task (a self-join of identical sub-plans,
 * directly or through projections and filters) are not merged: the join needs two inputs.
 *
 * <p>Only steps that hold state anchor a sharing (aggregations, joins, LAG/LEAD, rankings,
 * deduplications, rate limits: {@link StepTraits#anchor()}). A 30-minute and a 60-minute session window, or different group keys, never merge, and then nothing is shared.
 */
final class ShareRule implements OptimizationRule<ShareRule.Cluster> {

    /** Steps of different queries that one merged step can serve; {@code maps[i]} maps member i's columns. */
    record Cluster(List<Step> members, List<Set<String>> owners, Step merged, List<int[]> maps) {
    }

    @Override
    public String name() {
        return "share";
    }

    @Override
    public List<Cluster> match(List<QueryPlan> plans) {
        PlanIndex index = new PlanIndex(plans);
        List<Step> anchors = new ArrayList<>();
        for (Step s : index.steps()) {
            if (isAnchor(s)) {
                anchors.add(s);
            }
        }
        // Largest sub-plans first: sharing a whole aggregation-over-aggregation beats sharing its inner half.
        anchors.sort((x, y) -> Integer.compare(index.height(y), index.height(x)));
        List<Cluster> clusters = new ArrayList<>();
        Set<Step> covered = new HashSet<>();
        for (Step x : anchors) {
            if (covered.contains(x)) {
                continue;
            }
            List<Step> members = new ArrayList<>(List.of(x));
            List<Set<String>> owners = new ArrayList<>(List.of(index.owners(x)));
            Set<Step> readers = readersInTask(x, index);
            List<int[]> maps = new ArrayList<>(List.of(Exprs.identity(x.schema().size())));
            Step merged = x;
            for (Step y : anchors) {
                if (y == x || covered.contains(y) || index.height(y) != index.height(x)
                        || !disjoint(readers, readersInTask(y, index))) {
                    continue;
                }
                Optional<StepMerger.Merged> m = StepMerger.merge(merged, y);
                if (m.isPresent()) {
                    maps.replaceAll(old -> Exprs.compose(m.get().mapA(), old));
                    maps.add(m.get().mapB());
                    members.add(y);
                    owners.add(index.owners(y));
                    readers.addAll(readersInTask(y, index));
                    merged = m.get().step();
                }
            }
            if (members.size() > 1) {
                clusters.add(new Cluster(members, owners, merged, maps));
                covered.addAll(members);
            }
        }
        return clusters;
    }

    private static boolean isAnchor(Step s) {
        return s.accept(StepTraits.INSTANCE).anchor();
    }

    /**
     * The steps that read a step's rows in its own task: its readers, and theirs through stateless
     * steps (projections, filters, unions). Two steps with a reader in common are not merged: that
     * reader (a self-join, a union of the two) would get each row once per side at the same moment,
     * where the unshared plan feeds it two separate inputs.
     */
    private static Set<Step> readersInTask(Step step, PlanIndex index) {
        Set<Step> out = new HashSet<>();
        java.util.Deque<Step> todo = new java.util.ArrayDeque<>(index.parentSteps(step));
        while (!todo.isEmpty()) {
            Step reader = todo.pop();
            if (out.add(reader) && !reader.accept(StepTraits.INSTANCE).stateful()) {
                todo.addAll(index.parentSteps(reader));
            }
        }
        return out;
    }

    private static <T> boolean disjoint(Set<T> a, Set<T> b) {
        for (T s : b) {
            if (a.contains(s)) {
                return false;
            }
        }
        return true;
    }

    /** Worth it when it removes at least one store or repartition topic: always, for two or more consumers. */
    @Override
    public boolean applyIf(Cluster match, List<QueryPlan> plans) {
        return match.members().size() >= 2 && savedStatefulSteps(match) > 0;
    }

    static long savedStatefulSteps(Cluster match) {
        long stateful = PlanIndex.subtree(match.merged()).stream().filter(StepCopy::isStateful).count();
        return stateful * (match.members().size() - 1);
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Cluster match) {
        Step named = rename(match.merged(), prefix(match));
        Map<Step, Rewired> replacements = new HashMap<>();
        for (int i = 0; i < match.members().size(); i++) {
            replacements.put(match.members().get(i), new Rewired(named, match.maps().get(i)));
        }
        return TreeRewriter.rewriteAll(plans, s -> Optional.ofNullable(replacements.get(s)));
    }

    @Override
    public String describe(Cluster match) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < match.members().size(); i++) {
            parts.add(match.members().get(i).name() + " (" + String.join(", ", match.owners().get(i)) + ")");
        }
        return prefix(match) + "-" + role(match.merged().name()) + " computes "
                + String.join(" = ", parts) + "; saves " + savedStatefulSteps(match)
                + " stateful step(s)";
    }

    /**
     * The shared steps' name prefix: {@code shared-<hash>} for a sub-plan several queries read;
     * {@code <query>-shared-<hash>} for one shared within a query, so its state stays the query's.
     */
    static String prefix(Cluster match) {
        Set<String> all = new LinkedHashSet<>();
        match.owners().forEach(all::addAll);
        String shared = "shared-" + Canonical.hash(match.merged());
        return all.size() == 1 ? all.iterator().next() + "-" + shared : shared;
    }

    /** Names every non-source step of the shared sub-plan {@code <prefix>-<role>}, roles unique. */
    static Step rename(Step root, String prefix) {
        return rename(root, prefix, new HashSet<>(), new HashMap<>());
    }

    private static Step rename(Step step, String prefix, Set<String> used, Map<Step, Step> done) {
        Step seen = done.get(step);
        if (seen != null) {
            return seen;
        }
        List<Step> inputs = new ArrayList<>();
        for (Step in : step.inputs()) {
            inputs.add(rename(in, prefix, used, done));
        }
        Step out = StepCopy.withInputs(step, inputs);
        if (!StepCopy.isSource(step)) {
            String base = prefix + "-" + role(step.name());
            String name = base;
            for (int i = 2; !used.add(name); i++) {
                name = base + "-" + i;
            }
            out = StepCopy.withName(out, name);
        }
        done.put(step, out);
        return out;
    }

    private static final List<String> MULTI_WORD_ROLES = List.of("key-not-null", "key-null", "with-null-keys");

    /** The structural part of a step name: {@code model_a-s-prepare} gives {@code prepare}. */
    static String role(String name) {
        name = name.replaceAll("-\\d+$", "");
        for (String r : MULTI_WORD_ROLES) {
            if (name.endsWith("-" + r)) {
                return r;
            }
        }
        int dash = name.lastIndexOf('-');
        return dash < 0 ? name : name.substring(dash + 1);
    }
}
