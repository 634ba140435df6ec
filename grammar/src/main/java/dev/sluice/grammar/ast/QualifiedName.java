package dev.sluice.grammar.ast;

import java.util.List;

/**
 * A possibly dotted name ({@code db.schema.table}). Parts keep their spelling; unquoted parts are
 * matched case-insensitively by the analyzer, quoted ones ({@code "Mixed"}, {@code `x`}) are marked.
 */
public record QualifiedName(List<Identifier> parts, NodeLocation location) implements Node {
    public QualifiedName {
        parts = List.copyOf(parts);
    }

    public static QualifiedName of(String... names) {
        return new QualifiedName(java.util.Arrays.stream(names)
                .map(n -> new Identifier(n, false, NodeLocation.UNKNOWN)).toList(), NodeLocation.UNKNOWN);
    }

    /** The last part: the object's own name without database/schema qualifiers. */
    public String simpleName() {
        return parts.get(parts.size() - 1).value();
    }

    @Override
    public String toString() {
        return String.join(".", parts.stream().map(Identifier::value).toList());
    }
}
