package dev.sluice.grammar;

import dev.sluice.grammar.SluiceSqlParser.*;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.QualifiedName;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.SortItem;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The expression layer of the parse-tree → AST visitor: literals, column references, operators,
 * predicates, calls and window specifications, on top of {@link NameAndTypeBuilder}'s names and
 * types. {@link QueryBuilder} and {@link AstBuilder} extend it with queries and statements; the
 * layers only keep files readable.
 */
abstract class ExpressionBuilder extends NameAndTypeBuilder {

    /** Written without parentheses these are calls, as in standard SQL, not column names. */
    private static final Set<String> NILADIC_FUNCTIONS = Set.of(
            "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME");

    private static final Pattern INTERVAL_NUMBER = Pattern.compile("\\s*\\d+(\\.\\d+)?\\s*");

    // ---- helpers ------------------------------------------------------------------------------

    Expression expression(ParserRuleContext ctx) {
        return (Expression) visit(ctx);
    }

    Optional<Expression> optionalExpression(ParserRuleContext ctx) {
        return ctx == null ? Optional.empty() : Optional.of(expression(ctx));
    }

    List<Expression> expressions(List<? extends ParserRuleContext> contexts) {
        List<Expression> result = new ArrayList<>(contexts.size());
        for (ParserRuleContext ctx : contexts) {
            result.add(expression(ctx));
        }
        return result;
    }

    abstract Query query(QueryContext ctx);

    List<SortItem> sortItems(List<SortItemContext> contexts) {
        return contexts.stream().map(c -> (SortItem) visit(c)).toList();
    }

    // ---- sort items ---------------------------------------------------------------------------

    @Override
    public SortItem visitSortItem(SortItemContext ctx) {
        boolean descending = ctx.ordering != null && ctx.ordering.getType() == SluiceSqlLexer.DESC;
        Optional<Boolean> nullsFirst = ctx.nullOrdering == null
                ? Optional.empty()
                : Optional.of(ctx.nullOrdering.getType() == SluiceSqlLexer.FIRST);
        return new SortItem(expression(ctx.expression()), descending, nullsFirst, location(ctx));
    }

    // ---- boolean expressions and predicates ---------------------------------------------------

    @Override
    public Object visitExpression(ExpressionContext ctx) {
        return visit(ctx.booleanExpression());
    }

    @Override
    public Object visitPredicated(PredicatedContext ctx) {
        return ctx.predicate() == null ? visit(ctx.valueExpression()) : visit(ctx.predicate());
    }

    @Override
    public Expression visitLogicalNot(LogicalNotContext ctx) {
        Expression value = expression(ctx.booleanExpression());
        if (value instanceof Expression.Exists exists && !exists.negated()) {
            return new Expression.Exists(exists.query(), true, location(ctx));
        }
        return new Expression.Not(value, location(ctx));
    }

    @Override
    public Expression visitAnd(AndContext ctx) {
        return new Expression.Binary(BinaryOperator.AND, expression(ctx.left), expression(ctx.right), location(ctx));
    }

    @Override
    public Expression visitOr(OrContext ctx) {
        return new Expression.Binary(BinaryOperator.OR, expression(ctx.left), expression(ctx.right), location(ctx));
    }

    @Override
    public Expression visitComparison(ComparisonContext ctx) {
        Token op = ctx.comparisonOperator().getStart();
        BinaryOperator operator = switch (op.getType()) {
            case SluiceSqlLexer.EQ -> BinaryOperator.EQ;
            case SluiceSqlLexer.NEQ -> BinaryOperator.NE;
            case SluiceSqlLexer.LT -> BinaryOperator.LT;
            case SluiceSqlLexer.LTE -> BinaryOperator.LE;
            case SluiceSqlLexer.GT -> BinaryOperator.GT;
            case SluiceSqlLexer.GTE -> BinaryOperator.GE;
            default -> throw new IllegalStateException("comparison operator " + op.getText());
        };
        return new Expression.Binary(operator, expression(ctx.value), expression(ctx.right), location(ctx.value));
    }

    @Override
    public Expression visitBetween(BetweenContext ctx) {
        return new Expression.Between(expression(ctx.value), expression(ctx.lower), expression(ctx.upper),
                ctx.NOT() != null, location(ctx.value));
    }

    @Override
    public Expression visitIn(InContext ctx) {
        if (ctx.query() != null) {
            return new Expression.InSubquery(expression(ctx.value), query(ctx.query()), ctx.NOT() != null,
                    location(ctx.value));
        }
        return new Expression.InList(expression(ctx.value), expressions(ctx.expression()), ctx.NOT() != null,
                location(ctx.value));
    }

    @Override
    public Expression visitLike(LikeContext ctx) {
        return new Expression.Like(expression(ctx.value), expression(ctx.pattern), optionalExpression(ctx.escape),
                ctx.NOT() != null, ctx.op.getType() == SluiceSqlLexer.ILIKE, location(ctx.value));
    }

