package dev.sluice.grammar;

import dev.sluice.grammar.SluiceSqlParser.*;
import dev.sluice.grammar.ast.Duration;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.JoinWithin;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.WindowClause;
import org.antlr.v4.runtime.ParserRuleContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Queries, SELECT blocks, relations and the streaming clauses (WINDOW, WITHIN, EMIT, INTO, WITH). */
abstract class QueryBuilder extends ExpressionBuilder {

    @Override
    Query query(QueryContext ctx) {
        return (Query) visit(ctx);
    }

    static SqlSyntaxException error(ParserRuleContext ctx, String message) {
        return new SqlSyntaxException(ctx.getStart().getLine(), ctx.getStart().getCharPositionInLine() + 1, message);
    }

    List<Property> properties(PropertiesContext ctx) {
        return ctx == null ? List.of() : ctx.property().stream().map(p -> (Property) visit(p)).toList();
    }

    @Override
    public Property visitProperty(PropertyContext ctx) {
        String key;
        if (ctx.key instanceof StringPropertyKeyContext s) {
            key = string(s.string());
        } else {
            key = String.join(".", identifiers(((IdentifierPropertyKeyContext) ctx.key).identifier())
                    .stream().map(Identifier::value).toList());
        }
        return new Property(key, expression(ctx.value), location(ctx));
    }

    // ---- query structure ----------------------------------------------------------------------

    @Override
    public Query visitQuery(QueryContext ctx) {
        List<Query.WithQuery> with = ctx.with() == null
                ? List.of()
                : ctx.with().namedQuery().stream().map(this::namedQuery).toList();
        QueryNoWithContext body = ctx.queryNoWith();
        Optional<Long> limit = body.limitClause() == null
                ? Optional.empty()
                : Optional.of(limit(body.limitClause()));
        Optional<Emit> emit = body.emitClause() == null
                ? Optional.empty()
                : Optional.of((Emit) visit(body.emitClause()));
        return new Query(with, (QueryBody) visit(body.queryTerm()), sortItems(body.sortItem()), limit, emit,
                location(ctx));
    }

    private long limit(LimitClauseContext ctx) {
        try {
            return Long.parseLong(ctx.limit.getText());
        } catch (NumberFormatException e) {
            throw error(ctx, "LIMIT " + ctx.limit.getText() + " is too large");
        }
    }

    private Query.WithQuery namedQuery(NamedQueryContext ctx) {
        List<Identifier> columns = ctx.columnAliases() == null ? List.of() : identifiers(ctx.columnAliases().identifier());
        return new Query.WithQuery(identifier(ctx.name), columns, query(ctx.query()), location(ctx));
    }

    @Override
    public Emit visitEmitChanges(EmitChangesContext ctx) {
        return new Emit(Emit.Kind.CHANGES, Optional.empty(), location(ctx));
    }

    @Override
    public Emit visitEmitFinal(EmitFinalContext ctx) {
        return new Emit(Emit.Kind.FINAL, Optional.empty(), location(ctx));
    }

    @Override
    public Emit visitEmitAfterWatermark(EmitAfterWatermarkContext ctx) {
        Optional<Expression> delay = ctx.delay == null ? Optional.empty() : Optional.of(visitInterval(ctx.delay));
        return new Emit(Emit.Kind.AFTER_WATERMARK, delay, location(ctx));
    }

    @Override
    public Object visitQueryTermDefault(QueryTermDefaultContext ctx) {
        return visit(ctx.queryPrimary());
    }

    @Override
    public QueryBody visitSetOperation(SetOperationContext ctx) {
        boolean all = ctx.setQuantifier() != null && ctx.setQuantifier().ALL() != null;
        return new QueryBody.SetOperation(upper(ctx.operator.getText()), all, (QueryBody) visit(ctx.left),
                (QueryBody) visit(ctx.right), location(ctx.operator));
    }

    @Override
    public Object visitQueryPrimaryDefault(QueryPrimaryDefaultContext ctx) {
        return visit(ctx.querySpecification());
    }

    @Override
    public QueryBody visitSubquery(SubqueryContext ctx) {
        return new QueryBody.Nested(query(ctx.query()), location(ctx));
    }

