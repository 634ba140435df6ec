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

    static boolean isTableFunctionCall(Object node) {
        return node instanceof FunctionCall f && f.over().isEmpty() && function(f).isPresent();
    }

    static boolean anyIn(Object node) {
        return AstWalker.anyMatch(node, TableFunctionPlanner::isTableFunctionCall);
    }

    private static Optional<TableFunction> function(FunctionCall f) {
        String name = f.simpleName().toUpperCase(Locale.ROOT);
        for (TableFunction t : TableFunction.values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** ksqlDB's words where it refuses the same query. */
    static SqlException withAggregates(Object items) {
        FunctionCall first = first(items);
        return new SqlException(first.location(), "Table functions cannot be used with aggregations.",
                "explode the rows in a sub-query or a stream of their own, and aggregate that");
    }

    private static FunctionCall first(Object items) {
        FunctionCall[] found = {null};
        AstWalker.walk(items, n -> found[0] == null, n -> {
            if (found[0] == null && isTableFunctionCall(n)) {
                found[0] = (FunctionCall) n;
            }
        });
        return found[0];
    }

    static Planned plan(Step input, Scope scope, Object items, FunctionCatalog functions, StepNames names) {
        List<FunctionCall> calls = new ArrayList<>();
        AstWalker.walk(items, n -> !isTableFunctionCall(n), n -> {
            if (isTableFunctionCall(n) && !calls.contains(n)) {
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
            TableFunction function = function(call).orElseThrow();
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
            int index = columns.size();
            String column = "TABLE_FUNCTION$" + index;
            columns.add(new Column(column, type));
            scopeColumns.add(new ScopeColumn(Optional.empty(), column, type, index, true));
            planned.add(new ExplodeStep.TableFunctionCall(function, argument));
            resolved.put(call, new Expr.InputRef(index, type));
        }
        Step step = new ExplodeStep(names.name("explode"), input, planned, new dev.sluice.serdes.row.Schema(columns));
        Scope out = new Scope(scopeColumns, scope.rowtimeColumn(), scope.watermarkDelayMs(), scope.windowBounds());
        return new Planned(step, out, e -> Optional.ofNullable(resolved.get(e)));
    }
}
