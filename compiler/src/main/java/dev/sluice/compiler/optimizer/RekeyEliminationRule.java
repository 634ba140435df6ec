package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Repartition elimination: a re-key by the columns the data is already keyed and partitioned by
 * ({@link KeyColumns}), with the same key schema, is a no-op that costs a repartition topic. For
 * example GROUP BY the key of the join just before it, or of an aggregation just before it. Kept
 * when it feeds a windowed aggregation or a stream-stream join: without it, those would run in the
 * upstream task, whose stream time other records advance, and lateness could change.
 */
final class RekeyEliminationRule implements OptimizationRule<RekeyStep> {

    @Override
    public String name() {
        return "rekey";
    }

    @Override
    public List<RekeyStep> match(List<QueryPlan> plans) {
        List<RekeyStep> out = new ArrayList<>();
        PlanIndex index = new PlanIndex(plans);
        for (Step s : index.steps()) {
            // both sides known: a key of expressions (S1.K + 1) over an input of unknown keying (both
            // empty) is a real re-key, not the one already there
            Optional<List<Integer>> refs = KeyColumns.refs(s instanceof RekeyStep r ? r.keyExpressions() : List.of());
            if (s instanceof RekeyStep r && sameKey(r, index) && index.feedsOnlyTimeInsensitive(r)
                    && refs.isPresent() && refs.equals(KeyColumns.of(r.input()))) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The key bytes must be the same: same types. The key's column names matter only where a
     * consumer passes the key on to a sink; an aggregation names its own key.
     */
    private static boolean sameKey(RekeyStep r, PlanIndex index) {
        Schema in = r.input().keySchema();
        if (in.equals(r.keySchema())) {
            return true;
        }
        boolean sameTypes = in.size() == r.keySchema().size();
        for (int i = 0; sameTypes && i < in.size(); i++) {
            sameTypes = in.type(i).equals(r.keySchema().type(i));
        }
        return sameTypes && !index.parentSteps(r).isEmpty()
                && index.parentSteps(r).stream().allMatch(p -> p instanceof AggregateStep);
    }

    /** Saves a repartition topic and a serialization round trip per record. */
    @Override
    public boolean applyIf(RekeyStep match, List<QueryPlan> plans) {
        return true;
    }

    @Override
    public List<QueryPlan> rewrite(List<QueryPlan> plans, RekeyStep match) {
        return TreeRewriter.rewriteAll(plans, s -> s.equals(match)
                ? Optional.of(Rewired.unchanged(match.input())) : Optional.empty());
    }

    @Override
    public String describe(RekeyStep match) {
        return match.name() + " removed: " + match.input().name() + " is already keyed by " + match.keyExpressions();
    }
}
