package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.avro.AvroSchemas;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The connector configuration for one endpoint, from the endpoint URI and the WITH options
 * written beside it (seed 001's names: {@code header}, {@code delimiter}, {@code quote_char},
 * {@code skip_lines}, {@code publication}, {@code slot_name}, {@code snapshot_mode}, ...). Records go
 * through the topic as JSON text, which is what Sluice's default format reads.
 */
public final class ConnectorPlanner {
    static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
    static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    private ConnectorPlanner() {
    }

    /** What a PostgreSQL endpoint is read as. */
    public enum PostgresRead { CDC, TABLE, QUERY }

    public static PostgresRead postgresRead(Endpoint.Postgres pg, Map<String, String> options, NodeLocation where) {
        String mode = options.getOrDefault("mode", pg.parameters().getOrDefault("mode", "")).toLowerCase(Locale.ROOT);
        if (options.containsKey("query")) {
            return PostgresRead.QUERY;
        }
        if (pg.table().isEmpty()) {
            throw new SqlException(where, "'" + pg.display() + "' names no table",
                    "add ?table=name to the URI, or WITH (query = 'SELECT ...', poll_interval = '1 minute')");
        }
        return switch (mode) {
            case "cdc" -> PostgresRead.CDC;
            case "", "table" -> PostgresRead.TABLE;
            default -> throw new SqlException(where, "unknown mode '" + mode + "' for " + pg.display(),
                    "mode = 'cdc' (a stream of changes), or no mode (a table kept current)");
        };
    }

    public static ConnectorPlan source(String name, String query, Endpoint endpoint, Map<String, String> options,
                                       Schema schema, List<String> primaryKey, NodeLocation where) {
        Map<String, String> c = new LinkedHashMap<>();
        String topic = name;
        if (endpoint instanceof Endpoint.Files f) {
            c.put("connector.class", "dev.sluice.connect.file.FileSourceConnector");
            c.put("tasks.max", "1");
            c.put("path", f.path());
            c.put("topic", topic);
            String format = fileFormat(f, options, where);
            c.put("format", format);
            // a Parquet file names its own codec per column chunk
            c.put("compression", format.equals("parquet") ? "auto"
                    : options.getOrDefault("compression", "auto").toLowerCase(Locale.ROOT));
            RowReadingSettings.putCsv(c, format, options);
            RowReadingSettings.putColumns(c, schema);
            Optional.ofNullable(options.get("partition_columns")).ifPresent(p -> c.put("partition.columns", p));
            Optional.ofNullable(options.get("batch_size")).ifPresent(b -> c.put("batch.size", b));
            Optional.ofNullable(options.get("poll_interval")).ifPresent(p -> c.put("poll.interval.ms",
                    Long.toString(Durations.millis(p, where))));
            strings(c);
        } else if (endpoint instanceof Endpoint.Postgres pg) {
            PostgresRead read = postgresRead(pg, options, where);
            if (read == PostgresRead.QUERY) {
                jdbcQuery(c, topic, pg, options, where);
            } else {
                debezium(c, name, pg, options, read, primaryKey);
            }
            if (Boolean.parseBoolean(options.getOrDefault("circuit_breaker_enabled", "false").strip())) {
                CircuitBreakerPlan.wrap(c, pg, options, read == PostgresRead.QUERY ? topic : cdcTopic(name, pg),
                        read == PostgresRead.QUERY, read == PostgresRead.TABLE ? primaryKey : List.of());
            }
        } else if (endpoint instanceof Endpoint.ClickHouse ch) {
            RemoteConnectors.clickHouseSource(c, topic, ch, options, where);
        } else if (endpoint instanceof Endpoint.Http http) {
            RemoteConnectors.httpSource(c, topic, http, options, where);
        } else if (endpoint instanceof Endpoint.S3 s3) {
            RemoteConnectors.s3Source(c, topic, s3, options, schema, where);
        } else {
            throw new SqlException(where, "reading " + endpoint.display() + " is not supported yet",
                    "Sluice reads kafka://, file://, postgresql://, clickhouse://, http(s):// and s3://");
        }
        return new ConnectorPlan(name, ConnectorPlan.Direction.SOURCE, query, endpoint.display(),
                endpoint instanceof Endpoint.Postgres pg && postgresRead(pg, options, where) != PostgresRead.QUERY
                        ? cdcTopic(name, pg) : topic, c);
    }

