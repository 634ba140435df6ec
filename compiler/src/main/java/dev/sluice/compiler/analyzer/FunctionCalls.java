package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The function calls of one {@link ExpressionAnalyzer}: where an aggregate or window function may not
 * stand, unit words as first arguments, and the resolution of a scalar function by name and argument
 * types (with ksqlDB's words for a function it lacks, and constant arguments checked at the call).
 */
final class FunctionCalls {
    private final ExpressionAnalyzer analyzer;
    private final FunctionCatalog functions;
    private final String clause;
    /** Whether the last {@link #call} failed on the function's name or signature (not on a constant argument). */
    private boolean signatureError;

    FunctionCalls(ExpressionAnalyzer analyzer, FunctionCatalog functions, String clause) {
        this.analyzer = analyzer;
        this.functions = functions;
        this.clause = clause;
    }

    /** Functions whose first argument is a unit, written as a bare word: {@code TIMESTAMPADD(DAYS, 1, ts)}. */
    private static final java.util.Set<String> UNIT_FIRST =
            java.util.Set.of("TIMESTAMPADD", "TIMESTAMPSUB", "TIMESTAMPDIFF", "DATEADD", "DATESUB", "TIMEADD", "TIMESUB");
    private static final java.util.Set<String> UNIT_WORDS = java.util.Set.of("MILLISECOND", "MILLISECONDS", "SECOND",
            "SECONDS", "MINUTE", "MINUTES", "HOUR", "HOURS", "DAY", "DAYS", "WEEK", "WEEKS", "MONTH", "MONTHS",
            "QUARTER", "QUARTERS", "YEAR", "YEARS");

    private static Optional<Expr> unitWord(Expression e) {
        if (e instanceof Expression.ColumnRef ref && ref.parts().size() == 1
                && UNIT_WORDS.contains(ref.parts().get(0).value().toUpperCase(Locale.ROOT))) {
            return Optional.of(new Expr.Literal(ref.parts().get(0).value().toUpperCase(Locale.ROOT), ScalarType.VARCHAR));
        }
        return Optional.empty();
    }

    /** A function call in the SQL: COALESCE, IF and lambdas have their own rules, the rest resolve by name. */
    Expr function(FunctionCall f) {
        String name = f.simpleName().toUpperCase(Locale.ROOT);
        if (f.over().isPresent()) {
            throw new SqlException(f.location(), "not supported yet: window function " + name + " OVER (...)");
        }
        if (functions.aggregate(name).isPresent()) {
            if (clause.equals("GROUP BY")) {
                // ksqlDB's words; both dialects refuse it
                throw new SqlException(f.location(), "GROUP BY does not support aggregate functions: " + name
                        + " is an aggregate function.", "aggregate function " + name + " is not allowed in GROUP BY");
            }
            if (functions.ksqlDialect() && clause.equals("WHERE")) {
                // ksqlDB resolves the columns first: a window bound is no column of the WHERE's input
                KsqlTypeWords.windowBoundInWhere(f);
            }
            throw new SqlException(f.location(), "aggregate function " + name + " is not allowed in " + clause);
        }
        if (WindowFunctions.isGroupWindow(name) || WindowFunctions.isWindowBound(name)) {
            throw new SqlException(f.location(), name + " is only allowed with GROUP BY "
                    + WindowFunctions.windowOf(name) + "(...)");
        }
        if (f.distinct() || f.filter().isPresent() || !f.orderBy().isEmpty() || !f.withinGroup().isEmpty()) {
            throw new SqlException(f.location(), name + " is not an aggregate: DISTINCT, ORDER BY, FILTER and "
                    + "WITHIN GROUP apply to aggregates only");
        }
        if (Lambdas.isLambdaCall(name, f)) {
            return Lambdas.analyze(analyzer, f, name);
        }
        List<Expr> args = new ArrayList<>();
        for (Expression a : f.arguments()) {
            args.add(args.isEmpty() && UNIT_FIRST.contains(name) ? unitWord(a).orElseGet(() -> analyzer.analyze(a)) : analyzer.analyze(a));
        }
        switch (name) {
            case "COALESCE", "IFNULL", "NVL" -> {
                if (args.isEmpty()) {
                    SqlException e = new SqlException(f.location(), name + " needs at least one argument");
                    throw functions.ksqlDialect() ? KsqlWords.function(name, args, true, e) : e;
                }
                SqlType type = ExpressionAnalyzer.commonType(args, f.location(), name + " arguments");
                return new Expr.Call("COALESCE", args.stream().map(a -> ExpressionAnalyzer.coerce(a, type)).toList(), type);
            }
            case "IF", "IIF" -> {
                if (args.size() != 3 || (args.get(0).type() != ScalarType.BOOLEAN && args.get(0).type() != ScalarType.NULL)) {
                    throw new SqlException(f.location(), name + " expects (BOOLEAN, value, value)");
                }
                SqlType type = ExpressionAnalyzer.commonType(args.subList(1, 3), f.location(), name + " results");
                return new Expr.Call("IF", List.of(args.get(0), ExpressionAnalyzer.coerce(args.get(1), type), ExpressionAnalyzer.coerce(args.get(2), type)), type);
            }
            default -> {
                if (!functions.ksqlDialect()) {
                    return call(name, args, f.location());
                }
                if (name.equals("GREATEST") || name.equals("LEAST")) {
                    KsqlTypeWords.greatestOrLeast(name, args, f);
                }
                try {
                    return call(name, args, f.location());
                } catch (SqlException e) {
                    // ksqlDB's words for a function it lacks or whose arguments it does not take
                    throw signatureError ? KsqlWords.function(name, args, functions.scalar(name).isPresent(), e) : e;
                }
            }
        }
    }

    /** Resolves a scalar function or operator; unknown names get a suggestion. */
    Expr call(String name, List<Expr> args, NodeLocation location) {
        signatureError = !name.toLowerCase(Locale.ROOT).startsWith("pg_") && functions.scalar(name).isEmpty();
        ScalarFunction fn = functions.scalar(name).orElseThrow(() -> name.toLowerCase(Locale.ROOT).startsWith("pg_")
                ? new SqlException(location, name + " asks PostgreSQL about itself (sizes, catalogs, statistics): "
                        + "run it in the database (psql)", "Sluice reads the table's rows, not the database's internals")
                : new SqlException(location, "unknown function " + name, Suggestions.hint(name, functions.names())));
        SqlType type;
        try {
            type = fn.returnType(args);
        } catch (FunctionException e) {
            signatureError = true;
            throw new SqlException(location, e.getMessage());
        }
        try {
            checkConstantArguments(fn, args, type);
            // PROCTIME() keeps its name: a column it defines is a processing-time attribute that a window
            // can be over (ProcessingTimeColumns); NOW() is the same value but no such attribute
            String called = name.equalsIgnoreCase(ProcessingTimeColumns.FUNCTION) ? ProcessingTimeColumns.FUNCTION
                    : fn.name();
            return new Expr.Call(called, args, type);
        } catch (FunctionException e) {
            throw new SqlException(location, e.getMessage());
        }
    }

    /**
     * A function binds its constant arguments (a DATE_FORMAT pattern, a REGEXP_EXTRACT group) when the
     * topology is built, long after positions are gone; binding it once here turns a bad constant into a
     * SQL error at the call (found by `sluice fuzz`: "group 22 does not exist" was an internal error).
     * Only {@link FunctionException} speaks about the SQL; anything else a binding throws (a UDF that
     * needs its jar at run time) is left to the build as before.
     */
    private static void checkConstantArguments(ScalarFunction fn, List<Expr> args, SqlType type) {
        if (args.stream().noneMatch(a -> a instanceof Expr.Literal)) {
            return;
        }
        try {
            fn.implement(args, type);
        } catch (FunctionException e) {
            throw e;
        } catch (RuntimeException notAboutTheSql) {
            // bound again, with its own error handling, when the topology is built
        }
    }
}
