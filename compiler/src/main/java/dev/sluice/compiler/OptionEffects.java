package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Property;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What seed 001's operational options do in a compiled application, so none is accepted and
 * silently ignored. Each option either takes effect (a Kafka client or Streams setting of the
 * application, a connector setting, or Sluice's own behaviour, said in a note at the option), is
 * accepted with a note at the option saying why it changes nothing here (tuning for engines that
 * work differently), or, for error handling that cannot be carried out, is an error at the option.
 * Options other code reads (formats, endpoints, {@code on_error}, {@code dlq_topic}, retry policies of
 * HTTP and ClickHouse connectors, ...) are not reviewed here. Client and Streams settings are
 * per application: a SET of the same key in the script wins.
 */
final class OptionEffects {
    private OptionEffects() {
    }

    /** Kafka client and Streams settings: option → the setting it becomes. */
    private static final Map<String, String> CLIENT_SETTINGS = Map.ofEntries(
            Map.entry("linger_ms", "producer.linger.ms"),
            Map.entry("compression_type", "producer.compression.type"),
            Map.entry("sink_compression", "producer.compression.type"),
            Map.entry("buffer_memory", "producer.buffer.memory"),
            Map.entry("max_poll_records", "main.consumer.max.poll.records"),
            Map.entry("poll_timeout_ms", "poll.ms"),
            Map.entry("parallelism", "num.stream.threads"));

    /** Options accepted with a note: why they change nothing in a Kafka Streams application or its connectors. */
    private static final Map<String, String> NO_EFFECT = Map.ofEntries(
            Map.entry("prefetch_count", "Kafka consumers fetch ahead by bytes (fetch.max.bytes), not by a count of"
                    + " messages; it has no effect"),
            Map.entry("partition_assignment", "Kafka Streams assigns partitions to tasks with its own sticky assignor;"
                    + " it has no effect"),
            Map.entry("file_parallelism", "the file connector reads one file after another in name order (one task), so"
                    + " rows keep their file order; it has no effect"),
            Map.entry("chunk_size_mb", "files are streamed line by line (Parquet: row by row), not in chunks; it has no effect"),
            Map.entry("cache_enabled", "a PostgreSQL table joined is read by CDC into a state store that is always"
                    + " current, so there is no lookup cache to enable"),
            Map.entry("cache_ttl", "a PostgreSQL table joined is kept current by CDC: no entry goes stale, so there is"
                    + " nothing to expire"),
            Map.entry("cache_ttl_seconds", "a PostgreSQL table joined is kept current by CDC: no entry goes stale, so"
                    + " there is nothing to expire"),
            Map.entry("cache_refresh_interval", "a PostgreSQL table joined is kept current by CDC (each change arrives"
                    + " as it commits), so there is nothing to refresh"),
            Map.entry("projection_pushdown", "the connector reads whole rows and the query projects them after; the"
                    + " result is the same, only more is read"),
            Map.entry("predicate_pushdown", "the connector reads every row and the query filters them after; the result"
                    + " is the same, only more is read"),
            Map.entry("column_pruning", "the connector reads whole rows and the query drops unused columns after"),
            Map.entry("pool_size", "Debezium reads PostgreSQL over one replication connection; there is no pool"),
            Map.entry("pool_timeout", "Debezium reads PostgreSQL over one replication connection; there is no pool"),
            Map.entry("statement_timeout", "Debezium streams the write-ahead log rather than running statements; the"
                    + " initial snapshot has no statement timeout here"),
            Map.entry("metrics_enabled", "Sluice always counts records in, processed, out, dropped and dead-lettered"
                    + " (printed at the end of a run, and Kafka Streams' metrics over JMX)"),
            Map.entry("group_id", "a Kafka Streams application's consumer group is its application id (sluice run"
                    + " --application-id); it has no effect"),
            Map.entry("cluster", "the query runs on the server the URI names; to read every shard, query a Distributed"
                    + " table (as a cluster's own queries do)"),
            Map.entry("sharding_key", "a sharding key decides where a Distributed table writes rows; reading is"
                    + " not affected"),
            Map.entry("max_block_size", "the ClickHouse source reads each poll's rows as one JSONEachRow answer; the"
                    + " server's block size is its own setting"),
            Map.entry("null_handling", "a missing JSON field is read as NULL; defaults come from the query's COALESCE"
                    + " (as in the seed); it has no further effect"),
            Map.entry("schema_version", "the topic is read as JSON (no registry), whose columns were sampled; a registry"
                    + " schema version has no effect"),
            Map.entry("upgrade_missing_fields", "fields a JSON record lacks are read as NULL, which is what upgrading"
                    + " them gives"),
            Map.entry("compatibility_mode", "Sluice does not register schemas for this stream; the registry's own"
                    + " compatibility setting applies"),
            Map.entry("sink_partitioning", "the output topic is partitioned by the row's key; to partition by a"
                    + " column, make it the key (sink_key, or PARTITION BY)"),
            Map.entry("update_mode", "the result is written as the query produces it: appends for an append-only"
                    + " result, change records for an updating one"),
            Map.entry("multiline", "a JSON record is one line (JSON lines); records spanning lines are not joined"));

    /**
     * Reviews one statement's WITH options. {@code schemes} are the URI schemes the statement reads
     * and writes (kafka, file, postgresql, clickhouse, http, s3); {@code settings} the application's
     * Streams settings so far.
     */
    static void review(String statement, List<Property> properties, Set<String> schemes, Map<String, String> settings,
                       List<String> notes) {
        boolean connectorRetries = schemes.contains("http") || schemes.contains("https") || schemes.contains("clickhouse");
        boolean postgres = schemes.contains("postgresql") || schemes.contains("postgres");
        boolean breaker = properties.stream().anyMatch(p -> p.key().equalsIgnoreCase("circuit_breaker_enabled")
                && Boolean.parseBoolean(SourceDeclarations.value(p.value()).strip()));
        for (Property p : properties) {
            String key = p.key().toLowerCase(Locale.ROOT).replace("'", "");
            String value = SourceDeclarations.value(p.value());
            checkValue(p, key, value);
            String at = statement + ": " + key + " = '" + value + "' (line " + p.location() + ")";
            switch (key) {
                case "circuit_breaker_enabled", "failure_threshold", "timeout_seconds", "success_threshold" -> {
                    if (!postgres) {
                        throw new SqlException(p.location(), key + " cannot be carried out here: a circuit breaker wraps"
                                + " a PostgreSQL source's connector only",
                                "remove it; Kafka sources need none (the client reconnects on its own)");
                    }
                    if (!key.equals("circuit_breaker_enabled") && !value.strip().matches("\\d{1,9}")) {
                        throw new SqlException(p.location(), key + " must be a whole number, not '" + value + "'");
                    }
                    if (!key.equals("circuit_breaker_enabled") && !breaker) {
                        throw new SqlException(p.location(), key + " has no effect without circuit_breaker_enabled = true",
                                "add circuit_breaker_enabled = true, or remove " + key);
                    }
                    notes.add(at + ": " + switch (key) {
                        case "failure_threshold" -> "the circuit breaker opens after this many consecutive failed reads"
                                + " of the source (the connector task goes on; its failures are logged)";
                        case "timeout_seconds" -> "an open breaker tries the source again after this long (half-open)";
                        case "success_threshold" -> "a half-open breaker closes after this many successful reads";
                        default -> "the PostgreSQL source connector runs behind a circuit breaker; it logs and counts"
                                + " each opening and closing (task metrics circuit-breaker-state, circuit-breaker-opened-total)";
                    });
                }
                case "fallback_query" -> {
                    if (!breaker) {
                        throw new SqlException(p.location(), "fallback_query needs circuit_breaker_enabled = true",
                                "add circuit_breaker_enabled = true");
                    }
                    if (!postgres) {
                        throw new SqlException(p.location(), "fallback_query runs on the source's PostgreSQL database:"
                                + " this statement reads none");
                    }
                    notes.add(at + ": each time the breaker opens, this query runs once on the same database and its"
                            + " rows are written as the source's rows");
                }
                case "deduplication_key" -> notes.add(at + ": rows with the same " + value + " are kept once (the"
                        + " first to arrive), a key remembered for deduplication_window (forever without it)");
                case "log_errors" -> {
                    if (!Boolean.parseBoolean(value)) {
                        throw new SqlException(p.location(), "log_errors = " + value + " cannot be carried out: Sluice"
                                + " always logs a bad record with its topic-partition@offset and reason",
                                "remove log_errors");
                    }
                    notes.add(at + ": bad records are logged with topic-partition@offset and the reason");
                }
                case "max_retries", "retry_backoff_ms" -> {
                    if (connectorRetries) {
                        break; // the HTTP and ClickHouse connectors' own retries (see RemoteConnectors)
                    }
                    String setting = key.equals("max_retries") ? "producer.retries" : "retry.backoff.ms";
                    put(settings, setting, value, at, notes, key.equals("max_retries")
                            ? "a failed send to Kafka is retried this many times before the application stops; a bad"
                                    + " record is not retried, it goes to the dead-letter topic or is skipped at once"
                            : "the wait between retries of Kafka requests");
                }
                case "checkpoint_interval" -> put(settings, "commit.interval.ms", Long.toString(
                        dev.sluice.compiler.endpoint.Durations.millis(value, p.location())), at, notes,
                        "Kafka Streams commits (its checkpoint) this often");
                case "cache_size_mb" -> put(settings, "statestore.cache.max.bytes", Long.toString(
                        Math.round(Double.parseDouble(value) * 1024 * 1024)), at, notes,
                        "the state stores' record cache, which also folds updates before they are sent");
                case "batch_size" -> {
                    if (!connectorRetries && !schemes.contains("file")) {
                        put(settings, "main.consumer.max.poll.records", value, at, notes,
                                "records read from Kafka per poll");
                    }
                }
                case "error_tolerance" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!v.equals("all") && !v.equals("none")) {
                        throw new SqlException(p.location(), "error_tolerance = '" + value + "' is not known",
                                "'all' (bad records are skipped or dead-lettered) or 'none' (the first stops the application)");
                    }
                }
                default -> {
                    if (CLIENT_SETTINGS.containsKey(key)) {
                        put(settings, CLIENT_SETTINGS.get(key), value, at, notes, "a Kafka client setting of the application");
                    } else if (NO_EFFECT.containsKey(key)) {
                        notes.add(at + ": accepted, " + NO_EFFECT.get(key));
                    }
                }
            }
        }
    }

    /** Options that become numeric Kafka settings: a whole number (a count, bytes or milliseconds). */
    private static final Set<String> WHOLE_NUMBERS = Set.of("linger_ms", "buffer_memory", "max_poll_records",
            "poll_timeout_ms", "parallelism", "batch_size", "max_retries", "retry_backoff_ms");

    /**
     * A value that would become a Kafka setting is checked here, at the option, because Kafka checks it only
     * when the application starts, far from the script (found by `sluice fuzz`: an expression as
     * `cache_size_mb` was a NumberFormatException, exit 70).
     */
    private static void checkValue(Property p, String key, String value) {
        String v = value.strip();
        if (WHOLE_NUMBERS.contains(key) && !v.matches("\\d{1,18}")) {
            throw new SqlException(p.location(), key + " must be a whole number", "e.g. " + key + " = 1000");
        }
        if (key.equals("cache_size_mb") && !v.matches("\\d{1,9}(\\.\\d{1,6})?")) {
            throw new SqlException(p.location(), "cache_size_mb must be a number of megabytes", "e.g. cache_size_mb = 64");
        }
        if ((key.equals("compression_type") || key.equals("sink_compression"))
                && !Set.of("none", "gzip", "snappy", "lz4", "zstd").contains(v.toLowerCase(Locale.ROOT))) {
            throw new SqlException(p.location(), key + " must be one of 'none', 'gzip', 'snappy', 'lz4', 'zstd'");
        }
    }

    private static void put(Map<String, String> settings, String key, String value, String at, List<String> notes,
                            String meaning) {
        if (settings.containsKey(key) && !settings.get(key).equals(value)) {
            notes.add(at + ": " + key + " is already " + settings.get(key) + " (a SET or an earlier statement): kept");
            return;
        }
        settings.put(key, value);
        notes.add(at + ": becomes " + key + " = " + value + " for the whole application (" + meaning + ")");
    }

    /** The URIs a query reads (FROM, JOIN) and writes (INTO), at any depth. */
    static List<String> uris(dev.sluice.grammar.ast.Query query) {
        List<String> out = new java.util.ArrayList<>();
        dev.sluice.compiler.analyzer.AstWalker.walk(query, n -> true, n -> {
            if (n instanceof dev.sluice.grammar.ast.Relation.UriSource u) {
                out.add(u.uri());
            } else if (n instanceof dev.sluice.grammar.ast.QueryBody.Select s) {
                s.into().forEach(t -> t.uri().ifPresent(out::add));
            }
        });
        return out;
    }

    /** The URI schemes a statement reads and writes. */
    static Set<String> schemes(List<String> uris) {
        Set<String> out = new java.util.HashSet<>();
        for (String uri : uris) {
            int sep = uri.indexOf("://");
            if (sep > 0) {
                String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
                String rest = uri.substring(sep + 3);
                out.add(scheme);
                int inner = rest.indexOf("://"); // parquet://s3://...
                if (inner > 0) {
                    out.add(rest.substring(0, inner).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