    /** Debezium writes {@code <topic.prefix>.<schema>.<table>}; the prefix is the connector's name. */
    public static String cdcTopic(String name, Endpoint.Postgres pg) {
        String table = pg.table().orElseThrow();
        return name + "." + (table.contains(".") ? table : "public." + table);
    }

    public static ConnectorPlan sink(String name, String query, Endpoint endpoint, String topic, Schema rows,
                                     Map<String, String> options, List<String> key, NodeLocation where) {
        Map<String, String> c = new LinkedHashMap<>();
        if (endpoint instanceof Endpoint.Files f) {
            c.put("connector.class", "dev.sluice.connect.file.FileSinkConnector");
            c.put("tasks.max", "1");
            c.put("topics", topic);
            c.put("path", f.path());
            String format = options.getOrDefault("format", "jsonl").toLowerCase(Locale.ROOT);
            if (format.equals("json")) {
                format = "jsonl";
            }
            if (!List.of("jsonl", "csv", "parquet", "avro").contains(format)) {
                throw new SqlException(where, "cannot write " + format + " files",
                        "format = 'json', 'csv', 'parquet' or 'avro' (object container files)");
            }
            c.put("format", format);
            if (format.equals("parquet") || format.equals("avro")) {
                // the rows' columns, typed: Parquet and Avro files carry their schema, JSON rows do not
                c.put("avro.schema", AvroSchemas.toAvro(rows, name).toString());
                c.put("compression", options.getOrDefault("compression", "snappy").toLowerCase(Locale.ROOT));
            }
            Optional.ofNullable(options.get("file_size_mb")).ifPresent(mb -> c.put("rotate.bytes",
                    Long.toString(megabytes(mb, where))));
            Optional.ofNullable(options.get("rotate_records")).ifPresent(n -> c.put("rotate.records", n));
            // flush_interval: a file rolls once its rows span this much event time, as the S3 sink's objects do
            Optional.ofNullable(options.get("flush_interval")).ifPresent(i -> c.put("rotate.interval.ms",
                    Long.toString(Durations.millis(i, where))));
            strings(c);
        } else if (endpoint instanceof Endpoint.Postgres pg) {
            String table = pg.table().orElseThrow(() -> new SqlException(where, "'" + pg.display()
                    + "' names no table", "write INTO 'postgresql://host/db?table=name'"));
            c.put("connector.class", "dev.sluice.connect.jdbc.JdbcUpsertSinkConnector");
            c.put("tasks.max", "1");
            c.put("topics", topic);
            connection(c, pg, options);
            c.put("table", table);
            c.put("key.columns", String.join(",", key));
            strings(c);
        } else if (endpoint instanceof Endpoint.ClickHouse ch) {
            RemoteConnectors.clickHouseSink(c, name, topic, ch, options, where);
        } else if (endpoint instanceof Endpoint.S3 s3) {
            RemoteConnectors.s3Sink(c, name, topic, s3, rows, options, where);
        } else {
            throw new SqlException(where, "writing " + endpoint.display() + " is not supported yet",
                    "Sluice writes kafka://, file://, postgresql://, clickhouse:// and s3://");
        }
        return new ConnectorPlan(name, ConnectorPlan.Direction.SINK, query, endpoint.display(), topic, c);
    }

    private static long megabytes(String text, NodeLocation where) {
        try {
            return Math.round(Double.parseDouble(text.trim()) * 1024 * 1024);
        } catch (NumberFormatException e) {
            throw new SqlException(where, "file_size_mb = '" + text + "' is not a number", "file_size_mb = 128");
        }
    }

    static String fileFormat(Endpoint.Files f, Map<String, String> options, NodeLocation where) {
        String format = Optional.ofNullable(options.get("format")).map(s -> s.toLowerCase(Locale.ROOT))
                .or(f::formatFromName).orElseThrow(() -> new SqlException(where, "cannot tell the format of "
                        + f.display(), "add WITH (format = 'csv') or 'jsonl'"));
        return switch (format) {
            case "csv", "tsv" -> "csv";
            case "json", "jsonl", "ndjson" -> "jsonl";
            case "parquet" -> "parquet";
            case "avro" -> "avro";
            default -> throw new SqlException(where, "unknown file format '" + format + "'",
                    "format = 'csv', 'jsonl', 'parquet' or 'avro' (gzip is read by compression = 'gzip' or a .gz name)");
        };
    }

