package dev.sluice.grammar;

import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.QualifiedName;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.grammar.ast.TypeSpec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Short constructors for hand-written expected ASTs. Locations are ignored by equals. */
final class Ast {
    static final NodeLocation L = NodeLocation.UNKNOWN;

    private Ast() {
    }

    static Identifier id(String name) {
        return new Identifier(name, false, L);
    }

    static Identifier quotedId(String name) {
        return new Identifier(name, true, L);
    }

    static QualifiedName name(String... parts) {
        return new QualifiedName(Arrays.stream(parts).map(Ast::id).toList(), L);
    }

    static Expression.ColumnRef col(String... parts) {
        return new Expression.ColumnRef(Arrays.stream(parts).map(Ast::id).toList(), L);
    }

    static Expression str(String value) {
        return new Expression.StringLiteral(value, L);
    }

    static Expression num(String text) {
        return new Expression.NumericLiteral(text, L);
    }

    static Expression bool(boolean value) {
        return new Expression.BooleanLiteral(value, L);
    }

    static Expression interval(String value, String unit) {
        return new Expression.IntervalLiteral(value, false, Optional.ofNullable(unit), Optional.empty(), L);
    }

    static Expression binary(BinaryOperator operator, Expression left, Expression right) {
        return new Expression.Binary(operator, left, right, L);
    }

    static Expression.FunctionCall call(String name, Expression... arguments) {
        return Expression.FunctionCall.simple(name, List.of(arguments), L);
    }

    static Expression.FunctionCall countStar() {
        return new Expression.FunctionCall(QualifiedName.of("COUNT"), List.of(), false, true, List.of(), List.of(),
                Optional.empty(), Optional.empty(), L);
    }

    static TypeSpec type(String name, Integer... parameters) {
        return new TypeSpec.Named(name, List.of(parameters), L);
    }

    static SelectItem item(Expression expression) {
        return new SelectItem.SingleColumn(expression, Optional.empty(), L);
    }

    static SelectItem item(Expression expression, String alias) {
        return new SelectItem.SingleColumn(expression, Optional.of(id(alias)), L);
    }

    static SelectItem star() {
        return new SelectItem.AllColumns(Optional.empty(), L);
    }

    static SortItem asc(Expression key) {
        return new SortItem(key, false, Optional.empty(), L);
    }

    static SortItem desc(Expression key) {
        return new SortItem(key, true, Optional.empty(), L);
    }

    static Property property(String key, Expression value) {
        return new Property(key, value, L);
    }

    static Relation table(String name, String alias) {
        return new Relation.Table(name(name.split("\\.")), Optional.ofNullable(alias).map(Ast::id), L);
    }

    /** A SELECT block with only items and FROM; use {@link SelectBuilder} methods for the rest. */
    static SelectBuilder select(SelectItem... items) {
        return new SelectBuilder(List.of(items));
    }

    static Query query(QueryBody body) {
        return new Query(List.of(), body, List.of(), Optional.empty(), Optional.empty(), L);
    }

    static final class SelectBuilder {
        private final List<SelectItem> items;
        private boolean distinct;
        private List<Expression> distinctOn = List.of();
        private Relation from;
        private Expression where;
        private List<Expression> groupBy = List.of();
        private Expression having;
        private Expression qualify;
        private List<QueryBody.SinkTarget> into = List.of();
        private List<Property> options = List.of();
        private dev.sluice.grammar.ast.WindowClause window;

        SelectBuilder(List<SelectItem> items) {
            this.items = items;
        }

        SelectBuilder distinctOn(Expression... keys) {
            distinct = true;
            distinctOn = List.of(keys);
            return this;
        }

        SelectBuilder from(Relation relation) {
            from = relation;
            return this;
        }

        SelectBuilder window(dev.sluice.grammar.ast.WindowClause clause) {
            window = clause;
            return this;
        }

        SelectBuilder where(Expression condition) {
            where = condition;
            return this;
        }

        SelectBuilder groupBy(Expression... keys) {
            groupBy = List.of(keys);
            return this;
        }

        SelectBuilder having(Expression condition) {
            having = condition;
            return this;
        }

        SelectBuilder qualify(Expression condition) {
            qualify = condition;
            return this;
        }

        SelectBuilder into(String... uris) {
            into = Arrays.stream(uris).map(u -> new QueryBody.SinkTarget(Optional.of(u), Optional.empty(), L)).toList();
            return this;
        }

        SelectBuilder options(Property... properties) {
            options = List.of(properties);
            return this;
        }

        QueryBody.Select build() {
            return new QueryBody.Select(distinct, distinctOn, items, Optional.ofNullable(from), Optional.ofNullable(window),
                    Optional.ofNullable(where), groupBy, Optional.ofNullable(having), Optional.ofNullable(qualify),
                    into, options, L);
        }
    }
}