    @Override
    public QueryBody visitQuerySpecification(QuerySpecificationContext ctx) {
        boolean distinct = ctx.setQuantifier() != null && ctx.setQuantifier().DISTINCT() != null;
        List<Expression> distinctOn = ctx.distinctOn() == null ? List.of() : expressions(ctx.distinctOn().expression());
        List<SelectItem> items = ctx.selectItem().stream().map(i -> (SelectItem) visit(i)).toList();
        Optional<Relation> from = Optional.empty();
        for (RelationContext relation : ctx.relation()) {
            Relation next = (Relation) visit(relation);
            // FROM a, b is a cross join, as in SQL-92
            from = Optional.of(from.isEmpty() ? next
                    : new Relation.Join(Relation.JoinType.CROSS, from.get(), next, Optional.empty(), Optional.empty(),
                    location(relation)));
        }
        Optional<WindowClause> window = ctx.windowClause() == null
                ? Optional.empty()
                : Optional.of(windowClause(ctx.windowClause()));
        List<QueryBody.SinkTarget> into = ctx.sinkTarget().stream().map(s -> (QueryBody.SinkTarget) visit(s)).toList();
        if (ctx.noPartitionBy != null) {
            // ksqlDB's grammar takes an empty list, and its PartitionBy node refuses it
            throw new SqlException(location(ctx.noPartitionBy).line(), location(ctx.noPartitionBy).column(),
                    "PARTITION BY requires at least one expression", "name the column(s) to key the rows by");
        }
        return new QueryBody.Select(distinct, distinctOn, items, from, window, optionalExpression(ctx.where),
                expressions(ctx.groupBy), optionalExpression(ctx.having), optionalExpression(ctx.qualify), into,
                properties(ctx.properties()), location(ctx), expressions(ctx.partitionBy));
    }

    @Override
    public SelectItem visitSelectSingle(SelectSingleContext ctx) {
        Optional<Identifier> alias = ctx.alias == null ? Optional.empty() : Optional.of(identifier(ctx.alias));
        if (ctx.structFields != null) {
            return new SelectItem.StructFields(expression(ctx.expression()), location(ctx)); // ksqlDB's struct->*
        }
        return new SelectItem.SingleColumn(expression(ctx.expression()), alias, location(ctx));
    }

    @Override
    public SelectItem visitSelectAll(SelectAllContext ctx) {
        return new SelectItem.AllColumns(Optional.ofNullable(ctx.qualifiedName()).map(this::qualifiedName),
                location(ctx));
    }

    @Override
    public QueryBody.SinkTarget visitUriSink(UriSinkContext ctx) {
        return new QueryBody.SinkTarget(Optional.of(string(ctx.string())), Optional.empty(), location(ctx));
    }

    @Override
    public QueryBody.SinkTarget visitNamedSink(NamedSinkContext ctx) {
        return new QueryBody.SinkTarget(Optional.empty(), Optional.of(qualifiedName(ctx.qualifiedName())),
                location(ctx));
    }

    // ---- ksqlDB windows and durations ---------------------------------------------------------

    private WindowClause windowClause(WindowClauseContext ctx) {
        WindowClause.Kind kind = WindowClause.Kind.valueOf(upper(ctx.kind.getText()));
        Duration size = null;
        Duration advance = null;
        Duration grace = null;
        Duration retention = null;
        for (WindowParameterContext p : ctx.windowParameter()) {
            if (p instanceof WindowSizeContext s && kind != WindowClause.Kind.SESSION) {
                size = once(size, duration(s.duration()), p, "SIZE");
            } else if (p instanceof WindowGapContext g && kind == WindowClause.Kind.SESSION) {
                size = once(size, duration(g.duration()), p, "the session gap");
            } else if (p instanceof WindowAdvanceContext a && kind == WindowClause.Kind.HOPPING) {
                advance = once(advance, duration(a.duration()), p, "ADVANCE BY");
            } else if (p instanceof WindowGraceContext g) {
                grace = once(grace, duration(g.duration()), p, "GRACE PERIOD");
            } else if (p instanceof WindowRetentionContext r) {
                retention = once(retention, duration(r.duration()), p, "RETENTION");
            } else {
                throw error(p, "WINDOW " + kind + " does not take " + sourceText(p) + "; "
                        + usage(kind));
            }
        }
        if (size == null || (kind == WindowClause.Kind.HOPPING && advance == null)) {
            throw error(ctx, "WINDOW " + kind + " is missing " + (size == null ? "its size" : "ADVANCE BY")
                    + "; " + usage(kind));
        }
        return new WindowClause(kind, size, Optional.ofNullable(advance), Optional.ofNullable(grace),
                Optional.ofNullable(retention), location(ctx));
    }

    private static String usage(WindowClause.Kind kind) {
        return switch (kind) {
            case TUMBLING -> "write WINDOW TUMBLING (SIZE 5 MINUTES [, GRACE PERIOD 30 SECONDS])";
            case HOPPING -> "write WINDOW HOPPING (SIZE 15 MINUTES, ADVANCE BY 1 MINUTE [, GRACE PERIOD 30 SECONDS])";
            case SESSION -> "write WINDOW SESSION (30 MINUTES [, GRACE PERIOD 30 SECONDS])";
        };
    }

