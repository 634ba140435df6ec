package dev.sluice.compiler.catalog;

import dev.sluice.grammar.ast.Expression;

/**
 * {@code CONSTRAINT name CHECK (condition)} on a source: every record read from it must not make
 * the condition FALSE (TRUE and UNKNOWN pass, as in SQL). {@code text} is the condition as written,
 * for the dead-letter reason.
 */
public record CheckConstraint(String name, Expression condition, String text) {
}
