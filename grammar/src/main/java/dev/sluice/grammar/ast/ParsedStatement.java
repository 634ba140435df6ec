package dev.sluice.grammar.ast;

/** A statement with the exact text it was parsed from (for messages, ids and EXPLAIN). */
public record ParsedStatement(Statement statement, String text) {
}