    private static Duration once(Duration existing, Duration next, ParserRuleContext ctx, String what) {
        if (existing != null) {
            throw error(ctx, what + " is given twice in one WINDOW clause");
        }
        return next;
    }

    Duration duration(DurationContext ctx) {
        long amount;
        try {
            amount = Long.parseLong(ctx.amount.getText());
        } catch (NumberFormatException e) {
            throw error(ctx, "duration " + ctx.amount.getText() + " is too large");
        }
        return new Duration(amount, upper(ctx.unit.getText()), location(ctx));
    }

    // ---- relations ----------------------------------------------------------------------------

    @Override
    public Object visitRelationDefault(RelationDefaultContext ctx) {
        return visit(ctx.aliasedRelation());
    }

    @Override
    public Relation visitJoinRelation(JoinRelationContext ctx) {
        JoinTypeContext type = ctx.joinType();
        Relation.JoinType joinType = type.LEFT() != null ? Relation.JoinType.LEFT
                : type.RIGHT() != null ? Relation.JoinType.RIGHT
                : type.FULL() != null ? Relation.JoinType.FULL
                : Relation.JoinType.INNER;
        Optional<JoinWithin> within = ctx.joinWithin() == null ? Optional.empty() : Optional.of(within(ctx.joinWithin()));
        return new Relation.Join(joinType, (Relation) visit(ctx.left), (Relation) visit(ctx.right),
                Optional.of(expression(ctx.condition)), within, location(ctx));
    }

    private JoinWithin within(JoinWithinContext ctx) {
        Duration before = duration(ctx.size != null ? ctx.size : ctx.before);
        Duration after = ctx.size != null ? before : duration(ctx.after);
        Optional<Duration> grace = ctx.grace == null ? Optional.empty() : Optional.of(duration(ctx.grace));
        return new JoinWithin(before, after, grace, location(ctx));
    }

    @Override
    public Relation visitCrossJoin(CrossJoinContext ctx) {
        return new Relation.Join(Relation.JoinType.CROSS, (Relation) visit(ctx.left), (Relation) visit(ctx.right),
                Optional.empty(), Optional.empty(), location(ctx));
    }

    @Override
    public Relation visitAliasedRelation(AliasedRelationContext ctx) {
        Optional<Identifier> alias = ctx.alias == null ? Optional.empty() : Optional.of(identifier(ctx.alias));
        RelationPrimaryContext primary = ctx.relationPrimary();
        if (ctx.asOf != null) {
            if (!(primary instanceof TableNameContext t)) {
                throw error(ctx.asOf, "FOR SYSTEM_TIME AS OF needs a table name before it (a lookup join reads a table)");
            }
            return new Relation.TemporalTable(qualifiedName(t.qualifiedName()), expression(ctx.asOf), alias,
                    location(ctx));
        }
        if (primary instanceof TableNameContext t) {
            return new Relation.Table(qualifiedName(t.qualifiedName()), alias, location(ctx));
        }
        if (primary instanceof UriSourceContext u) {
            return new Relation.UriSource(string(u.string()), alias, location(ctx));
        }
        if (primary instanceof SubqueryRelationContext s) {
            return new Relation.Subquery(query(s.query()), alias, location(ctx));
        }
        if (primary instanceof WindowTableFunctionContext w) {
            return windowTableFunction(w, alias, ctx);
        }
        ParenthesizedRelationContext parenthesized = (ParenthesizedRelationContext) primary;
        if (alias.isPresent()) {
            throw error(ctx.alias, "an alias cannot name a parenthesised join; alias the tables inside it instead");
        }
        return (Relation) visit(parenthesized.relation());
    }

    private Relation windowTableFunction(WindowTableFunctionContext w, Optional<Identifier> alias,
                                         AliasedRelationContext ctx) {
        String function = upper(identifier(w.windowFunction).value());
        if (!List.of("TUMBLE", "HOP", "CUMULATE", "SESSION").contains(function)) {
            throw error(w.windowFunction, "unknown window table function " + function
                    + ": expected TUMBLE, HOP, CUMULATE or SESSION");
        }
        Relation input = new Relation.Table(qualifiedName(w.input), Optional.empty(), location(w.input));
        List<Expression> partitionKeys = new ArrayList<>(expressions(w.partitionKeys));
        return new Relation.WindowTableFunction(function, input, identifier(w.timeColumn),
                expressions(w.windowArguments), partitionKeys, alias, location(ctx));
    }
}
