package dev.sluice.compiler.endpoint;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Connector configurations for ClickHouse (source and sink) and HTTP polling sources, from the
 * endpoint URI and seed 001's WITH options. Secrets stay {@code ${env:NAME}} references.
 */
final class RemoteConnectors {
    private RemoteConnectors() {
    }

    static void clickHouseSource(Map<String, String> c, String topic, Endpoint.ClickHouse ch, Map<String, String> options,
                                 NodeLocation where) {
        jsonEachRow(ch, options, where);
        if (ch.table().isEmpty() && !options.containsKey("query")) {
            throw new SqlException(where, "'" + ch.display() + "' names no table and no query",
                    "add ?table=name to the URI, or WITH (query = 'SELECT ...')");
        }
        c.put("connector.class", "dev.sluice.connect.clickhouse.ClickHouseSourceConnector");
        c.put("tasks.max", "1");
        c.put("topic", topic);
        clickHouseConnection(c, ch, options);
        if (options.containsKey("query")) {
            c.put("query", options.get("query"));
        } else {
            c.put("clickhouse.table", ch.table().orElseThrow());
        }
        c.put("poll.interval.ms", Long.toString(Durations.millis(options.getOrDefault("poll_interval", "10 seconds"), where)));
        Optional.ofNullable(options.getOrDefault("incremental_column", options.get("timestamp_column")))
                .ifPresent(col -> c.put("incremental.column", col));
        // rows inserted late: how far below the last value each poll reads again, and what identifies a row
        Optional.ofNullable(options.get("incremental_overlap")).ifPresent(o -> c.put("incremental.overlap", o));
        Optional.ofNullable(options.get("dedup_key")).ifPresent(k -> c.put("incremental.dedup.key", k));
        retries(c, options, where);
        strings(c);
    }

    static void clickHouseSink(Map<String, String> c, String name, String topic, Endpoint.ClickHouse ch,
                               Map<String, String> options, NodeLocation where) {
        String table = ch.table().orElseThrow(() -> new SqlException(where, "'" + ch.display() + "' names no table",
                "write INTO 'clickhouse://host:8123/database?table=name'"));
        String format = options.getOrDefault("format", "JSONEachRow");
        if (!format.equalsIgnoreCase("JSONEachRow") && !format.equalsIgnoreCase("json")) {
            throw new SqlException(where, "the ClickHouse sink writes JSONEachRow, not '" + format + "'",
                    "leave format (or sink_format) out for ClickHouse targets, or give 'json'");
        }
        c.put("connector.class", "dev.sluice.connect.clickhouse.ClickHouseSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", topic);
        clickHouseConnection(c, ch, options);
        c.put("clickhouse.table", table);
        Optional.ofNullable(options.get("batch_size")).ifPresent(b -> c.put("batch.size", positive(b, "batch_size", where)));
        retries(c, options, where);
        // a row ClickHouse rejects goes to the dead-letter topic with its reason, the others go on
        c.put("errors.tolerance", "all");
        c.put("errors.log.enable", "true");
        c.put("errors.deadletterqueue.topic.name", options.getOrDefault("dead_letter_topic", name + "-dlq"));
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("errors.deadletterqueue.topic.replication.factor", "-1"); // the cluster's default
        strings(c);
    }

