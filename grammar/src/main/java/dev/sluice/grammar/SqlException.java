package dev.sluice.grammar;

import dev.sluice.grammar.ast.NodeLocation;

import java.util.Optional;

/**
 * An error the user caused in SQL text: syntax (parser) or meaning (analyzer). Carries the place
 * (1-based line and column) so the CLI can print {@code file:line:col}, the line and a caret, and
 * optionally a hint ("did you mean `latency_ms`?").
 */
public class SqlException extends RuntimeException {
    private final int line;
    private final int column;
    private final String hint;

    public SqlException(int line, int column, String message, String hint) {
        super(message);
        this.line = line;
        this.column = column;
        this.hint = hint;
    }

    public SqlException(NodeLocation location, String message) {
        this(location.line(), location.column(), message, null);
    }

    public SqlException(NodeLocation location, String message, String hint) {
        this(location.line(), location.column(), message, hint);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    /** {@code line L:C: message}, the form used in tests and logs. */
    public String positioned() {
        return "line " + line + ":" + column + ": " + getMessage();
    }
}