    @Override
    public Expression visitNullPredicate(NullPredicateContext ctx) {
        return new Expression.IsNull(expression(ctx.value), ctx.NOT() != null, location(ctx.value));
    }

    /** {@code a IS [NOT] DISTINCT FROM b}: the null-safe comparison operator of that name. */
    @Override
    public Expression visitDistinctFrom(DistinctFromContext ctx) {
        String operator = ctx.NOT() != null ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM";
        Identifier name = new Identifier(operator, false, location(ctx));
        return new Expression.FunctionCall(new QualifiedName(List.of(name), location(ctx)),
                List.of(expression(ctx.value), expression(ctx.right)), false, false, List.of(), List.of(),
                Optional.empty(), Optional.empty(), location(ctx.value));
    }

    /** PostgreSQL's {@code jsonb ? 'key'}: whether the object has the key (or the array the string). */
    @Override
    public Expression visitJsonKeyExists(JsonKeyExistsContext ctx) {
        Identifier name = new Identifier("JSONB_EXISTS", false, location(ctx));
        return new Expression.FunctionCall(new QualifiedName(List.of(name), location(ctx)),
                List.of(expression(ctx.value), expression(ctx.key)), false, false, List.of(), List.of(),
                Optional.empty(), Optional.empty(), location(ctx.value));
    }

    @Override
    public Expression visitBooleanPredicate(BooleanPredicateContext ctx) {
        return new Expression.IsBoolean(expression(ctx.value), ctx.booleanValue().TRUE() != null, ctx.NOT() != null,
                location(ctx.value));
    }

    // ---- arithmetic ---------------------------------------------------------------------------

    @Override
    public Object visitValueExpressionDefault(ValueExpressionDefaultContext ctx) {
        return visit(ctx.primaryExpression());
    }

    @Override
    public Expression visitArithmeticUnary(ArithmeticUnaryContext ctx) {
        Expression value = expression(ctx.valueExpression());
        return ctx.operator.getType() == SluiceSqlLexer.MINUS ? new Expression.Negate(value, location(ctx)) : value;
    }

    @Override
    public Expression visitArithmeticBinary(ArithmeticBinaryContext ctx) {
        BinaryOperator operator = switch (ctx.operator.getType()) {
            case SluiceSqlLexer.ASTERISK -> BinaryOperator.MULTIPLY;
            case SluiceSqlLexer.SLASH -> BinaryOperator.DIVIDE;
            case SluiceSqlLexer.PERCENT -> BinaryOperator.MODULO;
            case SluiceSqlLexer.PLUS -> BinaryOperator.PLUS;
            default -> BinaryOperator.MINUS;
        };
        return new Expression.Binary(operator, expression(ctx.left), expression(ctx.right), location(ctx));
    }

    @Override
    public Expression visitOtherOperator(OtherOperatorContext ctx) {
        Expression left = expression(ctx.left);
        Expression right = expression(ctx.right);
        return switch (ctx.operator.getType()) {
            case SluiceSqlLexer.CONCAT -> new Expression.Binary(BinaryOperator.CONCAT, left, right, location(ctx));
            case SluiceSqlLexer.ARROW -> new Expression.JsonAccess(left, right, false, location(ctx));
            default -> new Expression.JsonAccess(left, right, true, location(ctx));
        };
    }

    /**
     * {@code base->field} with a name on the right (ksqlDB's struct field access) binds as tightly as
     * {@code base.field}: {@code x->d + 5} adds to the field. {@code ->} with any other right operand
     * (a JSON key or index) stays a binary operator.
     */
    @Override
    public Expression visitArrowField(ArrowFieldContext ctx) {
        Identifier field = identifier(ctx.fieldName);
        return new Expression.JsonAccess(expression(ctx.base),
                new Expression.ColumnRef(List.of(field), field.location()), false, location(ctx));
    }

    // ---- literals -----------------------------------------------------------------------------

    @Override
    public Expression visitNullLiteral(NullLiteralContext ctx) {
        return new Expression.NullLiteral(location(ctx));
    }

    @Override
    public Expression visitStringLiteral(StringLiteralContext ctx) {
        return new Expression.StringLiteral(string(ctx.string()), location(ctx));
    }

    @Override
    public Expression visitNumericLiteral(NumericLiteralContext ctx) {
        return new Expression.NumericLiteral(ctx.getText(), location(ctx));
    }

    @Override
    public Expression visitBooleanLiteral(BooleanLiteralContext ctx) {
        return new Expression.BooleanLiteral(ctx.booleanValue().TRUE() != null, location(ctx));
    }

