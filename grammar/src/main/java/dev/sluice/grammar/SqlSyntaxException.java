package dev.sluice.grammar;

/** The text does not parse. */
public class SqlSyntaxException extends SqlException {
    public SqlSyntaxException(int line, int column, String message) {
        super(line, column, message, null);
    }
}
