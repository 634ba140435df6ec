package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.PlannedRelation;
import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * INSERT INTO target SELECT ...: the query planned into a persistent query that writes the
 * declared target's topic. Columns match by position: each is cast where Flink casts implicitly
 * and written under the target's column name.
 */
final class InsertIntoStatements {
    private InsertIntoStatements() {
    }

    /** The persistent query of {@code insert} (statement {@code text}), writing its target's topic. */
    static CompiledQuery compile(ScriptState state, Statement.InsertInto insert, String text) {
        Catalog catalog = state.catalog();
        ScriptFunctionCatalog functions = state.functions();
        SourceDefinition target = catalog.dialect() == Dialect.KSQL ? KsqlInserts.target(insert, catalog)
                : catalog.lookup(insert.target().toString()).orElseThrow(() -> new SqlException(
                insert.target().location(), "INSERT INTO unknown stream `" + insert.target() + "`",
                Suggestions.hint(insert.target().simpleName(),
                        catalog.all().stream().map(SourceDefinition::name).toList())));
        String id = state.uniqueId("insert_" + ScriptIds.sanitize(target.name()));
        state.uriSources().register(insert.query(), id, SourceDeclarations.properties(WithOptions.trailing(insert.query())));
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlHeaderColumns.checkInsertSelect(target, insert.location());
            KsqlChecks.persistentSelect(insert.query(), catalog, functions);
            KsqlQueryRules.check(insert.query(), List.of(), catalog, functions, false);
        }
        PlannedRelation planned = state.ksql()
                ? KsqlChecks.planAggregation(insert.query(), functions,
                        () -> state.planner(id).planPersistent(insert.query()))
                : state.planner(id).planPersistent(insert.query());
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlInserts.schema(insert, target, planned.step());
        }
        Schema actual = planned.step().schema();
        Schema expected = target.schema();
        if (actual.size() != expected.size()) {
            throw new SqlException(insert.location(), "INSERT INTO " + target.name() + ": the query gives "
                    + actual.size() + (actual.size() == 1 ? " column " : " columns ") + actual + " but "
                    + target.name() + " has " + expected.size() + " " + expected);
        }
        boolean cast = false;
        for (int i = 0; i < actual.size(); i++) {
            if (!actual.type(i).equals(expected.type(i)) && actual.type(i) != ScalarType.NULL) {
                if (!assignable(actual.type(i), expected.type(i))) {
                    throw new SqlException(insert.location(), "INSERT INTO " + target.name() + ": column " + (i + 1)
                            + " (`" + expected.column(i).name() + "`) is " + expected.type(i).sql()
                            + " but the query gives " + actual.type(i).sql(), "CAST it to " + expected.type(i).sql());
                }
                cast = true;
            }
        }
        Step root = renamedTo(cast ? castTo(planned.step(), expected, id) : planned.step(), expected, id);
        ChangelogCheck.check(root, ChangelogCheck.sink(target.kind() == SourceDefinition.Kind.TABLE,
                ConnectorOption.parse(target.format().properties().get("connector"))), target.name(),
                insert.location());
        QueryPlan plan = new QueryPlan(id, root, Optional.of(target.format()), root.shape() == Step.Shape.TABLE,
                target.recordKeyIndexes());
        return CompiledQuery.of(id, text, true, plan, target.format().topic(), insert.query(), insert.location().line());
    }

    /**
     * Flink's implicit casts on INSERT: a number into any numeric column (DECIMAL(23, 3) from
     * {@code 0.908 * price}, BIGINT from an AVG), anything into a string column, and between the two
     * timestamp types.
     */
    private static boolean assignable(SqlType from, SqlType to) {
        return (from.isNumeric() && to.isNumeric()) || to == ScalarType.VARCHAR
                || ((from == ScalarType.TIMESTAMP || from == ScalarType.TIMESTAMP_LTZ)
                && (to == ScalarType.TIMESTAMP || to == ScalarType.TIMESTAMP_LTZ));
    }

    private static Step castTo(Step root, Schema target, String id) {
        List<Expr> casts = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            SqlType from = root.schema().type(i);
            Expr ref = new Expr.InputRef(i, from);
            boolean same = from.equals(target.type(i)) || from == ScalarType.NULL;
            casts.add(same ? ref : new Expr.Call("CAST", List.of(ref), target.type(i)));
            columns.add(new Column(target.column(i).name(), same ? from : target.type(i)));
        }
        return new ProjectStep(id + "-cast", root, casts, new Schema(columns));
    }

    /** INSERT INTO matches columns by position: rows are written under the target's column names. */
    private static Step renamedTo(Step root, Schema target, String id) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            SqlType type = root.schema().type(i) == ScalarType.NULL ? target.type(i) : root.schema().type(i);
            columns.add(new Column(target.column(i).name(), type));
        }
        Schema renamed = new Schema(columns);
        if (renamed.equals(root.schema())) {
            return root;
        }
        if (root instanceof ProjectStep p) {
            return new ProjectStep(p.name(), p.input(), p.expressions(), renamed);
        }
        List<Expr> identity = new ArrayList<>();
        for (int i = 0; i < renamed.size(); i++) {
            identity.add(new Expr.InputRef(i, root.schema().type(i)));
        }
        return new ProjectStep(id + "-insert", root, identity, renamed);
    }
}
