package dev.sluice.grammar;

import dev.sluice.grammar.SluiceSqlParser.*;
import dev.sluice.grammar.ast.AlterAction;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.ComputedColumn;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.HeaderSource;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.Statement.ObjectKind;
import dev.sluice.grammar.ast.TableConstraint;
import dev.sluice.grammar.ast.TypeSpec;
import dev.sluice.grammar.ast.Watermark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a parse tree into the immutable AST ({@code dev.sluice.grammar.ast}), stamping every node
 * with the line and column where it starts. Expressions and queries are built by the classes it
 * extends; this one handles statements.
 */
public final class AstBuilder extends QueryBuilder {

    Statement statement(StatementContext ctx) {
        return (Statement) visit(ctx);
    }

    @Override
    public Statement visitStatementDefault(StatementDefaultContext ctx) {
        return new Statement.QueryStatement(query(ctx.query()), location(ctx));
    }

    // ---- CREATE -------------------------------------------------------------------------------

    @Override
    public Statement visitCreate(CreateContext ctx) {
        if (ctx.INDEX() != null) {
            return createIndex(ctx);
        }
        if (ctx.typeName != null) {
            return createType(ctx);
        }
        if (ctx.readOnly != null && (ctx.function != null || !(ctx.kind instanceof StreamKindContext
                || ctx.kind instanceof TableKindContext) || ctx.createBody() instanceof CreateAsQueryContext)) {
            throw error(ctx, "CREATE SOURCE declares a read-only STREAM or TABLE over a topic, with columns or WITH (...)");
        }
        if (ctx.function != null) {
            return createFunction(ctx);
        }
        if (ctx.createBody() instanceof CreateFunctionBodyContext body) {
            throw error(body, "AS 'class name' declares a FUNCTION; a " + objectKind(ctx.kind) + " is AS followed by a query");
        }
        ObjectKind kind = objectKind(ctx.kind);
        if (ctx.createBody() instanceof CreateAsQueryContext body) {
            List<Property> objectOptions = body.objectOption().stream()
                    .map(o -> new Property(identifier(o.key).value(), expression(o.value), location(o)))
                    .toList();
            return new Statement.CreateAsSelect(kind, qualifiedName(ctx.name), ctx.REPLACE() != null,
                    ctx.ALTER() != null, ctx.EXISTS() != null, properties(body.properties()), objectOptions,
                    query(body.query()), location(ctx));
        }
        if (kind != ObjectKind.STREAM && kind != ObjectKind.TABLE) {
            throw error(ctx.createBody(), "CREATE " + kind.name().replace('_', ' ')
                    + " needs AS followed by a query; only a STREAM or TABLE is declared with columns or WITH (...) alone");
        }
        if (ctx.ALTER() != null) {
            throw error(ctx, "CREATE OR ALTER needs AS followed by a query; use CREATE OR REPLACE to redeclare a "
                    + kind);
        }
        List<TableElementContext> elements = ctx.createBody() instanceof CreateWithColumnsContext columns
                ? columns.tableElement() : List.of();
        List<Identifier> partitionedBy = ctx.createBody() instanceof CreateWithColumnsContext columns
                && columns.partitionedBy != null ? identifiers(columns.partitionedBy.identifier()) : List.of();
        PropertiesContext properties = ctx.createBody() instanceof CreateWithColumnsContext columns
                ? columns.properties() : ((CreateWithOptionsOnlyContext) ctx.createBody()).properties();
        return createSource(ctx, kind, elements, partitionedBy, properties);
    }

