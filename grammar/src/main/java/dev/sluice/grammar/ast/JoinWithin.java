package dev.sluice.grammar.ast;

import java.util.Optional;

/**
 * ksqlDB's {@code WITHIN 1 HOUR} (before = after) or {@code WITHIN (10 SECONDS, 1 MINUTE)}
 * (before, after), with an optional {@code GRACE PERIOD}.
 */
public record JoinWithin(Duration before, Duration after, Optional<Duration> grace, NodeLocation location)
        implements Node {
}
