package dev.sluice.grammar.ast;

/**
 * One {@code key = value} of a {@code WITH (...)} list, in either style: {@code 'topic' = 'x'} or
 * {@code KAFKA_TOPIC = 'x'}. The value is an expression because users write strings, numbers,
 * booleans, bare identifiers ({@code WAREHOUSE = WH}) and arrays ({@code ['year', 'month']}).
 */
public record Property(String key, Expression value, NodeLocation location) implements Node {
}