    private Statement createSource(CreateContext ctx, ObjectKind kind, List<TableElementContext> elements,
                                   List<Identifier> partitionedBy, PropertiesContext properties) {
        List<ColumnDefinition> columns = new ArrayList<>();
        List<ComputedColumn> computed = new ArrayList<>();
        List<Identifier> primaryKey = List.of();
        Watermark watermark = null;
        List<TableConstraint> constraints = new ArrayList<>();
        for (TableElementContext element : elements) {
            if (element instanceof CheckElementContext c) {
                constraints.add(new TableConstraint.Check(Optional.ofNullable(c.constraintName).map(this::identifier),
                        expression(c.expression()), location(c)));
            } else if (element instanceof UniqueElementContext u) {
                constraints.add(new TableConstraint.Unique(Optional.ofNullable(u.constraintName).map(this::identifier),
                        u.expression().stream().map(this::expression).toList(), location(u)));
            } else if (element instanceof ColumnElementContext c) {
                columns.add(columnDefinition(c.columnDefinition()));
            } else if (element instanceof ComputedColumnElementContext c) {
                computed.add(new ComputedColumn(identifier(c.name), expression(c.expression()), location(c)));
            } else if (element instanceof WatermarkElementContext w) {
                if (watermark != null) {
                    throw error(w, "a " + kind + " can have only one WATERMARK");
                }
                watermark = new Watermark(identifier(w.column), expression(w.expression()), location(w));
            } else {
                PrimaryKeyElementContext pk = (PrimaryKeyElementContext) element;
                if (!primaryKey.isEmpty()) {
                    throw error(pk, "a " + kind + " can have only one PRIMARY KEY");
                }
                primaryKey = identifiers(pk.columnAliases().identifier());
            }
        }
        return new Statement.CreateSource(kind, qualifiedName(ctx.name), ctx.REPLACE() != null, ctx.EXISTS() != null,
                columns, computed, primaryKey, Optional.ofNullable(watermark), partitionedBy, properties(properties),
                constraints, location(ctx), ctx.readOnly != null);
    }

    ColumnDefinition columnDefinition(ColumnDefinitionContext ctx) {
        boolean rowtime = false;
        boolean notNull = false;
        boolean primaryKey = false;
        boolean key = false;
        Optional<Expression> defaultValue = Optional.empty();
        Optional<HeaderSource> header = Optional.empty();
        for (ColumnAttributeContext attribute : ctx.columnAttribute()) {
            if (attribute instanceof RowtimeAttributeContext) {
                rowtime = true;
            } else if (attribute instanceof NotNullAttributeContext) {
                notNull = true;
            } else if (attribute instanceof PrimaryKeyAttributeContext) {
                primaryKey = true;
            } else if (attribute instanceof KeyAttributeContext) {
                key = true;
            } else if (attribute instanceof DefaultAttributeContext d) {
                defaultValue = Optional.of(expression(d.expression()));
            } else if (attribute instanceof HeadersAttributeContext) {
                header = Optional.of(HeaderSource.ALL);
            } else if (attribute instanceof HeaderAttributeContext h) {
                header = Optional.of(new HeaderSource(Optional.of(string(h.headerKey))));
            }
            // NULL (explicitly nullable) is the default and needs no flag.
        }
        return new ColumnDefinition(identifier(ctx.name), type(ctx.type()), rowtime, notNull, primaryKey, key,
                defaultValue, location(ctx), header);
    }

    static ObjectKind objectKind(ObjectKindContext ctx) {
        if (ctx instanceof StreamKindContext) {
            return ObjectKind.STREAM;
        }
        if (ctx instanceof TableKindContext) {
            return ObjectKind.TABLE;
        }
        if (ctx instanceof DynamicTableKindContext) {
            return ObjectKind.DYNAMIC_TABLE;
        }
        if (ctx instanceof ViewKindContext) {
            return ObjectKind.VIEW;
        }
        return ObjectKind.MATERIALIZED_VIEW;
    }

    private static List<String> words(ObjectKind kind) {
        return List.of(kind.name().split("_"));
    }

    // ---- other statements ---------------------------------------------------------------------

    private Statement createFunction(CreateContext ctx) {
        if (!(ctx.createBody() instanceof CreateFunctionBodyContext body)) {
            throw error(ctx.createBody(), "CREATE FUNCTION needs AS 'class name' (a Java class in a --udf-jar)");
        }
        if (ctx.OR() != null) {
            throw error(ctx, "CREATE OR REPLACE FUNCTION is not supported: a function is declared once");
        }
        if (body.language != null && !identifier(body.language).value().equalsIgnoreCase("JAVA")) {
            throw error(body.language, "user-defined functions are Java classes: LANGUAGE JAVA, not "
                    + identifier(body.language).value());
        }
        return new Statement.CreateFunction(qualifiedName(ctx.name), string(body.className), ctx.EXISTS() != null,
                location(ctx));
    }

