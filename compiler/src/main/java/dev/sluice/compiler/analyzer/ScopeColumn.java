package dev.sluice.compiler.analyzer;

import dev.sluice.serdes.row.SqlType;

import java.util.Optional;

/**
 * A column visible to expressions: its relation alias (if any), name, type and position in the
 * step's input row. Hidden columns (the ROWTIME pseudo column) resolve by name but are not part of
 * {@code *}.
 */
public record ScopeColumn(Optional<String> relation, String name, SqlType type, int index, boolean hidden) {
}
