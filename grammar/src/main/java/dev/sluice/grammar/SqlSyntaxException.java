package dev.sluice.grammar;

import java.util.Optional;

/**
 * The text does not parse. Besides Sluice's own account (the message), it carries what ksqlDB's
 * parser would say about the same error ({@link KsqlSyntaxAccount}), for scripts in ksqlDB's dialect.
 */
public class SqlSyntaxException extends SqlException {
    private final KsqlSyntaxAccount ksql;

    public SqlSyntaxException(int line, int column, String message) {
        this(line, column, message, null, null);
    }

    public SqlSyntaxException(int line, int column, String message, String hint, KsqlSyntaxAccount ksql) {
        super(line, column, message, hint);
        this.ksql = ksql;
    }

    public Optional<KsqlSyntaxAccount> ksql() {
        return Optional.ofNullable(ksql);
    }
}
