package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.compiler.endpoint.ClickHouseCatalog;
import dev.sluice.compiler.endpoint.CircuitBreakerPlan;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.compiler.endpoint.ConnectorPlanner;
import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.compiler.endpoint.Endpoint;
import dev.sluice.compiler.endpoint.Endpoints;
import dev.sluice.compiler.endpoint.FileSampling;
import dev.sluice.compiler.endpoint.HttpSampling;
import dev.sluice.compiler.endpoint.S3Sampling;
import dev.sluice.compiler.endpoint.KafkaSampling;
import dev.sluice.compiler.endpoint.PostgresCatalog;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.row.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Endpoint URIs read in FROM and JOIN ({@code FROM 'file:///data/*.csv' WITH (...)}) become catalog
 * sources before a query is planned: a Kafka URI is its topic; any other endpoint gets a source
 * connector and a topic named after the query ({@code <app>-<query>-<alias>-source}). Columns are
 * discovered (file header or sample, PostgreSQL catalog, topic sample).
 */
final class UriSources {
    /** Options that configure how a non-Kafka source is read, not how the query's output is written. */
    static final List<String> SOURCE_OPTIONS = List.of("format", "header", "delimiter", "quote_char", "skip_lines",
            "compression", "multiline", "partition_columns", "projection_pushdown", "mode", "publication",
            "slot_name", "snapshot_mode", "include_transaction", "include_transaction_details",
            "heartbeat_interval_ms", "query", "poll_interval", "timestamp_column", "schema_discovery",
            "sample_size", "infer_types", "timestamp_format", "timestamp_field", "user", "password",
            "database", "max_block_size", "cluster", "sharding_key", "incremental_column", "incremental_field",
            "incremental_overlap", "dedup_key",
            "retry_policy", "initial_retry_delay_ms", "max_retry_delay_ms", "jitter_factor", "bearer_token",
            "auth_token", "username", "region", "endpoint", "access_key_id", "secret_access_key", "role_arn",
            "session_name", "external_id", "sse_customer_algorithm", "sse_customer_key", "request_payer");

    private final Catalog catalog;
    private final String applicationId;
    private final Discovery discovery;
    private final List<String> notes;
    private final List<ConnectorPlan> connectors;

    UriSources(Catalog catalog, String applicationId, Discovery discovery, List<String> notes,
               List<ConnectorPlan> connectors) {
        this.catalog = catalog;
        this.applicationId = applicationId;
        this.discovery = discovery;
        this.notes = notes;
        this.connectors = connectors;
    }

    /** Columns the query windows by (TUMBLE(ts, ...)): the event time of a URI source without timestamp_field. */
    private java.util.Set<String> windowColumns = java.util.Set.of();

    /** Registers every URI the query reads. {@code outer} are the options written after the statement. */
    void register(Query query, String queryId, Map<String, String> outer) {
        java.util.Set<String> columns = new java.util.HashSet<>();
        dev.sluice.compiler.analyzer.AstWalker.walk(query, n -> true, n -> {
            if (n instanceof dev.sluice.grammar.ast.Expression.FunctionCall f
                    && List.of("TUMBLE", "HOP", "SESSION", "CUMULATE").contains(f.simpleName().toUpperCase(Locale.ROOT))
                    && !f.arguments().isEmpty()
                    && f.arguments().get(0) instanceof dev.sluice.grammar.ast.Expression.ColumnRef ref) {
                columns.add(ref.last().toLowerCase(Locale.ROOT));
            }
        });
        windowColumns = columns;
        registerAll(query, queryId, outer);
    }

    private void registerAll(Query query, String queryId, Map<String, String> outer) {
        for (Query.WithQuery w : query.with()) {
            registerAll(w.query(), queryId, outer);
        }
        body(query.body(), queryId, outer);
    }

    /** Whether the query's first FROM is a non-Kafka endpoint (its trailing options are the source's). */
    static boolean readsConnectorEndpoint(Query query) {
        QueryBody body = query.body();
        while (body instanceof QueryBody.SetOperation s) {
            body = s.left();
        }
        if (body instanceof QueryBody.Select select && select.from().isPresent()) {
            Relation r = select.from().get();
            while (r instanceof Relation.Join j) {
                r = j.left();
            }
            return r instanceof Relation.UriSource u && !u.uri().toLowerCase(Locale.ROOT).startsWith("kafka://");
        }
        return false;
    }

