package dev.sluice.connect.jdbc;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Polls a SQL query every {@code poll.interval.ms} and writes each row as a JSON record. With
 * {@code timestamp.column}, only rows newer than the last one written are read (incremental), and
 * that last value is the Connect source offset, so a restart resumes after it.
 */
public final class JdbcQuerySourceConnector extends dev.sluice.connect.OneReaderSourceConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("connection.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "jdbc:postgresql://host:port/db")
            .define("connection.user", ConfigDef.Type.STRING, "postgres", ConfigDef.Importance.HIGH, "user")
            .define("connection.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH, "password")
            .define("query", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "the query polled")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic written")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 60_000L, ConfigDef.Importance.MEDIUM, "time between polls")
            .define("timestamp.column", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "a column that only grows: rows are read once, in its order");

    public JdbcQuerySourceConnector() {
        super(DEF, JdbcQuerySourceTask.class);
    }
}
