package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * ksqlDB's words for the type errors of its {@code ExpressionTypeManager}, {@code FilterTypeValidator},
 * {@code Operator} and {@code UdfIndex}, used in the ksqlDB dialect (the Flink dialect keeps Sluice's).
 * Each keeps Sluice's place and adds Sluice's account as the hint.
 */
final class KsqlTypeWords {
    private KsqlTypeWords() {
    }

    /** A WHERE or HAVING condition that is not BOOLEAN ({@code FilterTypeValidator}). */
    static SqlException notBoolean(String clause, Expression e, SqlType type, Function<Expression.ColumnRef, String> columns) {
        return new SqlException(e.location(), "Type error in " + clause + " expression: Should evaluate to boolean but is "
                + KsqlText.expression(e, columns) + " (" + KsqlText.type(type) + ") instead.",
                clause + " needs a BOOLEAN condition, got " + type.sql());
    }

    /** Arithmetic over operands it does not take ({@code Operator.resultType}), in a WHERE or HAVING prefixed so. */
    static SqlException arithmetic(String clause, Expression.Binary b, SqlType left, SqlType right,
                                   Function<Expression.ColumnRef, String> columns, String sluice) {
        String prefix = clause.equals("WHERE") || clause.equals("HAVING") ? "Error in " + clause + " expression: " : "";
        return new SqlException(b.location(), prefix + "Error processing expression: " + KsqlText.expression(b, columns)
                + ". Unsupported arithmetic types. " + baseType(left) + " " + baseType(right), sluice);
    }

    /** ksqlDB's base type name ({@code SqlBaseType}): {@code DECIMAL} without its precision, {@code STRING}. */
    static String baseType(SqlType type) {
        String text = KsqlText.type(type);
        int cut = text.indexOf('(') >= 0 ? text.indexOf('(') : text.indexOf('<');
        return (cut >= 0 ? text.substring(0, cut) : text).toUpperCase(Locale.ROOT);
    }

    /**
     * ksqlDB's {@code GREATEST} and {@code LEAST} have one signature per type and cast implicitly, so
     * a call whose numbers are of several types, none DOUBLE (which only the DOUBLE signature takes),
     * or whose arguments are all NULL, matches more than one signature and is refused as ambiguous.
     */
    static void greatestOrLeast(String name, List<Expr> args, Expression.FunctionCall at) {
        if (args.isEmpty()) {
            return;
        }
        Set<String> numeric = new HashSet<>();
        boolean allNull = true;
        for (Expr a : args) {
            if (a.type() == ScalarType.NULL) {
                continue;
            }
            allNull = false;
            if (a.type().isNumeric()) {
                numeric.add(baseType(a.type()));
            }
        }
        if (allNull || numeric.size() > 1 && !numeric.contains("DOUBLE")) {
            String types = args.stream().map(a -> KsqlText.type(a.type())).collect(Collectors.joining(", ", "(", ")"));
            throw new SqlException(at.location(), "Function '" + name.toLowerCase(Locale.ROOT) + "' cannot be resolved "
                    + "due to ambiguous method parameters " + types + ".", allNull
                    ? "NULL has no type: CAST one argument, e.g. CAST(NULL AS INTEGER)"
                    : "CAST the arguments to one type, e.g. CAST(x AS BIGINT)");
        }
    }

    /** A CASE whose every result is NULL has no type ({@code ExpressionTypeManager}). */
    static void caseType(List<Expr> results, Expression.Case at) {
        if (results.stream().allMatch(r -> r.type() == ScalarType.NULL)) {
            throw new SqlException(at.location(), "Invalid Case expression. All case branches have NULL type",
                    "CAST one result, e.g. CAST(NULL AS VARCHAR)");
        }
    }

    /** A comparison of two NULLs has no type to compare by ({@code ComparisonUtil}). */
    static void nullComparison(Expression.Binary b, SqlType left, SqlType right) {
        if (left == ScalarType.NULL || right == ScalarType.NULL) {
            throw new SqlException(b.location(), "Comparison with NULL not supported: " + nullOr(left) + " "
                    + b.operator().symbol + " " + nullOr(right) + "\nUse 'IS NULL' or 'IS NOT NULL' instead.",
                    "a comparison with NULL is never true; use IS NULL or IS NOT NULL");
        }
    }

    private static String nullOr(SqlType type) {
        return type == ScalarType.NULL ? "NULL" : baseType(type);
    }

    /** A window bound inside an aggregate in WHERE: ksqlDB finds no such column there. */
    static void windowBoundInWhere(Expression.FunctionCall f) {
        for (Expression a : f.arguments()) {
            if (a instanceof Expression.ColumnRef ref && ref.parts().size() == 1
                    && Set.of("WINDOWSTART", "WINDOWEND").contains(ref.last().toUpperCase(Locale.ROOT))) {
                throw new SqlException(ref.location(), "Error in WHERE expression: Unknown column "
                        + ref.last().toUpperCase(Locale.ROOT) + ".", "window bounds exist after the windowed "
                        + "aggregation; filter them in HAVING, or filter the rows before the window in WHERE");
            }
        }
    }

    /** A STRUCT's fields need distinct names (both dialects: a ROW of two same-named fields is refused in Flink too). */
    static void distinctFields(StructType struct, Expression.StructConstructor at) {
        Set<String> seen = new HashSet<>();
        for (var f : struct.fields()) {
            if (!seen.add(f.name())) { // names as resolved: `foo` and FOO differ
                throw new SqlException(at.location(), "Duplicate field names found in STRUCT: " + KsqlText.type(struct),
                        "field `" + f.name() + "` is given twice; name each field once");
            }
        }
    }

    /**
     * How ksqlDB writes a column in its messages: in a join, after the join renamed the columns
     * {@code I1_BAR} (source alias, underscore, name); elsewhere as written.
     */
    static Function<Expression.ColumnRef, String> columns(Scope scope) {
        Set<String> relations = scope.columns().stream().map(c -> c.relation().orElse(""))
                .filter(r -> !r.isEmpty()).map(r -> r.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        if (relations.size() < 2) {
            return c -> c.parts().stream().map(p -> p.value()).collect(Collectors.joining("."));
        }
        return c -> {
            String column = c.last().toUpperCase(Locale.ROOT);
            Optional<String> relation = c.parts().size() > 1
                    ? Optional.of(c.parts().get(c.parts().size() - 2).value())
                    : scope.columns().stream().filter(s -> s.name().equalsIgnoreCase(column)).findFirst()
                            .flatMap(ScopeColumn::relation);
            return relation.map(r -> r.toUpperCase(Locale.ROOT) + "_" + column).orElse(column);
        };
    }
}