    private void body(QueryBody body, String queryId, Map<String, String> outer) {
        if (body instanceof QueryBody.Select select) {
            Map<String, String> options = new LinkedHashMap<>(outer);
            options.putAll(SourceDeclarations.properties(select.options()));
            boolean intoFiles = select.into().stream().anyMatch(t -> t.uri().isPresent()
                    && !t.uri().get().toLowerCase(Locale.ROOT).startsWith("kafka://"));
            if (intoFiles && !readsConnectorEndpoint(new Query(List.of(), select, List.of(), Optional.empty(),
                    Optional.empty(), select.location()))) {
                // format = 'parquet' beside INTO 'file://...' describes the files written, not a topic read
                options.entrySet().removeIf(e -> EndpointDeclarations.fileOnlyFormat(e.getKey(), e.getValue()));
            }
            select.from().ifPresent(r -> relation(r, queryId, options));
        } else if (body instanceof QueryBody.SetOperation s) {
            body(s.left(), queryId, outer);
            body(s.right(), queryId, outer);
        } else if (body instanceof QueryBody.Nested n) {
            registerAll(n.query(), queryId, outer);
        }
    }

    private void relation(Relation r, String queryId, Map<String, String> options) {
        if (r instanceof Relation.UriSource u) {
            uri(u, queryId, options);
        } else if (r instanceof Relation.Join j) {
            relation(j.left(), queryId, options);
            relation(j.right(), queryId, options);
        } else if (r instanceof Relation.Subquery s) {
            registerAll(s.query(), queryId, options);
        } else if (r instanceof Relation.WindowTableFunction w) {
            relation(w.input(), queryId, options);
        }
    }

    private void uri(Relation.UriSource u, String queryId, Map<String, String> written) {
        if (catalog.lookupUri(u.uri()).isPresent()) {
            return;
        }
        Map<String, String> options = Endpoints.withUriFormat(u.uri(), sourceOptions(written), u.location());
        Endpoint endpoint = Endpoints.parse(u.uri(), u.location());
        String alias = u.alias().map(a -> a.value().toLowerCase(Locale.ROOT)).orElse("");
        if (endpoint instanceof Endpoint.Kafka k) {
            kafka(u, k, options);
        } else if (endpoint instanceof Endpoint.Unsupported x) {
            throw new SqlException(u.location(), "reading " + x.scheme() + ":// endpoints is not supported yet ("
                    + x.display() + ")", "Sluice reads kafka://, file://, postgresql://, clickhouse://, http(s):// "
                    + "and s3:// today");
        } else {
            connectorSource(u, endpoint, queryId, alias, options);
        }
    }

    /** The statement's options, with {@code source_*} keys (seed 001: source_format) winning unprefixed. */
    static Map<String, String> sourceOptions(Map<String, String> written) {
        Map<String, String> out = new LinkedHashMap<>();
        written.forEach((k, v) -> {
            if (!k.startsWith("sink_")) {
                out.putIfAbsent(k, v);
            }
        });
        written.forEach((k, v) -> {
            if (k.startsWith("source_")) {
                out.put(k.substring("source_".length()), v);
            }
        });
        return out;
    }