    @Override
    public Expression visitTypedLiteral(TypedLiteralContext ctx) {
        return new Expression.TypedLiteral(upper(ctx.literalType.getText()), string(ctx.string()), location(ctx));
    }

    @Override
    public Expression visitIntervalLiteral(IntervalLiteralContext ctx) {
        return visitInterval(ctx.interval());
    }

    @Override
    public Expression.IntervalLiteral visitInterval(IntervalContext ctx) {
        String value = ctx.value != null ? string(ctx.value) : ctx.amount.getText();
        boolean negative = ctx.sign != null && ctx.sign.getType() == SluiceSqlLexer.MINUS;
        Optional<String> unit = Optional.ofNullable(ctx.from).map(ExpressionBuilder::timeUnit);
        Optional<String> toUnit = Optional.ofNullable(ctx.to).map(ExpressionBuilder::timeUnit);
        String written = ctx.value != null ? ctx.value.getText() : value;
        if (unit.isEmpty() && INTERVAL_NUMBER.matcher(value).matches()) {
            throw new SqlSyntaxException(ctx.getStart().getLine(), ctx.getStart().getCharPositionInLine() + 1,
                    "INTERVAL " + written + " needs a unit: write INTERVAL '" + value.trim()
                            + "' SECOND or INTERVAL '" + value.trim() + " seconds'");
        }
        if (unit.isPresent() && toUnit.isEmpty() && !INTERVAL_NUMBER.matcher(value).matches()) {
            throw new SqlSyntaxException(ctx.getStart().getLine(), ctx.getStart().getCharPositionInLine() + 1,
                    "INTERVAL " + written + " " + unit.get() + ": the value must be a number, like '5'");
        }
        return new Expression.IntervalLiteral(value, negative, unit, toUnit, location(ctx));
    }

    /** Upper case and singular: MINUTES → MINUTE. */
    static String timeUnit(TimeUnitContext ctx) {
        String unit = upper(ctx.getText());
        return unit.endsWith("S") ? unit.substring(0, unit.length() - 1) : unit;
    }

    @Override
    public Expression visitPositionalParameter(PositionalParameterContext ctx) {
        return new Expression.Parameter("", location(ctx));
    }

    @Override
    public Expression visitNamedParameter(NamedParameterContext ctx) {
        return new Expression.Parameter(identifier(ctx.identifier()).value(), location(ctx));
    }

    @Override
    public Expression visitArrayConstructor(ArrayConstructorContext ctx) {
        return new Expression.ArrayConstructor(expressions(ctx.expression()), location(ctx));
    }

    @Override
    public Expression visitStructConstructor(StructConstructorContext ctx) {
        return new Expression.StructConstructor(ctx.structEntry().stream().map(e -> identifier(e.identifier())).toList(),
                ctx.structEntry().stream().map(e -> expression(e.expression())).toList(), location(ctx));
    }

    @Override
    public Expression visitMapConstructor(MapConstructorContext ctx) {
        return new Expression.MapConstructor(ctx.mapEntry().stream().map(e -> expression(e.key)).toList(),
                ctx.mapEntry().stream().map(e -> expression(e.value)).toList(), location(ctx));
    }

    // ---- names, paths and postfix operators ---------------------------------------------------

    @Override
    public Expression visitColumnReference(ColumnReferenceContext ctx) {
        Identifier name = identifier(ctx.identifier());
        if (!name.quoted() && NILADIC_FUNCTIONS.contains(upper(name.value()))) {
            return new Expression.FunctionCall(new QualifiedName(List.of(name), location(ctx)), List.of(), false,
                    false, List.of(), List.of(), Optional.empty(), Optional.empty(), location(ctx));
        }
        return new Expression.ColumnRef(List.of(name), location(ctx));
    }

    @Override
    public Expression visitDereference(DereferenceContext ctx) {
        Expression base = expression(ctx.base);
        Identifier field = identifier(ctx.fieldName);
        boolean bare = !(ctx.base instanceof ParenthesizedExpressionContext);
        if (bare && base instanceof Expression.ColumnRef ref) {
            List<Identifier> parts = new ArrayList<>(ref.parts());
            parts.add(field);
            return new Expression.ColumnRef(parts, ref.location());
        }
        if (bare && base instanceof Expression.VariantPath path) {
            // Snowflake: col:a.b is the same path as col:a:b
            List<String> elements = new ArrayList<>(path.path());
            elements.add(field.value());
            return new Expression.VariantPath(path.base(), elements, path.location());
        }
        return new Expression.Dereference(base, field, location(ctx));
    }

    @Override
    public Expression visitVariantPath(VariantPathContext ctx) {
        Expression base = expression(ctx.primaryExpression());
        String element = identifier(ctx.pathElement).value();
        if (base instanceof Expression.VariantPath path && !(ctx.primaryExpression() instanceof ParenthesizedExpressionContext)) {
            List<String> elements = new ArrayList<>(path.path());
            elements.add(element);
            return new Expression.VariantPath(path.base(), elements, path.location());
        }
        return new Expression.VariantPath(base, List.of(element), location(ctx));
    }