    static void httpSource(Map<String, String> c, String topic, Endpoint.Http http, Map<String, String> options,
                           NodeLocation where) {
        c.put("connector.class", "dev.sluice.connect.http.HttpSourceConnector");
        c.put("tasks.max", "1");
        c.put("topic", topic);
        c.put("http.url", http.url());
        c.put("poll.interval.ms", Long.toString(Durations.millis(options.getOrDefault("poll_interval", "1 minute"), where)));
        String format = options.getOrDefault("format", "json").toLowerCase(Locale.ROOT);
        c.put("format", switch (format) {
            case "json" -> "auto";
            case "json_array", "array" -> "json_array";
            case "jsonl", "ndjson", "json_lines" -> "jsonl";
            default -> throw new SqlException(where, "an HTTP source reads JSON, not '" + format + "'",
                    "format = 'json' (an array or JSON lines, told apart by the answer), 'json_array' or 'jsonl'");
        });
        String policy = options.getOrDefault("retry_policy", "exponential").toLowerCase(Locale.ROOT);
        if (!policy.equals("exponential") && !policy.equals("fixed") && !policy.equals("none")) {
            throw new SqlException(where, "unknown retry_policy '" + policy + "'", "exponential, fixed or none");
        }
        c.put("retry.policy", policy);
        Optional.ofNullable(options.get("initial_retry_delay_ms"))
                .ifPresent(v -> c.put("initial.retry.delay.ms", nonNegative(v, "initial_retry_delay_ms", where)));
        Optional.ofNullable(options.get("max_retry_delay_ms"))
                .ifPresent(v -> c.put("max.retry.delay.ms", nonNegative(v, "max_retry_delay_ms", where)));
        Optional.ofNullable(options.get("max_retries")).ifPresent(v -> c.put("max.retries", nonNegative(v, "max_retries", where)));
        Optional.ofNullable(options.get("jitter_factor")).ifPresent(v -> {
            double j;
            try {
                j = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                j = -1;
            }
            if (j < 0 || j > 1) {
                throw new SqlException(where, "jitter_factor must be a number from 0 to 1, not '" + v + "'");
            }
            c.put("jitter.factor", v);
        });
        Optional.ofNullable(options.getOrDefault("incremental_field", options.get("timestamp_column")))
                .ifPresent(f -> c.put("incremental.field", f));
        Optional.ofNullable(options.getOrDefault("bearer_token", options.get("auth_token")))
                .ifPresent(t -> c.put("auth.bearer.token", Secrets.toConnect(t)));
        Optional.ofNullable(options.get("username")).ifPresent(u -> {
            c.put("auth.basic.user", Secrets.toConnect(u));
            Optional.ofNullable(options.get("password")).ifPresent(p -> c.put("auth.basic.password", Secrets.toConnect(p)));
        });
        strings(c);
    }

    static void s3Source(Map<String, String> c, String topic, Endpoint.S3 s3, Map<String, String> options,
                         dev.sluice.serdes.row.Schema schema, NodeLocation where) {
        String format = s3Format(s3, options, where, "reading");
        c.put("connector.class", "dev.sluice.connect.s3.S3SourceConnector");
        c.put("tasks.max", "1");
        c.put("topic", topic);
        c.put("s3.bucket", s3.bucket());
        c.put("s3.keys", s3.keys());
        c.put("format", format);
        RowReadingSettings.putCsv(c, format, options);
        RowReadingSettings.putColumns(c, schema);
        c.put("poll.interval.ms", Long.toString(Durations.millis(options.getOrDefault("poll_interval", "10 seconds"), where)));
        s3Settings(c, options);
        strings(c);
    }

