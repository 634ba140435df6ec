package dev.sluice.grammar;

import dev.sluice.grammar.ast.AlterAction;
import dev.sluice.grammar.ast.ColumnDefinition;
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
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.WindowClause;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static dev.sluice.grammar.ExpressionFormatter.identifier;
import static dev.sluice.grammar.ExpressionFormatter.name;
import static dev.sluice.grammar.ExpressionFormatter.string;

/**
 * AST → SQL text. The output parses back to an equal AST (the parser tests check this on every
 * seed statement); layout is one clause per line, which is what {@code sluice explain} shows.
 */
public final class SqlFormatter {
    private final ExpressionFormatter expressions = new ExpressionFormatter(this::query);

    private SqlFormatter() {
    }

    public static String format(Statement statement) {
        return new SqlFormatter().statement(statement);
    }

    public static String format(Query query) {
        return new SqlFormatter().query(query);
    }

    public static String format(Expression expression) {
        return new SqlFormatter().expressions.format(expression);
    }

    // ---- statements ---------------------------------------------------------------------------

    private String statement(Statement s) {
        if (s instanceof Statement.QueryStatement q) {
            return query(q.query());
        }
        if (s instanceof Statement.CreateSource c) {
            return createSource(c);
        }
        if (s instanceof Statement.CreateAsSelect c) {
            StringBuilder text = new StringBuilder("CREATE ");
            if (c.orReplace()) {
                text.append("OR REPLACE ");
            }
            if (c.orAlter()) {
                text.append("OR ALTER ");
            }
            text.append(kind(c.kind())).append(' ');
            if (c.ifNotExists()) {
                text.append("IF NOT EXISTS ");
            }
            text.append(name(c.name()));
            if (!c.properties().isEmpty()) {
                text.append(" WITH ").append(properties(c.properties()));
            }
            for (Property option : c.objectOptions()) {
                text.append(' ').append(ExpressionFormatter.bareName(option.key())).append(" = ")
                        .append(expressions.operand(option.value()));
            }
            return text.append(" AS\n").append(query(c.query())).toString();
        }
        if (s instanceof Statement.InsertInto i) {
            String columns = i.columns().isEmpty() ? "" : " (" + identifiers(i.columns()) + ")";
            return "INSERT INTO " + name(i.target()) + columns + "\n" + query(i.query());
        }
        if (s instanceof Statement.InsertValues v) {
            String columns = v.columns().isEmpty() ? "" : " (" + identifiers(v.columns()) + ")";
            return "INSERT INTO " + name(v.target()) + columns + " VALUES ("
                    + String.join(", ", v.values().stream().map(expressions::operand).toList()) + ")";
        }
        if (s instanceof Statement.Set set) {
            return "SET " + string(set.key()) + " = " + string(set.value());
        }
        if (s instanceof Statement.Use u) {
            return "USE " + u.kind().map(k -> k + " ").orElse("") + name(u.name());
        }
        if (s instanceof Statement.Describe d) {
            return "DESCRIBE " + d.kind().map(k -> kind(k) + " ").orElse("") + (d.extended() ? "EXTENDED " : "")
                    + name(d.name());
        }
        if (s instanceof Statement.Show show) {
            return "SHOW " + String.join(" ", show.words()) + show.name().map(n -> " " + name(n)).orElse("")
                    + show.like().map(l -> " LIKE " + string(l)).orElse("")
                    + show.in().map(n -> " IN " + name(n)).orElse("")
                    + show.format().map(f -> " FORMAT " + ExpressionFormatter.bareName(f)).orElse("");
        }
        if (s instanceof Statement.Explain e) {
            return "EXPLAIN " + statement(e.statement());
        }
        if (s instanceof Statement.Alter a) {
            return "ALTER " + kind(a.kind()) + " " + name(a.name()) + " "
                    + a.actions().stream().map(this::alterAction).collect(Collectors.joining(",\n"));
        }
        if (s instanceof Statement.CreateFunction f) {
            return "CREATE FUNCTION " + (f.ifNotExists() ? "IF NOT EXISTS " : "") + name(f.name()) + " AS "
                    + string(f.className());
        }
        if (s instanceof Statement.Drop d) {
            return "DROP " + kind(d.kind()) + (d.ifExists() ? " IF EXISTS " : " ") + name(d.name())
                    + (d.deleteTopic() ? " DELETE TOPIC" : "");
        }
        if (s instanceof Statement.Accepted a) {
            return a.sql();
        }
        Statement.CommentOn c = (Statement.CommentOn) s;
        return "COMMENT ON " + kind(c.kind()) + " " + name(c.name()) + " IS " + string(c.comment());
    }

    private static String kind(Statement.ObjectKind kind) {
        return kind.name().replace('_', ' ');
    }

