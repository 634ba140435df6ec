package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.QueryPlan;

import java.util.List;

final class PushdownRule implements OptimizationRule<Object> {
    public String name() { return "x"; }
    public List<Object> match(List<QueryPlan> plans) { return List.of(); }
    public boolean applyIf(Object m, List<QueryPlan> plans) { return false; }
    public List<QueryPlan> rewrite(List<QueryPlan> plans, Object m) { return plans; }
    public String describe(Object m) { return ""; }
}
