package dev.sluice.grammar;

import dev.sluice.grammar.ast.NodeLocation;

/**
 * An error ksqlDB raises while it prepares a statement, before its analyzer runs, so its message has
 * ksqlDB's prefix for that stage (its test runner compares it): a name its AST builder checks
 * ({@code Failed to prepare statement: }, without a place) or one its sanitizer resolves
 * ({@code Exception while preparing statement: } before the place). The CLI prints it as any other
 * {@link SqlException}.
 */
public class SqlPreparationException extends SqlException {
    /** The ksqlDB stage that would have raised it. */
    public enum Stage {
        AST_BUILDER("Failed to prepare statement: "),
        /**
         * A parsing error its AST builder raises (a numeric literal out of range), placed as its parser
         * places errors ({@code line L:C: }), one column past the token: ksqlDB counts the column from
         * one twice there.
         */
        AST_BUILDER_PARSING("Failed to prepare statement: "),
        SANITIZER("Exception while preparing statement: ");

        private final String prefix;

        Stage(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private final Stage stage;

    public SqlPreparationException(Stage stage, NodeLocation location, String message, String hint) {
        super(location, message, hint);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}