    @Override
    public Expression visitSubscript(SubscriptContext ctx) {
        return new Expression.Subscript(expression(ctx.value), expression(ctx.index), location(ctx));
    }

    @Override
    public Expression visitPostfixCast(PostfixCastContext ctx) {
        return new Expression.Cast(expression(ctx.primaryExpression()), type(ctx.type()), false, true, location(ctx));
    }

    @Override
    public Expression visitCast(CastContext ctx) {
        boolean safe = ctx.castKind.getType() == SluiceSqlLexer.TRY_CAST;
        return new Expression.Cast(expression(ctx.expression()), type(ctx.type()), safe, false, location(ctx));
    }

    @Override
    public Expression visitExtract(ExtractContext ctx) {
        return new Expression.Extract(upper(identifier(ctx.field).value()), expression(ctx.valueExpression()),
                location(ctx));
    }

    @Override
    public Object visitParenthesizedExpression(ParenthesizedExpressionContext ctx) {
        return visit(ctx.expression());
    }

    @Override
    public Expression visitSubqueryExpression(SubqueryExpressionContext ctx) {
        return new Expression.ScalarSubquery(query(ctx.query()), location(ctx));
    }

    @Override
    public Expression visitExists(ExistsContext ctx) {
        return new Expression.Exists(query(ctx.query()), false, location(ctx));
    }

    // ---- CASE ---------------------------------------------------------------------------------

    @Override
    public Expression visitSimpleCase(SimpleCaseContext ctx) {
        return new Expression.Case(Optional.of(expression(ctx.operand)), whens(ctx.whenClause()),
                optionalExpression(ctx.elseExpression), location(ctx));
    }

    @Override
    public Expression visitSearchedCase(SearchedCaseContext ctx) {
        return new Expression.Case(Optional.empty(), whens(ctx.whenClause()), optionalExpression(ctx.elseExpression),
                location(ctx));
    }

    private List<Expression.WhenClause> whens(List<WhenClauseContext> contexts) {
        return contexts.stream()
                .map(w -> new Expression.WhenClause(expression(w.condition), expression(w.result)))
                .toList();
    }

    // ---- function calls -----------------------------------------------------------------------

    @Override
    public Expression visitFunctionCall(FunctionCallContext ctx) {
        FunctionArgumentsContext args = ctx.functionArguments();
        boolean distinct = args.setQuantifier() != null && args.setQuantifier().DISTINCT() != null;
        List<SortItem> withinGroup = ctx.withinGroup() == null ? List.of() : sortItems(ctx.withinGroup().sortItem());
        Optional<Expression> filter = ctx.filter() == null
                ? Optional.empty()
                : Optional.of(expression(ctx.filter().booleanExpression()));
        Optional<Expression.Over> over = ctx.over() == null ? Optional.empty() : Optional.of(over(ctx.over()));
        List<Expression> arguments = args.functionArgument().stream().map(this::argument).toList();
        return new Expression.FunctionCall(qualifiedName(ctx.qualifiedName()), arguments,
                distinct, args.ASTERISK() != null, sortItems(args.sortItem()), withinGroup, filter, over,
                location(ctx));
    }

    private Expression argument(FunctionArgumentContext ctx) {
        if (ctx.lambdaParameters() == null) {
            return expression(ctx.expression());
        }
        List<Identifier> parameters = ctx.lambdaParameters().identifier().stream().map(this::identifier).toList();
        return new Expression.Lambda(parameters, expression(ctx.expression()), location(ctx));
    }

    private Expression.Over over(OverContext ctx) {
        Optional<Expression.WindowFrame> frame = Optional.empty();
        WindowFrameContext f = ctx.windowFrame();
        if (f != null) {
            frame = Optional.of(new Expression.WindowFrame(upper(f.frameType.getText()), frameBound(f.lowerBound),
                    f.upperBound == null ? Optional.empty() : Optional.of(frameBound(f.upperBound))));
        }
        return new Expression.Over(expressions(ctx.partition), sortItems(ctx.sortItem()), frame, location(ctx));
    }

    private Expression.FrameBound frameBound(FrameBoundContext ctx) {
        if (ctx instanceof UnboundedFrameContext unbounded) {
            return new Expression.FrameBound("UNBOUNDED_" + upper(unbounded.boundType.getText()), Optional.empty());
        }
        if (ctx instanceof BoundedFrameContext bounded) {
            return new Expression.FrameBound(upper(bounded.boundType.getText()),
                    Optional.of(expression(bounded.expression())));
        }
        return new Expression.FrameBound("CURRENT_ROW", Optional.empty());
    }
}
