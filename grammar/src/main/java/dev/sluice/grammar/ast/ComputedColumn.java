package dev.sluice.grammar.ast;

/**
 * A computed column in {@code CREATE TABLE (...)}: {@code name AS expression} (Flink). It is not
 * read from the topic; every record gets it from the expression over the physical columns, and a
 * WATERMARK may be declared on it.
 */
public record ComputedColumn(Identifier name, Expression expression, NodeLocation location) implements Node {
}
