package dev.sluice.grammar.ast;

/**
 * Where a node starts in the SQL text: 1-based line, 1-based column.
 *
 * <p>All locations are equal to each other, on purpose: AST records compare structurally, and two
 * trees parsed from differently formatted text must be equal (parser tests and the optimizer's
 * structural comparisons rely on it). Use {@link #line()} and {@link #column()} to compare places.
 */
public record NodeLocation(int line, int column) {
    public static final NodeLocation UNKNOWN = new NodeLocation(0, 0);

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeLocation;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
