package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.grammar.ast.Statement;

import java.util.Locale;

/**
 * Statements that change nothing in the compiled application (DESCRIBE, SHOW, ALTER ... PAUSE,
 * COMMENT ON, USE, ...): accepted, and answered with a note the CLI prints.
 */
final class Informational {
    private Informational() {
    }

    static String describe(Statement statement, Catalog catalog) {
        if (statement instanceof Statement.Describe d) {
            return catalog.lookup(d.name().toString())
                    .map(s -> "DESCRIBE " + s.name() + ": " + s.kind().name().toLowerCase(Locale.ROOT) + " "
                            + s.schema() + " topic '" + s.format().topic() + "'")
                    .orElse("DESCRIBE " + d.name() + ": not declared in this script");
        }
        if (statement instanceof Statement.CommentOn c) {
            return "COMMENT ON " + c.name() + ": " + c.comment();
        }
        if (statement instanceof Statement.Explain) {
            return "EXPLAIN: run `sluice explain SCRIPT` to see plans and the topology";
        }
        String kind = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        return kind + " at line " + statement.location().line()
                + " has no effect in a compiled application (it is accepted for compatibility)";
    }
}