    private String createSource(Statement.CreateSource c) {
        StringBuilder text = new StringBuilder("CREATE ");
        if (c.orReplace()) {
            text.append("OR REPLACE ");
        }
        if (c.readOnly()) {
            text.append("SOURCE ");
        }
        text.append(kind(c.kind())).append(' ');
        if (c.ifNotExists()) {
            text.append("IF NOT EXISTS ");
        }
        text.append(name(c.name()));
        List<String> elements = new ArrayList<>();
        c.columns().forEach(column -> elements.add(column(column)));
        c.computedColumns().forEach(column -> elements.add(
                identifier(column.name()) + " AS " + expressions.format(column.expression())));
        c.watermark().ifPresent(w -> elements.add(
                "WATERMARK FOR " + identifier(w.column()) + " AS " + expressions.format(w.expression())));
        if (!c.primaryKey().isEmpty()) {
            elements.add("PRIMARY KEY (" + identifiers(c.primaryKey()) + ")");
        }
        if (!elements.isEmpty()) {
            text.append(" (\n    ").append(String.join(",\n    ", elements)).append("\n)");
        }
        if (!c.partitionedBy().isEmpty()) {
            text.append(" PARTITIONED BY (").append(identifiers(c.partitionedBy())).append(')');
        }
        if (!c.properties().isEmpty() || elements.isEmpty()) {
            text.append(" WITH ").append(properties(c.properties()));
        }
        return text.toString();
    }

    private String column(ColumnDefinition c) {
        StringBuilder text = new StringBuilder(identifier(c.name())).append(' ')
                .append(ExpressionFormatter.type(c.type()));
        if (c.rowtime()) {
            text.append(" ROWTIME");
        }
        if (c.notNull()) {
            text.append(" NOT NULL");
        }
        if (c.primaryKey()) {
            text.append(" PRIMARY KEY");
        }
        if (c.key()) {
            text.append(" KEY");
        }
        c.defaultValue().ifPresent(d -> text.append(" DEFAULT ").append(expressions.format(d)));
        c.header().ifPresent(h -> text.append(h.key().map(k -> " HEADER('" + k.replace("'", "''") + "')")
                .orElse(" HEADERS")));
        return text.toString();
    }

    private String alterAction(AlterAction action) {
        if (action instanceof AlterAction.AddColumn a) {
            return "ADD COLUMN " + column(a.column());
        }
        if (action instanceof AlterAction.DropColumn d) {
            return "DROP COLUMN " + identifier(d.column());
        }
        if (action instanceof AlterAction.AlterColumnType a) {
            return "ALTER COLUMN " + identifier(a.column()) + " TYPE " + ExpressionFormatter.type(a.type());
        }
        if (action instanceof AlterAction.AddConstraint a) {
            return "ADD CONSTRAINT " + identifier(a.name()) + " CHECK (" + expressions.format(a.check()) + ")";
        }
        if (action instanceof AlterAction.SetOptions o) {
            return "SET " + properties(o.properties());
        }
        if (action instanceof AlterAction.Control c) {
            return c.verb();
        }
        AlterAction.ResetOffset r = (AlterAction.ResetOffset) action;
        return "RESET OFFSET TO " + r.position().map(ExpressionFormatter::string)
                .orElseGet(() -> expressions.format(r.timestamp().orElseThrow()));
    }

