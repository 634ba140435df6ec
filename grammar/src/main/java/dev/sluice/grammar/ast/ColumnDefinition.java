package dev.sluice.grammar.ast;

import java.util.Optional;

/**
 * A column in {@code CREATE STREAM|TABLE (...)}: {@code name TYPE [ROWTIME] [NOT NULL]
 * [PRIMARY KEY] [DEFAULT expr] [KEY] [HEADERS | HEADER('k')]}. {@code header}: ksqlDB's header
 * columns, read from the record's headers rather than its key or value.
 */
public record ColumnDefinition(Identifier name, TypeSpec type, boolean rowtime, boolean notNull,
                               boolean primaryKey, boolean key, Optional<Expression> defaultValue,
                               NodeLocation location, Optional<HeaderSource> header) implements Node {

    /** A column read from the record's key or value. */
    public ColumnDefinition(Identifier name, TypeSpec type, boolean rowtime, boolean notNull, boolean primaryKey,
                            boolean key, Optional<Expression> defaultValue, NodeLocation location) {
        this(name, type, rowtime, notNull, primaryKey, key, defaultValue, location, Optional.empty());
    }
}
