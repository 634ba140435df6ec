package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.Binary;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The binary operators of one {@link ExpressionAnalyzer}: AND and OR flattened to one n-ary call,
 * and ksqlDB's rules for comparisons (time text against ROWTIME, no text against numbers, false
 * rather than NULL) and arithmetic (+ joins text, NULL fails a lambda) in its dialect.
 */
final class BinaryOperators {
    private final ExpressionAnalyzer analyzer;
    private final FunctionCatalog functions;
    private final Scope scope;
    private final String clause;

    BinaryOperators(ExpressionAnalyzer analyzer, FunctionCatalog functions, Scope scope, String clause) {
        this.analyzer = analyzer;
        this.functions = functions;
        this.scope = scope;
        this.clause = clause;
    }

    Expr binary(Binary b) {
        if (b.operator() == BinaryOperator.AND || b.operator() == BinaryOperator.OR) {
            String name = b.operator().name();
            List<Expr> args = new ArrayList<>();
            flatten(b, b.operator(), args, name);
            return new Expr.Call(name, args, ScalarType.BOOLEAN);
        }
        boolean comparison = COMPARISONS.contains(b.operator());
        Expr left = comparison ? timeOperand(b.left(), b.right()) : analyzer.analyze(b.left());
        Expr right = comparison ? timeOperand(b.right(), b.left()) : analyzer.analyze(b.right());
        if (functions.ksqlDialect() && b.operator() == BinaryOperator.PLUS && left.type() == ScalarType.VARCHAR
                && right.type() == ScalarType.VARCHAR) {
            return analyzer.call("CONCAT", List.of(left, right), b.location()); // ksqlDB's + joins text
        }
        if (functions.ksqlDialect() && analyzer.inLambda() && ARITHMETIC.contains(b.operator())) {
            // ksqlDB's lambdas do not guard arithmetic against NULL: the lambda fails (LambdaFailure)
            left = left instanceof Expr.Literal ? left : new Expr.Call("LAMBDA_STRICT", List.of(left), left.type());
            right = right instanceof Expr.Literal ? right : new Expr.Call("LAMBDA_STRICT", List.of(right), right.type());
        }
        if (functions.ksqlDialect() && COMPARISONS.contains(b.operator()) && !"ON".equals(clause)) {
            KsqlTypeWords.nullComparison(b, left.type(), right.type());
        }
        if (functions.ksqlDialect() && COMPARISONS.contains(b.operator())
                && !timeColumn(b.left()) && !timeColumn(b.right())
                && (left.type().isNumeric() && right.type() == ScalarType.VARCHAR
                || left.type() == ScalarType.VARCHAR && right.type().isNumeric())) {
            // ksqlDB does not convert between text and numbers in a comparison
            throw KsqlWords.cannotCompare(clause, b, left.type(), right.type(),
                    "CAST one side: CAST(x AS " + (left.type().isNumeric() ? left : right).type().sql() + ")",
                    KsqlTypeWords.columns(scope));
        }
        Expr result;
        try {
            result = analyzer.call(b.operator().symbol, List.of(left, right), b.location());
        } catch (SqlException e) {
            if (functions.ksqlDialect() && COMPARISONS.contains(b.operator())) {
                throw KsqlWords.cannotCompare(clause, b, left.type(), right.type(), e.getMessage(),
                        KsqlTypeWords.columns(scope));
            }
            if (functions.ksqlDialect() && ARITHMETIC.contains(b.operator())) {
                throw KsqlTypeWords.arithmetic(clause, b, left.type(), right.type(), KsqlTypeWords.columns(scope),
                        e.getMessage());
            }
            throw e;
        }
        if (functions.ksqlDialect() && COMPARISONS.contains(b.operator()) && !"ON".equals(clause)) {
            // ksqlDB's comparisons are false, not NULL, when an operand is NULL. (In a join's ON
            // the two mean the same, and the join planner reads the bare comparisons.)
            return new Expr.Call("COALESCE", List.of(result, new Expr.Literal(false, ScalarType.BOOLEAN)),
                    ScalarType.BOOLEAN);
        }
        return result;
    }

    /**
     * An operand compared with {@code other}: in ksqlDB's dialect, text compared with ROWTIME,
     * WINDOWSTART or WINDOWEND is a time ({@link KsqlTimeText}), read once here as its epoch milliseconds.
     */
    Expr timeOperand(Expression operand, Expression other) {
        if (functions.ksqlDialect() && operand instanceof Expression.StringLiteral text && timeColumn(other)) {
            try {
                return new Expr.Literal(KsqlTimeText.parse(text.value()), ScalarType.BIGINT);
            } catch (IllegalArgumentException e) {
                throw new SqlException(text.location(), e.getMessage(), "write a time as 'yyyy-MM-ddTHH:mm:ss.SSS', "
                        + "its leading part ('2020-05-26'), and an optional offset ('+0200')");
            }
        }
        return analyzer.analyze(operand);
    }

    /** ROWTIME, WINDOWSTART, WINDOWEND: ksqlDB compares them with timestamp text (its "magic" conversion). */
    private static boolean timeColumn(Expression e) {
        return e instanceof Expression.ColumnRef ref
                && java.util.Set.of("ROWTIME", "WINDOWSTART", "WINDOWEND").contains(ref.last().toUpperCase(Locale.ROOT));
    }

    private static final java.util.Set<BinaryOperator> ARITHMETIC = java.util.EnumSet.of(BinaryOperator.PLUS,
            BinaryOperator.MINUS, BinaryOperator.MULTIPLY, BinaryOperator.DIVIDE, BinaryOperator.MODULO);
    private static final java.util.Set<BinaryOperator> COMPARISONS = java.util.EnumSet.of(BinaryOperator.EQ,
            BinaryOperator.NE, BinaryOperator.LT, BinaryOperator.LE, BinaryOperator.GT, BinaryOperator.GE);

    /** {@code a AND b AND c} becomes one n-ary AND: one evaluator, short-circuiting across all. */
    private void flatten(Expression e, BinaryOperator op, List<Expr> out, String name) {
        if (e instanceof Binary b && b.operator() == op) {
            flatten(b.left(), op, out, name);
            flatten(b.right(), op, out, name);
        } else {
            out.add(analyzer.bool(e, name));
        }
    }
}
