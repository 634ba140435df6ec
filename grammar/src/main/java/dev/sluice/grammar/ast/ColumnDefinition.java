package dev.sluice.grammar.ast;

import java.util.Optional;

/**
 * A column in {@code CREATE STREAM|TABLE (...)}: {@code name TYPE [ROWTIME] [NOT NULL]
 * [PRIMARY KEY] [DEFAULT expr] [HEADERS|KEY]}.
 */
public record ColumnDefinition(Identifier name, TypeSpec type, boolean rowtime, boolean notNull,
                               boolean primaryKey, boolean key, Optional<Expression> defaultValue,
                               NodeLocation location) implements Node {
}
