package dev.sluice.grammar;

import dev.sluice.grammar.SluiceSqlParser.*;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.QualifiedName;
import dev.sluice.grammar.ast.TypeSpec;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

import java.util.List;
import java.util.Locale;

/**
 * The base of the parse-tree → AST visitor: source locations, identifiers and qualified names (with
 * ksqlDB's upper-casing of unquoted names), string literals and data types. {@link ExpressionBuilder},
 * {@link QueryBuilder} and {@link AstBuilder} extend it in turn; the layers only keep files readable.
 */
abstract class NameAndTypeBuilder extends SluiceSqlBaseVisitor<Object> {
    /**
     * ksqlDB's {@code CREATE TYPE name AS type} of the statements read so far (upper-case names):
     * a later use of the name is the type itself, as ksqlDB resolves its custom types when it
     * reads a statement. {@code DROP TYPE} takes the name out for the statements after it.
     */
    protected final java.util.Map<String, TypeSpec> typeAliases = new java.util.HashMap<>();

    // ---- helpers ------------------------------------------------------------------------------

    static NodeLocation location(ParserRuleContext ctx) {
        return location(ctx.getStart());
    }

    static NodeLocation location(Token token) {
        return new NodeLocation(token.getLine(), token.getCharPositionInLine() + 1);
    }

    Identifier identifier(IdentifierContext ctx) {
        return (Identifier) visit(ctx);
    }

    List<Identifier> identifiers(List<IdentifierContext> contexts) {
        return contexts.stream().map(this::identifier).toList();
    }

    QualifiedName qualifiedName(QualifiedNameContext ctx) {
        return new QualifiedName(identifiers(ctx.identifier()), location(ctx));
    }

    TypeSpec type(TypeContext ctx) {
        return (TypeSpec) visit(ctx);
    }

    static String unquote(String text, char quote) {
        String body = text.substring(1, text.length() - 1);
        return body.replace(String.valueOf(quote) + quote, String.valueOf(quote));
    }

    static String string(StringContext ctx) {
        return unquote(ctx.STRING().getText(), '\'');
    }

    /** The text as written, spaces and all (ctx.getText() drops hidden tokens). */
    static String sourceText(ParserRuleContext ctx) {
        return ctx.getStart().getInputStream().getText(
                org.antlr.v4.runtime.misc.Interval.of(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex()));
    }

    static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    // ---- identifiers and names ----------------------------------------------------------------

    /** ksqlDB's dialect: an unquoted name means its upper-case form (KSQL's identifier rule). */
    private boolean upperCaseUnquoted;

    void upperCaseUnquotedNames() {
        this.upperCaseUnquoted = true;
    }

    @Override
    public Identifier visitUnquotedIdentifier(UnquotedIdentifierContext ctx) {
        String text = ctx.getText();
        return new Identifier(upperCaseUnquoted ? upper(text) : text, false, location(ctx));
    }

    @Override
    public Identifier visitQuotedIdentifier(QuotedIdentifierContext ctx) {
        return new Identifier(unquote(ctx.getText(), '"'), true, location(ctx));
    }

    @Override
    public Identifier visitBackQuotedIdentifier(BackQuotedIdentifierContext ctx) {
        return new Identifier(unquote(ctx.getText(), '`'), true, location(ctx));
    }

    @Override
    public QualifiedName visitQualifiedName(QualifiedNameContext ctx) {
        return qualifiedName(ctx);
    }

    // ---- types --------------------------------------------------------------------------------

    @Override
    public TypeSpec visitArrayType(ArrayTypeContext ctx) {
        return new TypeSpec.Array(type(ctx.type()), location(ctx));
    }

    @Override
    public TypeSpec visitMapType(MapTypeContext ctx) {
        return new TypeSpec.Map(type(ctx.keyType), type(ctx.valueType), location(ctx));
    }

    @Override
    public TypeSpec visitStructType(StructTypeContext ctx) {
        return new TypeSpec.Struct(fields(ctx.structField()), location(ctx));
    }

    /** Flink's {@code ROW<a INT, b STRING>} and {@code ROW(a INT, b STRING)}: the same as STRUCT. */
    @Override
    public TypeSpec visitRowType(RowTypeContext ctx) {
        return new TypeSpec.Struct(fields(ctx.structField()), location(ctx));
    }

    private List<TypeSpec.Field> fields(List<StructFieldContext> fields) {
        return fields.stream().map(f -> new TypeSpec.Field(identifier(f.identifier()), type(f.type()))).toList();
    }

    @Override
    public TypeSpec visitTimestampType(TimestampTypeContext ctx) {
        String name = "TIMESTAMP";
        if (ctx.WITH() != null) {
            name = ctx.LOCAL() != null ? "TIMESTAMP WITH LOCAL TIME ZONE" : "TIMESTAMP WITH TIME ZONE";
        }
        List<Integer> parameters = ctx.precision == null ? List.of() : List.of(integer(ctx.precision));
        return new TypeSpec.Named(name, parameters, location(ctx));
    }

    @Override
    public TypeSpec visitDoublePrecisionType(DoublePrecisionTypeContext ctx) {
        return new TypeSpec.Named("DOUBLE", List.of(), location(ctx));
    }

    @Override
    public TypeSpec visitNamedType(NamedTypeContext ctx) {
        // ksqlDB's VARCHAR(STRING) is VARCHAR: the word names no length, so it adds no parameter
        List<Integer> parameters = ctx.typeParameter().stream().filter(p -> p.INTEGER_VALUE() != null)
                .map(p -> integer(p.INTEGER_VALUE().getSymbol())).toList();
        String name = upper(identifier(ctx.identifier()).value());
        TypeSpec alias = parameters.isEmpty() ? typeAliases.get(name.toUpperCase(java.util.Locale.ROOT)) : null;
        if (alias != null) {
            return alias; // a name an earlier CREATE TYPE gave
        }
        return new TypeSpec.Named(name, parameters, location(ctx));
    }

    static int integer(Token token) {
        try {
            return Integer.parseInt(token.getText());
        } catch (NumberFormatException e) {
            throw new SqlSyntaxException(token.getLine(), token.getCharPositionInLine() + 1,
                    "number " + token.getText() + " is too large here");
        }
    }
}
