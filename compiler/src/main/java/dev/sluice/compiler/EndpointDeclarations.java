package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.compiler.endpoint.ClickHouseCatalog;
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
import dev.sluice.grammar.ast.Statement;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code CREATE STREAM|TABLE name [(columns)] WITH (datasource = '<uri>', ...)}: a Kafka URI names
 * the topic (columns sampled when none are declared and no registry is given); any other endpoint
 * gets a source connector writing {@code <app>-<name>-source} (Debezium: {@code <that>.<schema>.<table>}).
 */
final class EndpointDeclarations {
    private EndpointDeclarations() {
    }

    static SourceDefinition declare(Statement.CreateSource create, String applicationId, Discovery discovery,
                                    List<String> notes, List<ConnectorPlan> connectors) {
        // checked before any endpoint is sampled or connector planned: a bad value is an error at its place
        Map<String, String> props = WithOptions.parse(create.properties()).written();
        String datasource = props.get("datasource");
        if (datasource == null || !Endpoints.isUri(datasource)) {
            return SourceDeclarations.declare(create, notes, discovery);
        }
        NodeLocation where = create.properties().stream().filter(p -> p.key().equalsIgnoreCase("datasource"))
                .map(Property::location).findFirst().orElse(create.location());
        Endpoint endpoint = Endpoints.parse(datasource, where);
        props = Endpoints.withUriFormat(datasource, props, where);
        String name = create.name().simpleName();
        if (endpoint instanceof Endpoint.Kafka k) {
            boolean registry = props.containsKey("schema_registry_url") || props.containsKey("schema.registry.url");
            if (!create.columns().isEmpty() || registry && "avro".equalsIgnoreCase(props.get("format"))) {
                return SourceDeclarations.declare(create, notes, discovery);
            }
            discovery.requireNetwork(where, k.display());
            FileSampling.Found found = KafkaSampling.discover(k, discovery.kafkaServers(k), props, where);
            notes.add(name + ": " + found.note());
            return SourceDeclarations.declare(create, notes, discovery, new SourceDeclarations.Endpointed(k.topic(),
                    Map.of("format", props.getOrDefault("format", "json")), Optional.of(found.schema()), List.of()));
        }
        if (endpoint instanceof Endpoint.Unsupported x) {
            throw new SqlException(where, "reading " + x.scheme() + ":// endpoints is not supported yet",
                    "parquet:// objects are not planned yet");
        }
        String connector = applicationId + "-" + ScriptIds.sanitize(name) + "-source";
        Optional<Schema> discovered = Optional.empty();
        List<String> key = List.of();
        String topic = connector;
        if (endpoint instanceof Endpoint.Files f && create.columns().isEmpty()) {
            FileSampling.Found found = FileSampling.discover(f, props, where);
            discovered = Optional.of(found.schema());
            notes.add(name + ": " + found.note());
        } else if (endpoint instanceof Endpoint.ClickHouse ch && create.columns().isEmpty()) {
            discovery.requireNetwork(where, ch.display());
            discovered = Optional.of(ClickHouseCatalog.describe(ch, props, where));
            notes.add(name + ": columns from ClickHouse at " + ch.display());
        } else if (endpoint instanceof Endpoint.S3 s3 && create.columns().isEmpty()) {
            discovery.requireNetwork(where, s3.display());
            FileSampling.Found found = S3Sampling.discover(s3, props, where);
            discovered = Optional.of(found.schema());
            notes.add(name + ": " + found.note());
        } else if (endpoint instanceof Endpoint.Http http && create.columns().isEmpty()) {
            discovery.requireNetwork(where, http.display());
            FileSampling.Found found = HttpSampling.discover(http, props, where);
            discovered = Optional.of(found.schema());
            notes.add(name + ": " + found.note());
        } else if (endpoint instanceof Endpoint.Postgres pg) {
            ConnectorPlanner.PostgresRead read = ConnectorPlanner.postgresRead(pg, props, where);
            if (read != ConnectorPlanner.PostgresRead.QUERY) {
                topic = ConnectorPlanner.cdcTopic(connector, pg);
            }
            if (create.columns().isEmpty()) {
                discovery.requireNetwork(where, pg.display());
                if (read == ConnectorPlanner.PostgresRead.QUERY) {
                    discovered = Optional.of(PostgresCatalog.describeQuery(pg, props.get("query"), where));
                } else {
                    PostgresCatalog.Table table = PostgresCatalog.describe(pg, where);
                    discovered = Optional.of(read == ConnectorPlanner.PostgresRead.CDC
                            ? ChangeEvents.schema(table.schema()) : table.schema());
                    key = read == ConnectorPlanner.PostgresRead.CDC ? List.of() : table.primaryKey();
                    table.precisionNote().ifPresent(n -> notes.add(name + ": " + n));
                }
                notes.add(name + ": columns from the catalog of " + pg.display());
            }
        }
        // Debezium keys are JSON objects of the primary key ({"id":4}), read by name
        Map<String, String> format = endpoint instanceof Endpoint.Postgres
                ? Map.of("format", "json", "key_format", "json") : Map.of("format", "json");
        SourceDefinition def = SourceDeclarations.declare(create, notes, discovery, new SourceDeclarations.Endpointed(topic,
                format, discovered, key));
        ConnectorPlan plan = ConnectorPlanner.source(connector, ScriptIds.sanitize(name), endpoint, props,
                def.schema(), def.primaryKey(), where);
        connectors.add(plan);
        notes.add(name + ": connector " + plan.name() + " (" + plan.connectorClass() + ") writes topic '"
                + plan.topic() + "' from " + endpoint.display());
        return def;
    }

