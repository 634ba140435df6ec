package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Columns and primary key of a PostgreSQL table, read from the server's catalog at compile time,
 * typed as Debezium writes them into JSON (decimal.handling.mode=string: NUMERIC as text, read back
 * as DECIMAL; timestamps as ISO text or epoch numbers; jsonb as text).
 */
public final class PostgresCatalog {
    private PostgresCatalog() {
    }

    /** {@code finerThanMillis}: the timestamp columns declared with more than 3 fractional digits. */
    public record Table(Schema schema, List<String> primaryKey, List<String> finerThanMillis) {
        /** The note that says those columns are cut to milliseconds, or empty. */
        public java.util.Optional<String> precisionNote() {
            return finerThanMillis.isEmpty() ? java.util.Optional.empty()
                    : java.util.Optional.of(TimestampPrecision.cutNote(finerThanMillis));
        }
    }

    public static Table describe(Endpoint.Postgres pg, NodeLocation where) {
        String table = pg.table().orElseThrow();
        String schemaName = table.contains(".") ? table.substring(0, table.indexOf('.')) : "public";
        String tableName = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), credentials(pg))) {
            List<Column> columns = new ArrayList<>();
            List<String> finer = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type, is_nullable, "
                    + "numeric_precision, numeric_scale, datetime_precision FROM information_schema.columns "
                    + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
                s.setString(1, schemaName);
                s.setString(2, tableName);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        columns.add(new Column(r.getString(1), type(r.getString(2), r.getInt(4), r.getInt(5)),
                                r.getString(3).equals("YES")));
                        if (r.getString(2).startsWith("timestamp") && r.getInt(6) > 3) {
                            finer.add(r.getString(1) + " (" + r.getString(2).replace("timestamp", "timestamp("
                                    + r.getInt(6) + ")") + ")");
                        }
                    }
                }
            }
            if (columns.isEmpty()) {
                throw new SqlException(where, "table " + schemaName + "." + tableName + " does not exist in "
                        + pg.display());
            }
            List<String> key = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary "
                    + "AND i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass "
                    + "ORDER BY array_position(i.indkey, a.attnum)")) {
                s.setString(1, schemaName);
                s.setString(2, tableName);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        key.add(r.getString(1));
                    }
                }
            }
            return new Table(new Schema(columns), key, finer);
        } catch (SQLException e) {
            throw new SqlException(where, "cannot read the catalog of " + pg.display() + ": " + e.getMessage(),
                    "start the database, check the URI and ${ENV} credentials, or declare the columns");
        }
    }

    /**
     * Columns of a polled query: the query is prepared (run with LIMIT 0) and its result columns
     * read from the driver's metadata.
     */
    public static Schema describeQuery(Endpoint.Postgres pg, String query, NodeLocation where) {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), credentials(pg));
             PreparedStatement s = c.prepareStatement("SELECT * FROM (" + query + ") sluice_q LIMIT 0");
             ResultSet r = s.executeQuery()) {
            java.sql.ResultSetMetaData md = r.getMetaData();
            List<Column> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new Column(md.getColumnLabel(i), type(pgTypeName(md.getColumnTypeName(i)),
                        md.getPrecision(i), md.getScale(i)), true));
            }
            return new Schema(columns);
        } catch (SQLException e) {
            throw new SqlException(where, "cannot read the columns of the query on " + pg.display() + ": "
                    + e.getMessage(), "check the query, or declare the columns");
        }
    }

    private static Properties credentials(Endpoint.Postgres pg) {
        Properties p = new Properties();
        p.setProperty("user", Secrets.resolve(pg.user().orElse("postgres")));
        pg.password().ifPresent(pw -> p.setProperty("password", Secrets.resolve(pw)));
        p.setProperty("connectTimeout", "10");
        return p;
    }

    /** The driver's short type names, as information_schema spells them. */
    private static String pgTypeName(String name) {
        return switch (name) {
            case "int2", "int4" -> "integer";
            case "int8" -> "bigint";
            case "float4", "float8" -> "double precision";
            case "bool" -> "boolean";
            case "timestamp" -> "timestamp without time zone";
            case "timestamptz" -> "timestamp with time zone";
            default -> name;
        };
    }

    static SqlType type(String dataType, int precision, int scale) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "smallint", "integer" -> ScalarType.INTEGER;
            case "bigint" -> ScalarType.BIGINT;
            case "real", "double precision" -> ScalarType.DOUBLE;
            case "numeric", "decimal" -> precision > 0 && precision <= 38 ? new DecimalType(precision, scale)
                    : new DecimalType(38, 10);
            case "boolean" -> ScalarType.BOOLEAN;
            case "timestamp without time zone" -> ScalarType.TIMESTAMP;
            case "timestamp with time zone" -> ScalarType.TIMESTAMP_LTZ;
            case "date" -> ScalarType.DATE;
            case "json", "jsonb" -> ScalarType.VARCHAR;
            default -> ScalarType.VARCHAR; // text, varchar, uuid, and what Debezium writes as text
        };
    }
}