    private void kafka(Relation.UriSource u, Endpoint.Kafka k, Map<String, String> options) {
        for (SourceDefinition s : catalog.all()) {
            if (s.format().topic().equals(k.topic())) {
                catalog.bindUri(u.uri(), s.name()); // one source node per topic
                return;
            }
        }
        String servers = discovery.kafkaServers(k);
        String name = sourceName(k.topic());
        FileSampling.Found found;
        if ("avro".equalsIgnoreCase(options.getOrDefault("format", options.get("value_format")))) {
            SchemaDiscovery.Discovered d = SchemaDiscovery.discover(name, k.topic(), options, u.location(), discovery);
            found = new FileSampling.Found(d.schema(), d.note());
        } else {
            discovery.requireNetwork(u.location(), k.display());
            // a user's Deserializer decides what the bytes mean: the sample is read through it
            Optional<Map.Entry<String, String>> serde = java.util.stream.Stream.of("value.serde", "value_serde",
                    "deserializer_class", "value.deserializer").filter(options::containsKey)
                    .map(key -> Map.entry(key, options.get(key))).findFirst();
            found = KafkaSampling.discover(k, servers, options, u.location(), serde);
        }
        Map<String, String> format = new LinkedHashMap<>(options);
        format.putIfAbsent("format", "json");
        FormatSpec spec = new FormatSpec(k.topic(), format);
        // a Serde class that is not on the classpath, or a bad format option, is the script's error at
        // the URI (exit 65), not an internal error when the topology is built
        FormatCheck.check(spec, List.of(), u.location(), new Schema(List.of()), found.schema());
        register(u.uri(), name, SourceDefinition.Kind.STREAM, found.schema(), List.of(), spec, options, u.location());
        notes.add(name + ": " + found.note());
        notes.add(name + ": reads topic '" + k.topic() + "' of the cluster the application runs on ("
                + (discovery.kafkaBootstrap().isPresent() ? discovery.kafkaBootstrap().get()
                : "the embedded broker or --bootstrap-servers") + "); the URI's host " + k.servers() + " is not used");
    }

    private void connectorSource(Relation.UriSource u, Endpoint endpoint, String queryId, String alias,
                                 Map<String, String> options) {
        String name = connectorName(queryId, alias.isEmpty() ? "source" : alias + "-source");
        Schema schema;
        List<String> key = List.of();
        SourceDefinition.Kind kind = SourceDefinition.Kind.STREAM;
        String note;
        if (endpoint instanceof Endpoint.Files f) {
            FileSampling.Found found = FileSampling.discover(f, options, u.location());
            schema = found.schema();
            note = found.note();
        } else if (endpoint instanceof Endpoint.ClickHouse ch) {
            discovery.requireNetwork(u.location(), ch.display());
            schema = ClickHouseCatalog.describe(ch, options, u.location());
            if (options.containsKey("database") && !ch.database().isEmpty() && !ch.database().equals(options.get("database"))) {
                notes.add(queryId + ": database = '" + options.get("database") + "' is not used: the URI " + ch.display()
                        + " names database " + ch.database());
            }
            note = "the rows of " + (options.containsKey("query") ? "a ClickHouse query" : "ClickHouse table "
                    + ch.table().orElse("?")) + " polled every " + options.getOrDefault("poll_interval", "10 seconds")
                    + Optional.ofNullable(options.getOrDefault("incremental_column", options.get("timestamp_column")))
                            .map(col -> ", incrementally by `" + col + "`").orElse(" (all rows at each poll: name an "
                                    + "incremental_column to read each row once)");
        } else if (endpoint instanceof Endpoint.S3 s3) {
            discovery.requireNetwork(u.location(), s3.display());
            FileSampling.Found found = S3Sampling.discover(s3, options, u.location());
            schema = found.schema();
            note = found.note() + "; the bucket is listed every " + options.getOrDefault("poll_interval", "10 seconds")
                    + " for new objects";
        } else if (endpoint instanceof Endpoint.Http http) {
            discovery.requireNetwork(u.location(), http.display());
            FileSampling.Found found = HttpSampling.discover(http, options, u.location());
            schema = found.schema();
            note = found.note() + ", polled every " + options.getOrDefault("poll_interval", "1 minute");
        } else {
            Endpoint.Postgres pg = (Endpoint.Postgres) endpoint;
            ConnectorPlanner.PostgresRead read = ConnectorPlanner.postgresRead(pg, options, u.location());
            discovery.requireNetwork(u.location(), pg.display());
            if (read == ConnectorPlanner.PostgresRead.QUERY) {
                schema = PostgresCatalog.describeQuery(pg, options.get("query"), u.location());
                note = "the rows of a query polled every " + options.getOrDefault("poll_interval", "1 minute");
                CircuitBreakerPlan.checkFallback(pg, options, schema, key, false, u.location());
                ConnectorPlan plan = ConnectorPlanner.source(name, queryId, endpoint, options, schema, key, u.location());
                connectors.add(plan);
                String sourceName = sourceName(queryId + "_" + (alias.isEmpty() ? "source" : alias));
                register(u.uri(), sourceName, kind, schema, key, new FormatSpec(plan.topic(), Map.of("format", "json")),
                        options, u.location());
                notes.add(sourceName + ": " + note + "; connector " + plan.name() + " writes topic '" + plan.topic() + "'");
                return;
            }
            PostgresCatalog.Table table = PostgresCatalog.describe(pg, u.location());
            table.precisionNote().ifPresent(n -> notes.add(u.location().line() + ":" + u.location().column() + ": "
                    + pg.display() + ": " + n));
            if (read == ConnectorPlanner.PostgresRead.CDC) {
                schema = ChangeEvents.schema(table.schema());
                note = "a change stream of " + pg.table().orElseThrow() + " (operation, before, after, source, ts_ms)";
            } else {
                if (table.primaryKey().isEmpty()) {
                    throw new SqlException(u.location(), "table " + pg.table().orElseThrow() + " has no primary key",
                            "a table kept current needs one; read its changes with mode = 'cdc' instead");
                }
                schema = table.schema();
                key = table.primaryKey();
                kind = SourceDefinition.Kind.TABLE;
                note = "a table keyed by " + String.join(", ", key) + ", kept current from its changes";
            }
        }
        if (endpoint instanceof Endpoint.Postgres pg) {
            CircuitBreakerPlan.checkFallback(pg, options, schema, key, kind == SourceDefinition.Kind.STREAM, u.location());
        }
        ConnectorPlan plan = ConnectorPlanner.source(name, queryId, endpoint, options, schema, key, u.location());
        connectors.add(plan);
        String sourceName = sourceName(queryId + "_" + (alias.isEmpty() ? "source" : alias));
        Map<String, String> format = new LinkedHashMap<>();
        format.put("format", "json");
        if (endpoint instanceof Endpoint.Postgres) {
            format.put("key_format", "json"); // Debezium keys are JSON objects of the primary key: {"id":4}
        }
        register(u.uri(), sourceName, kind, schema, key, new FormatSpec(plan.topic(), format), options, u.location());
        notes.add(sourceName + ": " + note + "; connector " + plan.name() + " writes topic '" + plan.topic() + "'");
    }