    private static void debezium(Map<String, String> c, String name, Endpoint.Postgres pg, Map<String, String> options,
                                 PostgresRead read, List<String> primaryKey) {
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", pg.host());
        c.put("database.port", Integer.toString(pg.port()));
        c.put("database.dbname", pg.database());
        c.put("database.user", Secrets.toConnect(pg.user().orElse(options.getOrDefault("user", "postgres"))));
        pg.password().or(() -> Optional.ofNullable(options.get("password")))
                .ifPresent(p -> c.put("database.password", Secrets.toConnect(p)));
        c.put("topic.prefix", name);
        c.put("plugin.name", "pgoutput");
        String table = pg.table().orElseThrow();
        c.put("table.include.list", table.contains(".") ? table : "public." + table);
        c.put("slot.name", options.getOrDefault("slot_name", name.replaceAll("[^a-z0-9_]", "_")));
        c.put("publication.name", options.getOrDefault("publication", "sluice_" + name.replaceAll("[^a-z0-9_]", "_")));
        c.put("publication.autocreate.mode", "filtered");
        c.put("snapshot.mode", options.getOrDefault("snapshot_mode", "initial"));
        c.put("decimal.handling.mode", "string");
        c.put("time.precision.mode", "connect");
        String transaction = options.getOrDefault("include_transaction",
                options.getOrDefault("include_transaction_details", "false"));
        c.put("provide.transaction.metadata", transaction);
        Optional.ofNullable(options.get("heartbeat_interval_ms")).ifPresent(h -> c.put("heartbeat.interval.ms", h));
        Optional.ofNullable(options.get("ssl_mode")).ifPresent(m -> c.put("database.sslmode", m));
        c.put("key.converter", JSON_CONVERTER);
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter", JSON_CONVERTER);
        c.put("value.converter.schemas.enable", "false");
        if (read == PostgresRead.CDC) {
            // seed 001's shape: operation INSERT/UPDATE/DELETE beside before, after and source
            c.put("tombstones.on.delete", "false"); // a change stream shows a delete as operation DELETE
            c.put("transforms", "operation");
            c.put("transforms.operation.type", "dev.sluice.connect.transforms.DebeziumOperation");
        } else {
            // a table kept current: each change is the row after it; a delete is a tombstone of its key
            c.put("transforms", "unwrap");
            c.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
            c.put("transforms.unwrap.delete.tombstone.handling.mode", "tombstone");
        }
    }

    private static void jdbcQuery(Map<String, String> c, String topic, Endpoint.Postgres pg, Map<String, String> options,
                                  NodeLocation where) {
        c.put("connector.class", "dev.sluice.connect.jdbc.JdbcQuerySourceConnector");
        c.put("tasks.max", "1");
        c.put("topic", topic);
        connection(c, pg, options);
        c.put("query", options.get("query"));
        c.put("poll.interval.ms", Long.toString(Durations.millis(options.getOrDefault("poll_interval", "1 minute"), where)));
        Optional.ofNullable(options.get("timestamp_column")).ifPresent(t -> c.put("timestamp.column", t));
        strings(c);
    }

    private static void connection(Map<String, String> c, Endpoint.Postgres pg, Map<String, String> options) {
        c.put("connection.url", pg.jdbcUrl());
        c.put("connection.user", Secrets.toConnect(pg.user().orElse(options.getOrDefault("user", "postgres"))));
        pg.password().or(() -> Optional.ofNullable(options.get("password")))
                .ifPresent(p -> c.put("connection.password", Secrets.toConnect(p)));
    }

    private static void strings(Map<String, String> c) {
        c.put("key.converter", STRING_CONVERTER);
        c.put("value.converter", STRING_CONVERTER);
    }

    /** Column list as {@code name TYPE, ...} for notes. */
    public static String describe(Schema schema) {
        return schema.columns().stream().map(Column::name).collect(Collectors.joining(", "));
    }
}
