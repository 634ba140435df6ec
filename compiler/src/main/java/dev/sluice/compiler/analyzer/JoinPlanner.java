package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.function.FunctionCatalog;

/** Plans JOINs into stream-table, stream-stream (interval) and table-table joins. */
final class JoinPlanner {
    private final QueryPlanner planner;
    private final FunctionCatalog functions;
    private final StepNames names;

    JoinPlanner(QueryPlanner planner, FunctionCatalog functions, StepNames names) {
        this.planner = planner;
        this.functions = functions;
        this.names = names;
    }

    PlannedRelation plan(Relation.Join join, boolean needsRowtime) {
        throw new SqlException(join.location(), "not supported yet: JOIN");
    }
}