    /**
     * Formats files and objects are written in: named beside an INTO file or object target, they
     * describe the files (the query's topic stays JSON, which the sink connectors read), not a topic.
     */
    private static final java.util.Set<String> FILE_ONLY_FORMATS = java.util.Set.of("parquet", "jsonl", "ndjson", "avro", "csv");

    static boolean fileOnlyFormat(String key, String value) {
        return (key.equals("format") || key.equals("value_format")) && value != null
                && FILE_ONLY_FORMATS.contains(value.toLowerCase(Locale.ROOT));
    }

    /** Whether a query writes INTO a non-Kafka endpoint (a connector drains its topic). */
    static boolean writesConnectorEndpoint(dev.sluice.grammar.ast.Query query) {
        return query.body() instanceof dev.sluice.grammar.ast.QueryBody.Select select && select.into().stream()
                .anyMatch(t -> t.uri().isPresent() && !t.uri().get().toLowerCase(Locale.ROOT).startsWith("kafka://"));
    }

    /** INTO targets that are not Kafka: one sink connector each, draining the query's output topic. */
    static void sinks(List<dev.sluice.grammar.ast.QueryBody.SinkTarget> targets, String applicationId, String queryId,
                      String topic, dev.sluice.serdes.row.Schema rows, Map<String, String> written, List<String> key,
                      List<String> notes, List<ConnectorPlan> connectors, boolean readsEndpoint) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        written.forEach((k, v) -> {
            // after FROM 'clickhouse://...' the options say how to read it; after a Kafka source, how to write
            if (!k.startsWith("source_") && !(readsEndpoint && UriSources.SOURCE_OPTIONS.contains(k))) {
                options.put(k, v);
            }
        });
        // format = 'parquet' and its compression, written beside INTO 'file://...', describe the files
        if (fileOnlyFormat("format", written.get("format"))) {
            options.put("format", written.get("format"));
            Optional.ofNullable(written.get("compression")).ifPresent(c -> options.put("compression", c));
        }
        written.forEach((k, v) -> {
            if (k.startsWith("sink_")) {
                options.put(k.substring("sink_".length()), v);
            }
        });
        // seed 001's sink_key names the upsert key of a stream's rows; a table's key is its own
        List<String> upsertKey = options.containsKey("key") ? List.of(options.get("key").split("\\s*,\\s*")) : key;
        int n = 0;
        for (var target : targets) {
            if (target.uri().isEmpty()) {
                continue;
            }
            Endpoint endpoint = Endpoints.parse(target.uri().get(), target.location());
            if (endpoint instanceof Endpoint.Kafka) {
                continue;
            }
            String scheme = target.uri().get().substring(0, target.uri().get().indexOf(':')).toLowerCase(Locale.ROOT);
            String name = applicationId + "-" + queryId + "-" + scheme + "-sink" + (n++ == 0 ? "" : "-" + n);
            Map<String, String> targetOptions = Endpoints.withUriFormat(target.uri().get(), options, target.location());
            if (endpoint instanceof Endpoint.ClickHouse && targets.size() > 1 && fileOnlyFormat("format", options.get("format"))) {
                // one format for several targets: it is the files' format; ClickHouse is written its own way
                targetOptions = new java.util.LinkedHashMap<>(targetOptions);
                targetOptions.remove("format");
                notes.add(queryId + ": format '" + options.get("format") + "' applies to the file and object targets; "
                        + endpoint.display() + " is written as JSONEachRow (a ClickHouse table stores rows, not files)");
            }
            ConnectorPlan plan = ConnectorPlanner.sink(name, queryId, endpoint, topic, rows, targetOptions, upsertKey,
                    target.location());
            connectors.add(plan);
            notes.add(queryId + ": connector " + plan.name() + " writes topic '" + topic + "' to " + endpoint.display());
        }
    }
}
