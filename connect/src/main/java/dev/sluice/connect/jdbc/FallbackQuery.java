package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A query run once over JDBC, its rows as the JSON-ready maps Sluice's JDBC sources emit. */
public final class FallbackQuery {
    private FallbackQuery() {
    }

    public static List<Map<String, Object>> rows(String url, String user, String password, String query) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(JdbcRows.row(rs));
            }
        }
        return out;
    }
}
