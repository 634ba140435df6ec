package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the enabled rules over all plans of a script, each until it no longer applies (at most
 * {@link #MAX_REWRITES} times per rule, a guard against a rule that undoes itself), and reports
 * what fired and which steps are shared.
 */
public final class Optimizer {
    static final int MAX_REWRITES = 200;

    public record Result(List<QueryPlan> plans, OptimizationReport report) {
    }

    private final OptimizerSettings settings;
    private final boolean singlePartitionSources;

    public Optimizer(OptimizerSettings settings) {
        this(settings, false);
    }

    /**
     * {@code singlePartitionSources}: every source topic of the application has exactly one partition,
     * which the {@code onetask} rule needs to know (it does nothing otherwise).
     */
    public Optimizer(OptimizerSettings settings, boolean singlePartitionSources) {
        this.settings = settings;
        this.singlePartitionSources = singlePartitionSources;
    }

    public Result optimize(List<QueryPlan> plans) {
        List<OptimizationReport.Fired> fired = new ArrayList<>();
        List<QueryPlan> current = List.copyOf(plans);
        for (String name : settings.ordered()) {
            current = run(rule(name, singlePartitionSources), current, fired);
        }
        return new Result(current, new OptimizationReport(settings.ordered(), fired, sharedNodes(current)));
    }

    public static OptimizationRule<?> rule(String name, boolean singlePartitionSources) {
        return switch (name) {
            case "share" -> new ShareRule();
            case "pushdown" -> new PushdownRule();
            case "prune" -> new PruneRule();
            case "rekey" -> new RekeyEliminationRule();
            case "colocate" -> new ColocateRule();
            case "onetask" -> new OneTaskRule(singlePartitionSources);
            case "top" -> new RunningTopRule();
            default -> throw new IllegalArgumentException("no rule " + name);
        };
    }

    static <M> List<QueryPlan> run(OptimizationRule<M> rule, List<QueryPlan> plans, List<OptimizationReport.Fired> fired) {
        List<QueryPlan> current = plans;
        for (int i = 0; i < MAX_REWRITES; i++) {
            M chosen = null;
            for (M m : rule.match(current)) {
                if (rule.applyIf(m, current)) {
                    chosen = m;
                    break;
                }
            }
            if (chosen == null) {
                return current;
            }
            fired.add(new OptimizationReport.Fired(rule.name(), rule.describe(chosen)));
            current = rule.rewrite(current, chosen);
        }
        return current;
    }

    /**
     * Steps (other than sources, which queries always share) that two or more queries read, and
     * stateful steps that two or more steps of one query read (a sub-plan shared within the query:
     * its consumers are given as {@code <query> via <reading step>}).
     */
    static List<OptimizationReport.SharedNode> sharedNodes(List<QueryPlan> plans) {
        PlanIndex index = new PlanIndex(plans);
        List<OptimizationReport.SharedNode> out = new ArrayList<>();
        for (Step step : index.steps()) {
            Set<String> owners = index.owners(step);
            if (StepCopy.isSource(step)) {
                continue;
            }
            String kind = step.getClass().getSimpleName().replace("Step", "");
            if (owners.size() > 1) {
                out.add(new OptimizationReport.SharedNode(step.name(), kind, List.copyOf(owners)));
            } else if (index.parentSteps(step).size() > 1 && step.accept(StepTraits.INSTANCE).anchor()) {
                String query = owners.iterator().next();
                out.add(new OptimizationReport.SharedNode(step.name(), kind,
                        index.parentSteps(step).stream().map(p -> query + " via " + p.name()).toList()));
            }
        }
        return out;
    }

    /** Convenience for the compiler: settings from the script's SET statements. */
    public static Result optimize(List<QueryPlan> plans, Map<String, String> settings) {
        return new Optimizer(OptimizerSettings.from(settings)).optimize(plans);
    }
}
