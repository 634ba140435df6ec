package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.ExplodeStep.TableFunction;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Table functions in a SELECT list ({@code EXPLODE(arr)}, {@code CUBE_EXPLODE(arr)}, ksqlDB's
 * UDTFs): each becomes a column of one {@link ExplodeStep} under the projection, and the SELECT
 * reads that column where it wrote the call (so {@code EXPLODE(a)->F1} and {@code ABS(EXPLODE(a))}
 * work). A stream only, and not with aggregates, as in ksqlDB.
 */
final class TableFunctionPlanner {
    private TableFunctionPlanner() {
    }

    /** The step with every table function of {@code items} applied, and the rewrite that reads them. */
    record Planned(Step step, Scope scope, Function<Expression, Optional<Expr>> rewrite) {
    }

    static boolean isTableFunctionCall(Object node, FunctionCatalog functions) {
        return node instanceof FunctionCall f && f.over().isEmpty() && function(f, functions).isPresent();
    }

    static boolean anyIn(Object node, FunctionCatalog functions) {
        return AstWalker.anyMatch(node, n -> isTableFunctionCall(n, functions));
    }

    /** A built-in table function, or EXPLODE for a user's (whose scalar form gives the ARRAY of its rows). */
    private static Optional<TableFunction> function(FunctionCall f, FunctionCatalog functions) {
        String name = f.simpleName().toUpperCase(Locale.ROOT);
        if (functions.tableFunction(name)) {
            return Optional.of(TableFunction.EXPLODE);
        }
        for (TableFunction t : TableFunction.values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** ksqlDB's words where it refuses the same query. */
    static SqlException withAggregates(Object items, FunctionCatalog functions) {
        FunctionCall first = first(items, functions);
        return new SqlException(first.location(), "Table functions cannot be used with aggregations.",
                "explode the rows in a sub-query or a stream of their own, and aggregate that");
    }

    private static FunctionCall first(Object items, FunctionCatalog functions) {
        FunctionCall[] found = {null};
        AstWalker.walk(items, n -> found[0] == null, n -> {
            if (found[0] == null && isTableFunctionCall(n, functions)) {
                found[0] = (FunctionCall) n;
            }
        });
        return found[0];
    }

    static Planned plan(Step input, Scope scope, Object items, FunctionCatalog functions, StepNames names) {
        List<FunctionCall> calls = new ArrayList<>();
        AstWalker.walk(items, n -> !isTableFunctionCall(n, functions), n -> {
            if (isTableFunctionCall(n, functions) && !calls.contains(n)) {
                calls.add((FunctionCall) n);
            }
        });
        if (calls.isEmpty()) {
            return new Planned(input, scope, e -> Optional.empty());
        }
        if (input.shape() == Step.Shape.TABLE) {
            throw new SqlException(calls.get(0).location(), "Table source is not supported with table functions",
                    "a table's row is replaced by its updates, so the rows one row became could never be retracted: "
                            + "explode a stream");
        }
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "SELECT");
        List<ExplodeStep.TableFunctionCall> planned = new ArrayList<>();
        List<Column> columns = new ArrayList<>(input.schema().columns());
        List<ScopeColumn> scopeColumns = new ArrayList<>(scope.columns());
        Map<FunctionCall, Expr> resolved = new LinkedHashMap<>();
        for (FunctionCall call : calls) {
            TableFunction function = function(call, functions).orElseThrow();
            if (functions.tableFunction(call.simpleName())) {
                // a user's table function: EXPLODE of the list its `rows` method returns
                Expr rows = analyzer.analyze(call);
                SqlType element = ((ArrayType) rows.type()).element();
                resolved.put(call, explodeColumn(element, columns, scopeColumns));
                planned.add(new ExplodeStep.TableFunctionCall(function, rows));
                continue;
            }
            String name = function.name().toLowerCase(Locale.ROOT);
            if (call.arguments().size() != 1 || call.star() || call.distinct()) {
                throw new SqlException(call.location(), "Function '" + name + "' takes one array argument",
                        "write " + name + "(array_column)");
            }
            Expr argument = analyzer.analyze(call.arguments().get(0));
            if (!(argument.type() instanceof ArrayType array)) {
                throw new SqlException(call.arguments().get(0).location(), "Function '" + name
                        + "' does not accept parameters (" + KsqlText.type(argument.type()) + ").\nValid alternatives are:\n"
                        + (function == TableFunction.EXPLODE ? "explode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)"
                                : name + "(ARRAY<T> columns)"), name + " takes an ARRAY");
            }
            SqlType type = function == TableFunction.EXPLODE ? array.element() : array;
            resolved.put(call, explodeColumn(type, columns, scopeColumns));
            planned.add(new ExplodeStep.TableFunctionCall(function, argument));
        }
        Step step = new ExplodeStep(names.name("explode"), input, planned, new dev.sluice.serdes.row.Schema(columns));
        Scope out = new Scope(scopeColumns, scope.rowtimeColumn(), scope.watermarkDelayMs(), scope.windowBounds());
        return new Planned(step, out, e -> Optional.ofNullable(resolved.get(e)));
    }

    /** Adds the column a call's values go to; the reference that reads it. */
    private static Expr explodeColumn(SqlType type, List<Column> columns, List<ScopeColumn> scopeColumns) {
        int index = columns.size();
        String column = "TABLE_FUNCTION$" + index;
        columns.add(new Column(column, type));
        scopeColumns.add(new ScopeColumn(Optional.empty(), column, type, index, true));
        return new Expr.InputRef(index, type);
    }
}
