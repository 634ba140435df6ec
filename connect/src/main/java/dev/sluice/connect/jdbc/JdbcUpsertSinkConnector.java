package dev.sluice.connect.jdbc;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Writes a topic of JSON rows into a table: {@code INSERT ... ON CONFLICT (key) DO UPDATE} when
 * {@code key.columns} are given (a tombstone deletes the key's row), plain INSERT otherwise. The
 * Debezium JDBC sink needs records with schemas; Sluice's topics are schemaless JSON, hence this.
 */
public final class JdbcUpsertSinkConnector extends dev.sluice.connect.PartitionedSinkConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("connection.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "jdbc:postgresql://host:port/db")
            .define("connection.user", ConfigDef.Type.STRING, "postgres", ConfigDef.Importance.HIGH, "user")
            .define("connection.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH, "password")
            .define("table", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "target table, [schema.]name")
            .define("key.columns", ConfigDef.Type.LIST, "", ConfigDef.Importance.MEDIUM, "upsert key; empty: insert only");

    public JdbcUpsertSinkConnector() {
        // rows of one key are in one partition, so in one task, in order
        super(DEF, JdbcUpsertSinkTask.class);
    }
}
