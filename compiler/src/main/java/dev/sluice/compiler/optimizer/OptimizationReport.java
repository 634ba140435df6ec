package dev.sluice.compiler.optimizer;

import java.util.List;

/**
 * What the optimizer did to a script: the rules that were on, each rewrite that fired, and the
 * steps that more than one query now reads (with the queries that read them).
 */
public record OptimizationReport(List<String> enabledRules, List<Fired> fired, List<SharedNode> shared) {
    public OptimizationReport {
        enabledRules = List.copyOf(enabledRules);
        fired = List.copyOf(fired);
        shared = List.copyOf(shared);
    }

    public static OptimizationReport none() {
        return new OptimizationReport(List.of(), List.of(), List.of());
    }

    /** Whether the rule named so rewrote anything. */
    public boolean fired(String rule) {
        return fired.stream().anyMatch(f -> f.rule().equals(rule));
    }

    /**
     * Whether the plan re-keys in the task because every source topic has one partition (the
     * {@code onetask} rule): its state is laid out for one task per sub-topology.
     */
    public boolean singleTaskPlan() {
        return fired("onetask");
    }

    public record Fired(String rule, String description) {
    }

    /** A step built once and read by several queries; {@code kind} is its step type. */
    public record SharedNode(String name, String kind, List<String> consumers) {
        public SharedNode {
            consumers = List.copyOf(consumers);
        }
    }
}
