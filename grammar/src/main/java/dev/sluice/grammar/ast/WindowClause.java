package dev.sluice.grammar.ast;

import java.util.Optional;

/**
 * ksqlDB's {@code WINDOW TUMBLING (SIZE 5 MINUTES, GRACE PERIOD 30 SECONDS)},
 * {@code WINDOW HOPPING (SIZE 15 MINUTES, ADVANCE BY 1 MINUTE)} and {@code WINDOW SESSION (30 MINUTES)}.
 * For SESSION, {@code size} holds the gap.
 */
public record WindowClause(Kind kind, Duration size, Optional<Duration> advance, Optional<Duration> grace,
                           Optional<Duration> retention, NodeLocation location) implements Node {
    public enum Kind { TUMBLING, HOPPING, SESSION }
}
