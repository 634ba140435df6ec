package dev.sluice.grammar.ast;

/** {@code WATERMARK FOR column AS expression}, e.g. {@code event_time - INTERVAL '30' SECOND}. */
public record Watermark(Identifier column, Expression expression, NodeLocation location) implements Node {
}