    private void register(String uri, String name, SourceDefinition.Kind kind, Schema schema, List<String> key,
                          FormatSpec format, Map<String, String> options, NodeLocation where) {
        OptionalInt rowtime = OptionalInt.empty();
        String ts = options.getOrDefault("timestamp_field", options.get("timestamp"));
        if (ts != null && schema.indexOf(ts).isPresent()) {
            rowtime = OptionalInt.of(schema.indexOf(ts).getAsInt());
        } else if (ts == null) {
            // no declaration is possible for a URI: a TIMESTAMP column the query windows by is its event time
            for (int i = 0; i < schema.size(); i++) {
                if (windowColumns.contains(schema.column(i).name().toLowerCase(Locale.ROOT))
                        && schema.type(i).isTemporal()) {
                    rowtime = OptionalInt.of(i);
                    notes.add(name + ": event time is `" + schema.column(i).name() + "`, the column the query windows by "
                            + "(write timestamp_field = '...' to choose another)");
                    break;
                }
            }
        }
        catalog.register(new SourceDefinition(name, kind, schema, key, rowtime, OptionalLong.empty(), format,
                false, where));
        catalog.bindUri(uri, name);
    }

    String connectorName(String queryId, String role) {
        return applicationId + "-" + queryId + "-" + role.replaceAll("[^a-z0-9_.-]", "_");
    }

    private String sourceName(String base) {
        String name = ScriptIds.sanitize(base);
        String candidate = name;
        for (int i = 2; catalog.contains(candidate); i++) {
            candidate = name + "_" + i;
        }
        return candidate;
    }

    static Map<String, String> properties(List<Property> properties) {
        return SourceDeclarations.properties(properties);
    }
}
