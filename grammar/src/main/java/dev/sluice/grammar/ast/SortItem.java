package dev.sluice.grammar.ast;

import java.util.Optional;

/** {@code expr [ASC|DESC] [NULLS FIRST|LAST]}; nullsFirst empty means the default for the direction. */
public record SortItem(Expression key, boolean descending, Optional<Boolean> nullsFirst, NodeLocation location)
        implements Node {
}
