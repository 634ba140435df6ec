package dev.sluice.grammar.ast;

import java.util.Optional;

public sealed interface SelectItem extends Node {

    /** {@code *} or {@code alias.*}. */
    record AllColumns(Optional<QualifiedName> qualifier, NodeLocation location) implements SelectItem {
    }

    /** ksqlDB's {@code struct->*}: every field of a STRUCT, each a column named after its field. */
    record StructFields(Expression struct, NodeLocation location) implements SelectItem {
    }

    record SingleColumn(Expression expression, Optional<Identifier> alias, NodeLocation location)
            implements SelectItem {
    }
}
