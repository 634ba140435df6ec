package dev.sluice.connect.jdbc;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a topic of JSON rows into a table: {@code INSERT ... ON CONFLICT (key) DO UPDATE} when
 * {@code key.columns} are given (a tombstone deletes the key's row), plain INSERT otherwise. The
 * Debezium JDBC sink needs records with schemas; Sluice's topics are schemaless JSON, hence this.
 */
public final class JdbcUpsertSinkConnector extends SinkConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("connection.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "jdbc:postgresql://host:port/db")
            .define("connection.user", ConfigDef.Type.STRING, "postgres", ConfigDef.Importance.HIGH, "user")
            .define("connection.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH, "password")
            .define("table", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "target table, [schema.]name")
            .define("key.columns", ConfigDef.Type.LIST, "", ConfigDef.Importance.MEDIUM, "upsert key; empty: insert only");
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        DEF.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcUpsertSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            out.add(props); // rows of one key are in one partition, so in one task, in order
        }
        return out;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return DEF;
    }

    @Override
    public String version() {
        return "0.1.0";
    }
}
