package dev.sluice.connect.jdbc;

import dev.sluice.connect.Json;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JDBC row as the JSON Sluice reads: numbers as numbers, timestamps as ISO-8601 text
 * ({@code Timestamp.toString()} is not ISO), json/jsonb as nested JSON, the rest as text.
 */
final class JdbcRows {
    private JdbcRows() {
    }

    static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), value(rs, i, md.getColumnType(i), md.getColumnTypeName(i)));
        }
        return row;
    }

    static Object value(ResultSet rs, int i, int type, String typeName) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        switch (type) {
            case Types.TIMESTAMP:
                return rs.getObject(i, LocalDateTime.class).toString();
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return rs.getObject(i, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
            case Types.DATE:
                return rs.getObject(i, LocalDate.class).toString();
            case Types.NUMERIC:
            case Types.DECIMAL:
                return (BigDecimal) v;
            case Types.BIGINT:
            case Types.INTEGER:
            case Types.SMALLINT:
            case Types.TINYINT:
            case Types.DOUBLE:
            case Types.FLOAT:
            case Types.REAL:
            case Types.BOOLEAN:
            case Types.BIT:
                return v;
            default:
                if ("json".equals(typeName) || "jsonb".equals(typeName)) {
                    return new Json.RawJson(v.toString());
                }
                if ("timestamptz".equals(typeName)) {
                    return rs.getObject(i, OffsetDateTime.class).toInstant().toString();
                }
                return v.toString();
        }
    }
}