    @Override
    public Statement visitInsertInto(InsertIntoContext ctx) {
        List<Identifier> columns = ctx.columnAliases() == null ? List.of() : identifiers(ctx.columnAliases().identifier());
        if (ctx.VALUES() != null) {
            return new Statement.InsertValues(qualifiedName(ctx.target), columns,
                    ctx.expression().stream().map(this::expression).toList(), location(ctx));
        }
        return new Statement.InsertInto(qualifiedName(ctx.target), columns, query(ctx.query()), location(ctx));
    }

    @Override
    public Statement visitSetSession(SetSessionContext ctx) {
        String key = ctx.key instanceof StringSetKeyContext s
                ? string(s.string())
                : dotted(((IdentifierSetKeyContext) ctx.key).identifier());
        String value;
        if (ctx.value instanceof StringSetValueContext s) {
            value = string(s.string());
        } else if (ctx.value instanceof IdentifierSetValueContext i) {
            value = dotted(i.identifier());
        } else {
            value = ctx.value.getText();
        }
        return new Statement.Set(key, value, location(ctx));
    }

    private String dotted(List<IdentifierContext> parts) {
        return String.join(".", identifiers(parts).stream().map(Identifier::value).toList());
    }

    @Override
    public Statement visitUse(UseContext ctx) {
        Optional<String> kind = ctx.DATABASE() != null ? Optional.of("DATABASE")
                : ctx.SCHEMA() != null ? Optional.of("SCHEMA") : Optional.empty();
        return new Statement.Use(kind, qualifiedName(ctx.qualifiedName()), location(ctx));
    }

    @Override
    public Statement visitDescribe(DescribeContext ctx) {
        Optional<ObjectKind> kind = Optional.ofNullable(ctx.objectKind()).map(AstBuilder::objectKind);
        return new Statement.Describe(kind, qualifiedName(ctx.qualifiedName()), ctx.EXTENDED() != null, location(ctx));
    }

    @Override
    public Statement visitShowCreate(ShowCreateContext ctx) {
        List<String> words = new ArrayList<>();
        words.add("CREATE");
        words.addAll(words(objectKind(ctx.objectKind())));
        Optional<String> format = ctx.format == null ? Optional.empty() : Optional.of(upper(identifier(ctx.format).value()));
        return new Statement.Show(words, Optional.of(qualifiedName(ctx.qualifiedName())), Optional.empty(),
                Optional.empty(), format, location(ctx));
    }

    @Override
    public Statement visitShowHealth(ShowHealthContext ctx) {
        List<String> words = new ArrayList<>(words(objectKind(ctx.objectKind())));
        words.add("HEALTH");
        return new Statement.Show(words, Optional.of(qualifiedName(ctx.qualifiedName())), Optional.empty(),
                Optional.empty(), Optional.empty(), location(ctx));
    }

    @Override
    public Statement visitShowObjects(ShowObjectsContext ctx) {
        List<String> words = ctx.showTarget().children.stream().map(c -> upper(c.getText())).toList();
        Optional<String> like = ctx.like == null ? Optional.empty() : Optional.of(string(ctx.like));
        return new Statement.Show(words, Optional.empty(), like,
                Optional.ofNullable(ctx.inName).map(this::qualifiedName), Optional.empty(), location(ctx));
    }

    @Override
    public Statement visitExplain(ExplainContext ctx) {
        return new Statement.Explain(statement(ctx.statement()), location(ctx));
    }

    @Override
    public Statement visitAlter(AlterContext ctx) {
        List<AlterAction> actions = ctx.alterAction().stream().map(a -> (AlterAction) visit(a)).toList();
        return new Statement.Alter(objectKind(ctx.objectKind()), qualifiedName(ctx.qualifiedName()), actions,
                location(ctx));
    }

    /** ksqlDB's {@code CREATE TYPE name AS type}: the name stands for the type in later statements. */
    private Statement createType(CreateContext ctx) {
        String name = identifier(ctx.typeName).value().toUpperCase(java.util.Locale.ROOT);
        TypeSpec type = (TypeSpec) visit(ctx.type());
        if (typeAliases.containsKey(name)) {
            if (ctx.EXISTS() == null) {
                throw error(ctx.typeName, "Cannot register custom type '" + name
                        + "' since it is already registered with type: " + ExpressionFormatter.type(typeAliases.get(name)));
            }
        } else {
            typeAliases.put(name, type);
        }
        return new Statement.Accepted(text(ctx), "type " + name + " is " + ExpressionFormatter.type(type), location(ctx));
    }

