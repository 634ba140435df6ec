package dev.sluice.grammar.ast;

/** A name as written; {@code quoted} names keep their case when matched. */
public record Identifier(String value, boolean quoted, NodeLocation location) implements Node {
    @Override
    public String toString() {
        return value;
    }
}
