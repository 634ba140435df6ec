package dev.sluice.grammar.ast;

import java.util.List;

/** A whole SQL file: statements in order, each with the text it was parsed from. */
public record Script(List<ParsedStatement> statements) {
    public Script {
        statements = List.copyOf(statements);
    }
}
