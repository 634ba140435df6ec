package dev.sluice.connect.jdbc;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * One transaction per batch Connect hands over; values are bound as text and cast by the database
 * to each column's type ({@code stringtype=unspecified}), so the sink needs no schema of its own.
 */
public final class JdbcUpsertSinkTask extends SinkTask {
    private String url;
    private Properties credentials;
    private String table;
    private List<String> keyColumns;
    private Connection connection;

    @Override
    @SuppressWarnings("unchecked")
    public void start(Map<String, String> props) {
        Map<String, Object> v = JdbcUpsertSinkConnector.DEF.parse(props);
        url = (String) v.get("connection.url");
        credentials = new Properties();
        credentials.setProperty("user", (String) v.get("connection.user"));
        credentials.setProperty("password", ((Password) v.get("connection.password")).value());
        credentials.setProperty("stringtype", "unspecified");
        table = (String) v.get("table");
        keyColumns = new ArrayList<>((List<String>) v.get("key.columns"));
        keyColumns.removeIf(String::isBlank);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, credentials);
                connection.setAutoCommit(false);
            }
            for (SinkRecord r : records) {
                if (r.value() == null) {
                    delete(r);
                } else {
                    upsert(Json.fields(r.value().toString()));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // the batch is retried on a new connection
            }
            connection = null;
            throw new ConnectException("writing to " + table + " failed: " + e.getMessage(), e);
        }
    }

    private void upsert(Map<String, String> row) throws SQLException {
        List<String> columns = new ArrayList<>(row.keySet());
        String sql = "INSERT INTO " + table + " (" + quoted(columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        if (!keyColumns.isEmpty()) {
            List<String> rest = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
            sql += " ON CONFLICT (" + quoted(keyColumns) + ") DO " + (rest.isEmpty() ? "NOTHING" : "UPDATE SET "
                    + rest.stream().map(c -> "\"" + c + "\" = EXCLUDED.\"" + c + "\"").collect(Collectors.joining(", ")));
        }
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                bind(s, i + 1, row.get(columns.get(i)));
            }
            s.executeUpdate();
        }
    }

    private void delete(SinkRecord r) throws SQLException {
        if (keyColumns.isEmpty() || r.key() == null) {
            return; // nothing identifies the row
        }
        String key = r.key().toString().trim();
        Map<String, String> values = key.startsWith("{") ? Json.fields(key) : Map.of(keyColumns.get(0), key);
        String sql = "DELETE FROM " + table + " WHERE " + keyColumns.stream().map(c -> "\"" + c + "\" = ?")
                .collect(Collectors.joining(" AND "));
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < keyColumns.size(); i++) {
                bind(s, i + 1, values.get(keyColumns.get(i)));
            }
            s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, int i, String value) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.OTHER);
        } else {
            s.setString(i, value);
        }
    }

    private static String quoted(List<String> columns) {
        return columns.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
    }

    @Override
    public void stop() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // stopping
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
