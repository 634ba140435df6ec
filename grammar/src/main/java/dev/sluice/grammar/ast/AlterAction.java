package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

/** The things {@code ALTER STREAM|TABLE} can do, as in seed 001. */
public sealed interface AlterAction extends Node {

    record AddColumn(ColumnDefinition column, NodeLocation location) implements AlterAction {
    }

    record DropColumn(Identifier column, NodeLocation location) implements AlterAction {
    }

    record AlterColumnType(Identifier column, TypeSpec type, NodeLocation location) implements AlterAction {
    }

    record AddConstraint(Identifier name, Expression check, NodeLocation location) implements AlterAction {
    }

    /** {@code SET 'k' = 'v', ...} and {@code SET parallelism = 20}. */
    record SetOptions(List<Property> properties, NodeLocation location) implements AlterAction {
        public SetOptions {
            properties = List.copyOf(properties);
        }
    }

    /** {@code PAUSE}, {@code RESUME}, {@code REFRESH}, {@code SUSPEND}. */
    record Control(String verb, NodeLocation location) implements AlterAction {
    }

    /** {@code RESET OFFSET TO 'earliest'} or {@code RESET OFFSET TO TIMESTAMP '...'}. */
    record ResetOffset(Optional<String> position, Optional<Expression> timestamp, NodeLocation location)
            implements AlterAction {
    }
}
