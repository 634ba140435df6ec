package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.PlannedRelation;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;
import dev.sluice.runtime.operator.SinkTimestampProcessor;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CREATE STREAM|TABLE ... AS SELECT: the query planned into a persistent query that writes its
 * sink topic (or a connector endpoint, INTO 'file://...'), whose format, key and changelog form are
 * settled here, and the sink registered in the catalog as a stream or table later statements read.
 */
final class CreateAsSelectStatements {
    private CreateAsSelectStatements() {
    }

    /** The persistent query of {@code create} (statement {@code text}); its sink is registered in the catalog. */
    static CompiledQuery compile(ScriptState state, Statement.CreateAsSelect create, String text) {
        Catalog catalog = state.catalog();
        List<String> notes = state.notes();
        Map<String, String> settings = state.settings();
        ScriptFunctionCatalog functions = state.functions();
        String name = create.name().simpleName();
        if (catalog.contains(name) && !create.orReplace() && !create.orAlter()) {
            throw new SqlException(create.name().location(), "`" + name + "` is already declared",
                    "use CREATE OR REPLACE, or another name");
        }
        create.objectOptions().stream().filter(p -> p.key().equalsIgnoreCase("warehouse")).findFirst()
                .ifPresent(p -> notes.add(name + ": WAREHOUSE is accepted and ignored (a Kafka Streams application "
                        + "scales by instances, not warehouses)"));
        String id = state.uniqueId(ScriptIds.sanitize(name));
        List<Property> options = new ArrayList<>(create.properties());
        options.addAll(WithOptions.trailing(create.query()));
        WithOptions with = WithOptions.parse(options); // a bad option value is an error at its place
        Map<String, String> written = new LinkedHashMap<>(with.written());
        boolean intoFiles = EndpointDeclarations.writesConnectorEndpoint(create.query());
        Map<String, String> readOptions = new LinkedHashMap<>(written);
        if (intoFiles && !UriSources.readsConnectorEndpoint(create.query())) {
            // format = 'parquet' beside INTO 'file://...' says how to write the files, not how to read a topic
            readOptions.entrySet().removeIf(e -> EndpointDeclarations.fileOnlyFormat(e.getKey(), e.getValue()));
        }
        state.uriSources().register(create.query(), id, readOptions);
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlChecks.formats(create.properties());
            KsqlChecks.persistentSelect(create.query(), catalog, functions);
            KsqlQueryRules.check(create.query(), create.properties(), catalog, functions,
                    create.kind() == Statement.ObjectKind.TABLE);
        }
        PlannedRelation planned = state.ksql()
                ? KsqlChecks.planAggregation(create.query(), functions,
                        () -> state.planner(id).planPersistent(create.query()))
                : state.planner(id).planPersistent(create.query());
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlQueryRules.partitionKeysProjected(create.query(), ReadOnlySources.name(create.name()), catalog);
            KsqlJoinPartitions.check(create.query(), catalog);
        }
        Map<String, String> props = new LinkedHashMap<>(written);
        if (UriSources.readsConnectorEndpoint(create.query())) {
            // the options after FROM 'file://...' say how to read it, not how to write the output topic
            props.keySet().removeIf(k -> UriSources.SOURCE_OPTIONS.contains(k) || k.startsWith("source_"));
        }
        if (intoFiles) {
            props.entrySet().removeIf(e -> EndpointDeclarations.fileOnlyFormat(e.getKey(), e.getValue()));
        }
        SinkFormatInheritance.inheritFormat(props, planned.step(), catalog);
        Optional<String> registry = state.schemaRegistry();
        if (catalog.dialect() == Dialect.KSQL && registry.isPresent()) {
            // ksqlDB's server setting gives a registry to a sink in a registry format that names none
            SourceDeclarations.addRegistry(props, registry.get());
        }
        String topic = catalog.dialect() == Dialect.KSQL ? KsqlSinks.topic(with, name, settings)
                : SourceDeclarations.topic(with, name);
        Optional<String> into = intoTopic(create.query());
        if (into.isPresent() && with.topic().isEmpty()) {
            topic = into.get();
        }
        if (catalog.dialect() == Dialect.KSQL) {
            // ksqlDB writes TIMESTAMP as epoch milliseconds and DATE as epoch days in JSON and DELIMITED
            props.put(OptionKeys.NUMERIC_TEMPORALS, "true");
            props.put(OptionKeys.UNWRAPPED_SINGLE_KEY, "true");
            KsqlSinks.timestampColumn(with, planned.step().schema(), create.location())
                    .ifPresent(i -> props.put(SinkTimestampProcessor.OPTION, Integer.toString(i)));
            with.timestampFormat().ifPresent(f -> props.put(SinkTimestampProcessor.FORMAT_OPTION, f));
            KsqlServerSettings.wrapSingleValueDefault(props, settings);
        }
        FormatSpec sink = new FormatSpec(topic, props, with.topicSettings());
        if (create.query().body() instanceof QueryBody.Select select) {
            EndpointDeclarations.sinks(select.into(), state.applicationId(), id, topic, planned.step().schema(), written,
                    keyNamesInValue(planned.step()), notes, state.connectors(), UriSources.readsConnectorEndpoint(create.query()));
        }
        Step root = DynamicTables.targetLag(create, planned.step(), id, notes);
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlSinks.checkResultType(create, root);
        }
        boolean changeRecords = ChangelogCheck.check(root, ChangelogCheck.sink(
                create.kind() != Statement.ObjectKind.STREAM, with.connector()), name, create.location(), true);
        if (changeRecords) {
            notes.add(ChangelogCheck.changeRecordsNote(root, name, with.changelogForm()
                    .orElse(WithOptions.ChangelogForm.RETRACT) == WithOptions.ChangelogForm.UPSERT));
        }
        Schema outputSchema = new QueryPlan(id, root, Optional.of(sink), false, changeRecords).outputSchema();
        List<Property> declared = new ArrayList<>(create.properties());
        declared.addAll(WithOptions.trailing(create.query()));
        boolean files = intoFiles || UriSources.readsConnectorEndpoint(create.query());
        declared.removeIf(p -> files && EndpointDeclarations.fileOnlyFormat(p.key().toLowerCase(Locale.ROOT),
                SourceDeclarations.value(p.value())));
        if (UriSources.readsConnectorEndpoint(create.query())) {
            // how the endpoint is read (ClickHouse's format = 'JSONEachRow') is not the output topic's format
            declared.removeIf(p -> UriSources.SOURCE_OPTIONS.contains(p.key().toLowerCase(Locale.ROOT))
                    || p.key().toLowerCase(Locale.ROOT).startsWith("source_"));
        }
        boolean table = root.shape() == Step.Shape.TABLE && !changeRecords;
        // ksqlDB writes KEY columns to the record key; change records carry the whole row plus op
        if (catalog.dialect() == Dialect.KSQL && !changeRecords && !KsqlSinks.keylessProjectionAllowed(create, settings)) {
            KsqlSinks.checkKeyInProjection(create, root);
        }
        List<Integer> sinkKey = catalog.dialect() == Dialect.KSQL && !changeRecords
                ? planned.sinkKey().filter(k -> root == planned.step()).map(k -> KsqlSinks.joinKey(create, k))
                        .orElseGet(() -> KsqlSinks.keyColumns(root, catalog)) : List.of();
        if (!sinkKey.isEmpty() && "none".equalsIgnoreCase(sink.properties().get("key_format"))
                && !written.containsKey("key_format") && !written.containsKey("format")) {
            // a key format of NONE inherited from a keyless source: the re-keyed sink takes the default,
            // the server's 'ksql.persistence.default.format.key' when the script SETs it
            Map<String, String> rekeyed = new LinkedHashMap<>(sink.properties());
            rekeyed.remove("key_format");
            Optional.ofNullable(settings.get("ksql.persistence.default.format.key")).map(String::strip)
                    .filter(f -> !f.isEmpty()).ifPresent(f -> rekeyed.put("key_format", f));
            sink = new FormatSpec(sink.topic(), rekeyed, sink.topicSettings());
        }
        if (catalog.dialect() == Dialect.KSQL && !changeRecords) {
            // ksqlDB's projection checks come first, then its serdes' limits (the key's format)
            KsqlChecks.sink(create, root, sinkKey, sink.properties());
            KsqlFormatLimits.sink(create, sink.properties(), KsqlSinks.keyColumns(create, root, sinkKey),
                    FormatCheck.only(outputSchema, sinkKey, false).columns(),
                    settings);
        }
        if (sinkKey.isEmpty()) {
            FormatCheck.check(sink, declared, create.location(), root.keySchema(), outputSchema);
        } else {
            // ksqlDB's layout: the key format carries the key columns, the value format the others
            FormatCheck.check(sink, declared, create.location(), FormatCheck.only(outputSchema, sinkKey, true),
                    FormatCheck.only(outputSchema, sinkKey, false));
        }
        if (catalog.dialect() == Dialect.KSQL && !changeRecords) {
            KsqlSinkSchemaIds.check(topic, sink.properties(),
                    sinkKey.isEmpty() ? outputSchema : FormatCheck.only(outputSchema, sinkKey, false), create.location());
        }
        QueryPlan.ChangeForm changeForm = with.changelogForm().orElse(WithOptions.ChangelogForm.RETRACT)
                == WithOptions.ChangelogForm.UPSERT ? QueryPlan.ChangeForm.UPSERT : QueryPlan.ChangeForm.RETRACT;
        QueryPlan plan = new QueryPlan(id, root, Optional.of(sink), table, changeRecords, sinkKey, changeForm);
        List<String> sinkKeyNames = sinkKey.stream().map(i -> root.schema().column(i).name()).toList();
        catalog.register(new SourceDefinition(name, table ? SourceDefinition.Kind.TABLE : SourceDefinition.Kind.STREAM,
                outputSchema, table && !sinkKey.isEmpty() ? sinkKeyNames : keyNamesInValue(root),
                planned.scope().rowtimeColumn(), planned.scope().watermarkDelayMs(), sink, false, List.of(),
                create.location(), sinkKeyNames));
        return CompiledQuery.of(id, text, true, plan, topic, create.query(), create.location().line());
    }

    private static List<String> keyNamesInValue(Step root) {
        List<String> names = new ArrayList<>();
        for (var c : root.keySchema().columns()) {
            if (root.schema().indexOf(c.name()).isEmpty()) {
                return List.of();
            }
            names.add(c.name());
        }
        return names;
    }

    private static Optional<String> intoTopic(Query query) {
        if (query.body() instanceof QueryBody.Select select) {
            for (var target : select.into()) {
                if (target.uri().isPresent() && target.uri().get().startsWith("kafka://")) {
                    String uri = target.uri().get();
                    return Optional.of(uri.substring(uri.lastIndexOf('/') + 1));
                }
            }
        }
        return Optional.empty();
    }
}
