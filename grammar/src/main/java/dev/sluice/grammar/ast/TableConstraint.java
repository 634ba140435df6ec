package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

/** A constraint written among a CREATE's columns: {@code [CONSTRAINT name] CHECK (...)} or {@code UNIQUE (...)}. */
public sealed interface TableConstraint extends Node {
    Optional<Identifier> name();

    /** Every record must not make the condition FALSE. */
    record Check(Optional<Identifier> name, Expression condition, NodeLocation location) implements TableConstraint {
    }

    /** Uniqueness across records: a database enforces it with an index; a stream cannot. */
    record Unique(Optional<Identifier> name, List<Expression> parts, NodeLocation location) implements TableConstraint {
        public Unique {
            parts = List.copyOf(parts);
        }
    }
}