    static void s3Sink(Map<String, String> c, String name, String topic, Endpoint.S3 s3, dev.sluice.serdes.row.Schema rows,
                       Map<String, String> options, NodeLocation where) {
        String format = s3Format(s3, options, where, "writing");
        c.put("connector.class", "dev.sluice.connect.s3.S3SinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("s3.bucket", s3.bucket());
        String prefix = s3.keys();
        // partition_by = ['year', 'month'] adds year=${year}/month=${month}/ unless the path already has them
        for (String column : list(options.get("partition_by"))) {
            if (!prefix.contains("${" + column + "}")) {
                prefix = prefix + (prefix.isEmpty() || prefix.endsWith("/") ? "" : "/") + column + "=${" + column + "}/";
            }
        }
        c.put("s3.prefix", prefix);
        Optional.ofNullable(options.get("file_size_mb")).ifPresent(mb -> c.put("file.size.bytes",
                Long.toString(Long.parseLong(positive(mb, "file_size_mb", where)) << 20)));
        // flush_interval: an object rolls once its rows span this much event time (deterministic across restarts)
        Optional.ofNullable(options.get("flush_interval")).ifPresent(i -> c.put("rotate.interval.ms",
                Long.toString(Durations.millis(i, where))));
        c.put("format", format);
        if (format.equals("parquet") || format.equals("avro")) {
            // the rows' columns, typed: Parquet and Avro objects carry their schema, JSON rows do not
            c.put("avro.schema", dev.sluice.serdes.format.avro.AvroSchemas.toAvro(rows, name).toString());
        }
        String compression = options.getOrDefault("compression", "snappy").toLowerCase(Locale.ROOT);
        if (format.equals("parquet")) {
            try {
                dev.sluice.connect.parquet.ParquetRollingFile.codec(compression);
            } catch (IllegalArgumentException e) {
                throw new SqlException(where, e.getMessage());
            }
        }
        c.put("compression", compression);
        s3Settings(c, options);
        strings(c);
    }

    private static java.util.List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(value.replaceAll("[\\[\\]'\"]", "").split(","))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * jsonl, csv, parquet or avro (container files): the {@code format} option, else the key's
     * extension ({@code *.parquet}, {@code *.csv}, {@code *.avro}), else JSON lines.
     */
    static String s3Format(Endpoint.S3 s3, Map<String, String> options, NodeLocation where, String verb) {
        String keys = s3.keys().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        String byName = keys.endsWith(".parquet") ? "parquet" : keys.endsWith(".csv") ? "csv"
                : keys.endsWith(".avro") ? "avro" : "json";
        String format = options.getOrDefault("format", byName).toLowerCase(Locale.ROOT);
        return switch (format) {
            case "json", "jsonl", "ndjson" -> "jsonl";
            case "csv", "parquet", "avro" -> format;
            default -> throw new SqlException(where, verb + " " + format + " objects on S3 is not supported",
                    "format = 'json' (JSON lines; gzip when the key ends in .gz), 'csv', 'parquet' or 'avro'");
        };
    }

    private static void s3Settings(Map<String, String> c, Map<String, String> options) {
        var s = S3Sampling.settings(options, false);
        c.put("s3.region", s.region());
        put(c, "s3.endpoint", s.endpoint());
        put(c, "s3.access.key.id", s.accessKeyId());
        put(c, "s3.secret.access.key", s.secretAccessKey());
        put(c, "s3.role.arn", s.roleArn());
        if (!s.roleArn().isEmpty()) {
            c.put("s3.role.session.name", s.sessionName());
        }
        put(c, "s3.role.external.id", s.externalId());
        put(c, "s3.sse.customer.algorithm", s.sseCustomerAlgorithm());
        put(c, "s3.sse.customer.key", s.sseCustomerKey());
        if (s.requesterPays()) {
            c.put("s3.requester.pays", "true");
        }
    }

    private static void put(Map<String, String> c, String key, String value) {
        if (!value.isEmpty()) {
            c.put(key, value);
        }
    }

    private static void jsonEachRow(Endpoint.ClickHouse ch, Map<String, String> options, NodeLocation where) {
        String format = options.getOrDefault("format", "JSONEachRow");
        if (!format.equalsIgnoreCase("JSONEachRow") && !format.equalsIgnoreCase("json")) {
            throw new SqlException(where, "ClickHouse rows are read as JSONEachRow, not '" + format + "'",
                    "format = 'JSONEachRow' (or leave it out)");
        }
    }

    private static void clickHouseConnection(Map<String, String> c, Endpoint.ClickHouse ch, Map<String, String> options) {
        c.put("clickhouse.url", ch.httpUrl());
        c.put("clickhouse.database", ClickHouseCatalog.database(ch, options));
        c.put("clickhouse.user", Secrets.toConnect(ch.user().orElse(options.getOrDefault("user", "default"))));
        ch.password().or(() -> Optional.ofNullable(options.get("password")))
                .ifPresent(p -> c.put("clickhouse.password", Secrets.toConnect(p)));
    }

    private static void retries(Map<String, String> c, Map<String, String> options, NodeLocation where) {
        Optional.ofNullable(options.get("max_retries")).ifPresent(v -> c.put("max.retries", nonNegative(v, "max_retries", where)));
        Optional.ofNullable(options.getOrDefault("retry_backoff_ms", options.get("initial_retry_delay_ms")))
                .ifPresent(v -> c.put("retry.backoff.ms", nonNegative(v, "retry_backoff_ms", where)));
        Optional.ofNullable(options.get("max_retry_delay_ms"))
                .filter(v -> c.get("connector.class").endsWith("SinkConnector"))
                .ifPresent(v -> c.put("max.retry.backoff.ms", nonNegative(v, "max_retry_delay_ms", where)));
    }

    private static String nonNegative(String v, String option, NodeLocation where) {
        try {
            if (Long.parseLong(v.strip()) >= 0) {
                return v.strip();
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new SqlException(where, option + " must be a whole number of 0 or more, not '" + v + "'");
    }

    private static String positive(String v, String option, NodeLocation where) {
        if (nonNegative(v, option, where).equals("0")) {
            throw new SqlException(where, option + " must be 1 or more");
        }
        return v.strip();
    }

    private static void strings(Map<String, String> c) {
        c.put("key.converter", ConnectorPlanner.STRING_CONVERTER);
        c.put("value.converter", ConnectorPlanner.STRING_CONVERTER);
    }
}
