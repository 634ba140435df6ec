package dev.sluice.grammar.ast;

import java.util.Optional;

/**
 * {@code EMIT CHANGES}, {@code EMIT FINAL}, or {@code EMIT AFTER WATERMARK [+ INTERVAL ...]}
 * (then {@code delay} holds the interval).
 */
public record Emit(Kind kind, Optional<Expression> delay, NodeLocation location) implements Node {
    public enum Kind { CHANGES, FINAL, AFTER_WATERMARK }
}