    private String properties(List<Property> properties) {
        return "(" + properties.stream()
                .map(p -> string(p.key()) + " = " + expressions.format(p.value()))
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String identifiers(List<Identifier> identifiers) {
        return identifiers.stream().map(ExpressionFormatter::identifier).collect(Collectors.joining(", "));
    }

    // ---- queries ------------------------------------------------------------------------------

    String query(Query q) {
        StringBuilder text = new StringBuilder();
        if (!q.with().isEmpty()) {
            text.append("WITH ").append(q.with().stream().map(w -> identifier(w.name())
                    + (w.columnNames().isEmpty() ? "" : " (" + identifiers(w.columnNames()) + ")")
                    + " AS (\n" + query(w.query()) + "\n)").collect(Collectors.joining(",\n"))).append('\n');
        }
        text.append(body(q.body()));
        if (!q.orderBy().isEmpty()) {
            text.append("\nORDER BY ").append(expressions.sortItems(q.orderBy()));
        }
        q.limit().ifPresent(l -> text.append("\nLIMIT ").append(l));
        q.emit().ifPresent(e -> text.append('\n').append(emit(e)));
        return text.toString();
    }

    private String emit(Emit emit) {
        return switch (emit.kind()) {
            case CHANGES -> "EMIT CHANGES";
            case FINAL -> "EMIT FINAL";
            case AFTER_WATERMARK -> "EMIT AFTER WATERMARK"
                    + emit.delay().map(d -> " + " + expressions.format(d)).orElse("");
        };
    }

    private String body(QueryBody body) {
        if (body instanceof QueryBody.Nested n) {
            return "(" + query(n.query()) + ")";
        }
        if (body instanceof QueryBody.SetOperation s) {
            return body(s.left()) + "\n" + s.operator() + (s.all() ? " ALL" : "") + "\n" + body(s.right());
        }
        QueryBody.Select select = (QueryBody.Select) body;
        StringBuilder text = new StringBuilder("SELECT ");
        if (select.distinct()) {
            text.append("DISTINCT ");
        }
        if (!select.distinctOn().isEmpty()) {
            text.append("ON (").append(expressions.list(select.distinctOn())).append(") ");
        }
        text.append(select.items().stream().map(this::selectItem).collect(Collectors.joining(", ")));
        select.from().ifPresent(f -> text.append("\nFROM ").append(relation(f)));
        select.window().ifPresent(w -> text.append("\n").append(window(w)));
        select.where().ifPresent(w -> text.append("\nWHERE ").append(expressions.format(w)));
        if (!select.partitionBy().isEmpty()) {
            text.append("\nPARTITION BY ").append(expressions.list(select.partitionBy()));
        }
        if (!select.groupBy().isEmpty()) {
            text.append("\nGROUP BY ").append(expressions.list(select.groupBy()));
        }
        select.having().ifPresent(h -> text.append("\nHAVING ").append(expressions.format(h)));
        select.qualify().ifPresent(q -> text.append("\nQUALIFY ").append(expressions.format(q)));
        if (!select.into().isEmpty()) {
            text.append("\nINTO ").append(select.into().stream()
                    .map(t -> t.uri().map(ExpressionFormatter::string).orElseGet(() -> name(t.name().orElseThrow())))
                    .collect(Collectors.joining(", ")));
        }
        if (!select.options().isEmpty()) {
            text.append("\nWITH ").append(properties(select.options()));
        }
        return text.toString();
    }

    private String selectItem(SelectItem item) {
        if (item instanceof SelectItem.AllColumns all) {
            return all.qualifier().map(q -> name(q) + ".*").orElse("*");
        }
        if (item instanceof SelectItem.StructFields fields) {
            return expressions.format(fields.struct()) + "->*";
        }
        SelectItem.SingleColumn column = (SelectItem.SingleColumn) item;
        return expressions.format(column.expression()) + column.alias().map(a -> " AS " + identifier(a)).orElse("");
    }

    private String window(WindowClause w) {
        List<String> parameters = new ArrayList<>();
        parameters.add((w.kind() == WindowClause.Kind.SESSION ? "" : "SIZE ") + duration(w.size()));
        w.advance().ifPresent(a -> parameters.add("ADVANCE BY " + duration(a)));
        w.grace().ifPresent(g -> parameters.add("GRACE PERIOD " + duration(g)));
        w.retention().ifPresent(r -> parameters.add("RETENTION " + duration(r)));
        return "WINDOW " + w.kind() + " (" + String.join(", ", parameters) + ")";
    }

    private static String duration(Duration d) {
        return d.amount() + " " + d.unit();
    }

    private String relation(Relation r) {
        if (r instanceof Relation.Table t) {
            return name(t.name()) + alias(t.alias());
        }
        if (r instanceof Relation.TemporalTable t) {
            return name(t.name()) + " FOR SYSTEM_TIME AS OF " + expressions.format(t.asOf()) + alias(t.alias());
        }
        if (r instanceof Relation.UriSource u) {
            return string(u.uri()) + alias(u.alias());
        }
        if (r instanceof Relation.Subquery s) {
            return "(\n" + query(s.query()) + "\n)" + alias(s.alias());
        }
        if (r instanceof Relation.WindowTableFunction w) {
            String input = w.input() instanceof Relation.Table t ? name(t.name()) : relation(w.input());
            StringBuilder text = new StringBuilder("TABLE(").append(w.function()).append("(TABLE ").append(input);
            if (!w.partitionKeys().isEmpty()) {
                text.append(" PARTITION BY ").append(expressions.list(w.partitionKeys()));
            }
            text.append(", DESCRIPTOR(").append(identifier(w.timeColumn())).append(')');
            for (Expression argument : w.arguments()) {
                text.append(", ").append(expressions.format(argument));
            }
            return text.append("))").append(alias(w.alias())).toString();
        }
        Relation.Join j = (Relation.Join) r;
        String right = j.right() instanceof Relation.Join ? "(" + relation(j.right()) + ")" : relation(j.right());
        if (j.type() == Relation.JoinType.CROSS) {
            return relation(j.left()) + "\nCROSS JOIN " + right;
        }
        String type = j.type() == Relation.JoinType.INNER ? "" : j.type() + " ";
        return relation(j.left()) + "\n" + type + "JOIN " + right + j.within().map(this::within).orElse("")
                + j.condition().map(c -> " ON " + expressions.format(c)).orElse("");
    }

    private String within(JoinWithin w) {
        String window = w.before().equals(w.after()) && w.before().amount() == w.after().amount()
                ? duration(w.before())
                : "(" + duration(w.before()) + ", " + duration(w.after()) + ")";
        return " WITHIN " + window + w.grace().map(g -> " GRACE PERIOD " + duration(g)).orElse("");
    }

    private static String alias(java.util.Optional<Identifier> alias) {
        return alias.map(a -> " " + identifier(a)).orElse("");
    }
}
