package dev.sluice.grammar.ast;

/** Every AST node knows where it came from, so every error can point at the text. */
public interface Node {
    NodeLocation location();
}