    /** ksqlDB's {@code DROP TYPE [IF EXISTS] name}: later statements no longer know the name. */
    @Override
    public Statement visitDropType(DropTypeContext ctx) {
        String name = identifier(ctx.typeName).value().toUpperCase(java.util.Locale.ROOT);
        if (typeAliases.remove(name) == null && ctx.EXISTS() == null) {
            throw error(ctx.typeName, "Type " + name + " does not exist.");
        }
        return new Statement.Accepted(text(ctx), "type " + name + " dropped", location(ctx));
    }

    @Override
    public Statement visitDrop(DropContext ctx) {
        return new Statement.Drop(objectKind(ctx.objectKind()), qualifiedName(ctx.qualifiedName()),
                ctx.EXISTS() != null, ctx.TOPIC() != null, location(ctx));
    }

    @Override
    public Statement visitCommentOn(CommentOnContext ctx) {
        return new Statement.CommentOn(objectKind(ctx.objectKind()), qualifiedName(ctx.qualifiedName()),
                string(ctx.comment), location(ctx));
    }

    @Override
    public Statement visitCommentOnColumn(CommentOnColumnContext ctx) {
        return new Statement.Accepted(text(ctx), "COMMENT ON COLUMN " + qualifiedName(ctx.qualifiedName()) + ": "
                + string(ctx.comment), location(ctx));
    }

    private Statement createIndex(CreateContext ctx) {
        return new Statement.Accepted(text(ctx), "CREATE INDEX" + (ctx.indexName == null ? "" : " " + identifier(ctx.indexName).value())
                + " on " + qualifiedName(ctx.table) + " has no effect in Sluice: an index speeds a database's reads of the "
                + "rows it holds, and a stream is read in order, once (accepted for compatibility)", location(ctx));
    }

    private static String text(org.antlr.v4.runtime.ParserRuleContext ctx) {
        return ctx.start.getInputStream().getText(org.antlr.v4.runtime.misc.Interval.of(ctx.start.getStartIndex(),
                ctx.stop.getStopIndex()));
    }

    // ---- ALTER actions ------------------------------------------------------------------------

    @Override
    public AlterAction visitAddColumn(AddColumnContext ctx) {
        return new AlterAction.AddColumn(columnDefinition(ctx.columnDefinition()), location(ctx));
    }

    @Override
    public AlterAction visitDropColumn(DropColumnContext ctx) {
        return new AlterAction.DropColumn(identifier(ctx.column), location(ctx));
    }

    @Override
    public AlterAction visitAlterColumnType(AlterColumnTypeContext ctx) {
        return new AlterAction.AlterColumnType(identifier(ctx.column), type(ctx.type()), location(ctx));
    }

    @Override
    public AlterAction visitAddConstraint(AddConstraintContext ctx) {
        return new AlterAction.AddConstraint(identifier(ctx.name), expression(ctx.expression()), location(ctx));
    }

    @Override
    public AlterAction visitSetOptions(SetOptionsContext ctx) {
        return new AlterAction.SetOptions(ctx.property().stream().map(p -> (Property) visit(p)).toList(),
                location(ctx));
    }

    @Override
    public AlterAction visitSetOptionsParenthesized(SetOptionsParenthesizedContext ctx) {
        return new AlterAction.SetOptions(properties(ctx.properties()), location(ctx));
    }

    @Override
    public AlterAction visitControl(ControlContext ctx) {
        return new AlterAction.Control(upper(ctx.verb.getText()), location(ctx));
    }

    @Override
    public AlterAction visitResetOffset(ResetOffsetContext ctx) {
        if (ctx.position != null) {
            return new AlterAction.ResetOffset(Optional.of(string(ctx.position)), Optional.empty(), location(ctx));
        }
        Expression timestamp = new Expression.TypedLiteral("TIMESTAMP", string(ctx.timestamp),
                location(ctx.TIMESTAMP().getSymbol()));
        return new AlterAction.ResetOffset(Optional.empty(), Optional.of(timestamp), location(ctx));
    }
}
