package dev.sluice.grammar;

import dev.sluice.grammar.SluiceSqlParser.StatementContext;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.ParseCancellationException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Entry point of the grammar module: SQL text in, AST out, or a {@link SqlSyntaxException} with the
 * line, column and a readable message for the first error.
 */
public final class SqlParser {
    private SqlParser() {
    }

    /** A whole file: statements separated by {@code ;}, each kept with its exact text. */
    public static Script parseScript(String sql) {
        return parseScript(sql, false);
    }

    /**
     * With {@code upperCaseUnquotedNames}, unquoted identifiers are read in upper case, as ksqlDB
     * reads them ({@code name} and {@code NAME} are the column {@code NAME}; {@code "name"} stays).
     */
    public static Script parseScript(String sql, boolean upperCaseUnquotedNames) {
        Parsed<SluiceSqlParser.ScriptContext> parsed = parse(sql, SluiceSqlParser::script);
        AstBuilder builder = new AstBuilder();
        if (upperCaseUnquotedNames) {
            builder.upperCaseUnquotedNames();
        }
        List<ParsedStatement> statements = new ArrayList<>();
        for (StatementContext ctx : parsed.tree().statement()) {
            statements.add(new ParsedStatement(builder.statement(ctx), textOf(parsed.chars(), ctx)));
        }
        return new Script(statements);
    }

    /** Exactly one statement, optionally followed by {@code ;}. */
    public static Statement parseStatement(String sql) {
        Parsed<SluiceSqlParser.SingleStatementContext> parsed = parse(sql, SluiceSqlParser::singleStatement);
        return new AstBuilder().statement(parsed.tree().statement());
    }

    public static Expression parseExpression(String sql) {
        Parsed<SluiceSqlParser.StandaloneExpressionContext> parsed = parse(sql, SluiceSqlParser::standaloneExpression);
        return new AstBuilder().expression(parsed.tree().expression());
    }

    private record Parsed<T>(T tree, CharStream chars) {
    }

    private static String textOf(CharStream chars, ParserRuleContext ctx) {
        return chars.getText(Interval.of(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex()));
    }

    /**
     * Fast SLL prediction first; only when it fails (a real error, or a spot SLL cannot decide) parse
     * again with full LL and the error strategy that explains the problem.
     */
    private static <T extends ParserRuleContext> Parsed<T> parse(String sql, Function<SluiceSqlParser, T> rule) {
        CharStream chars = CharStreams.fromString(sql);
        SluiceSqlLexer lexer = new SluiceSqlLexer(chars);
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        SluiceSqlParser parser = new SluiceSqlParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        T tree;
        try {
            tree = rule.apply(parser);
        } catch (ParseCancellationException sllFailed) {
            tokens.seek(0);
            parser.reset();
            parser.setErrorHandler(new SyntaxErrorStrategy());
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            tree = rule.apply(parser);
        }
        return new Parsed<>(tree, chars);
    }
}
