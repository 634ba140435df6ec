package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.PlannedRelation;
import dev.sluice.compiler.analyzer.QueryPlanner;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.compiler.optimizer.Optimizer;
import dev.sluice.compiler.optimizer.OptimizerSettings;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.build.StreamsDefaults;
import dev.sluice.runtime.build.TopologyPlanBuilder;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.udf.JavaAggregateUdf;
import dev.sluice.runtime.function.udf.JavaScalarUdf;
import dev.sluice.runtime.function.udf.UserFunctionClasses;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Compiles a whole SQL script into one Kafka Streams application. Statements are processed in
 * order: declarations fill the catalog, each query is planned against what was declared before it,
 * and all plans are built into a single topology. The first error stops compilation with its place.
 */
public final class SluiceCompiler {
    private final ScriptFunctionCatalog functions;
    /** Functions the --udf-jar manifests declared for the script being compiled, by upper-case name: their classes. */
    private final Map<String, String> manifestFunctions = new java.util.HashMap<>();
    private final Optional<OptimizerSettings> forcedRules;
    private final Discovery discovery;
    /** The connectors the script being compiled needs (endpoints other than Kafka). */
    private final List<ConnectorPlan> connectors = new ArrayList<>();
    private UriSources uriSources;
    /** CREATE VIEW: named queries of the script being compiled, inlined where they are read. */
    private final Map<String, Query> views = new LinkedHashMap<>();

    public SluiceCompiler(FunctionCatalog functions) {
        this(functions, Optional.empty(), Discovery.DEFAULT);
    }

    private SluiceCompiler(FunctionCatalog functions, Optional<OptimizerSettings> forcedRules, Discovery discovery) {
        this.functions = functions instanceof ScriptFunctionCatalog own ? own : new ScriptFunctionCatalog(functions);
        this.forcedRules = forcedRules;
        this.discovery = discovery;
    }

    /** A compiler that runs these optimizer rules whatever the script SETs (equivalence tests, diff). */
    public SluiceCompiler withOptimizer(OptimizerSettings rules) {
        return new SluiceCompiler(functions, Optional.of(rules), discovery);
    }

    /** A compiler that samples Kafka topics for columns on this cluster (the run's --bootstrap-servers). */
    public SluiceCompiler withDiscovery(Discovery discovery) {
        return new SluiceCompiler(functions, forcedRules, discovery);
    }

    public CompiledScript compile(String sql, String scriptName, BuildOptions options) {
        Script script;
        try {
            script = SqlParser.parseScript(sql);
        } catch (dev.sluice.grammar.SqlSyntaxException e) {
            throw DialectRule.syntaxError(sql, e);
        }
        Dialect dialect = DialectRule.of(script);
        if (dialect == Dialect.KSQL) {
            script = SqlParser.parseScript(sql, true); // ksqlDB reads unquoted names in upper case
            KsqlGroupingSyntax.check(script, sql);
        }
        Catalog catalog = new Catalog(dialect);
        List<CompiledQuery> queries = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Map<String, Integer> idCounts = new LinkedHashMap<>();
        views.clear();
        functions.clear();
        functions.ksqlDialect(dialect == Dialect.KSQL);
        declareManifestFunctions(notes);
        connectors.clear();
        String applicationId = applicationId(script, scriptName);
        uriSources = new UriSources(catalog, applicationId, discovery, notes, connectors);
        for (ParsedStatement parsed : script.statements()) {
            Statement statement = parsed.statement();
            if (statement instanceof Statement.CreateSource create) {
                if (catalog.contains(create.name().toString()) && !create.orReplace() && !create.ifNotExists()) {
                    throw new SqlException(create.name().location(), "`" + create.name() + "` is already declared",
                            "use CREATE OR REPLACE, or another name");
                }
                if (dialect != Dialect.KSQL) {
                    List<String> uris = create.properties().stream().filter(p -> p.key().equalsIgnoreCase("datasource"))
                            .map(p -> SourceDeclarations.value(p.value())).toList();
                    OptionEffects.review(create.name().simpleName(), create.properties(), OptionEffects.schemes(uris),
                            settings, notes);
                }
                if (dialect == Dialect.KSQL) {
                    KsqlChecks.declaration(create);
                    KsqlFormatLimits.declaration(create, settings);
                }
                ReadOnlySources.declare(create, catalog);
                SourceDefinition declared = dialect == Dialect.KSQL
                        ? SourceDeclarations.declare(create, notes, discovery, null, dialect,
                                Optional.ofNullable(settings.get("ksql.schema.registry.url")), settings)
                        : EndpointDeclarations.declare(create, applicationId, discovery, notes, connectors);
                catalog.register(declared);
                TableConstraints.apply(create, declared, catalog, notes);
            } else if (statement instanceof Statement.CreateAsSelect create && isView(create)) {
                createView(create, catalog, notes);
            } else if (statement instanceof Statement.CreateAsSelect create) {
                if (dialect != Dialect.KSQL) {
                    List<dev.sluice.grammar.ast.Property> all = new ArrayList<>(create.properties());
                    all.addAll(trailingOptions(create.query()));
                    OptionEffects.review(create.name().simpleName(), all,
                            OptionEffects.schemes(OptionEffects.uris(create.query())), settings, notes);
                }
                queries.add(createAsSelect(create, parsed.text(), catalog, notes, idCounts, applicationId,
                        Optional.ofNullable(settings.get("ksql.schema.registry.url")), settings));
            } else if (statement instanceof Statement.CreateFunction function) {
                declareFunction(function, notes);
            } else if (statement instanceof Statement.InsertValues values) {
                throw InsertValuesStatements.refusal(values, catalog);
            } else if (statement instanceof Statement.InsertInto insert) {
                queries.add(insertInto(insert, parsed.text(), catalog, idCounts));
            } else if (statement instanceof Statement.QueryStatement q
                    && !SystemTableQueries.referenced(parsed.text()).isEmpty()
                    && SystemTableQueries.referenced(parsed.text()).stream()
                    .noneMatch(t -> catalog.lookup("system." + t).isPresent())) {
                notes.add(SystemTableQueries.pull(q, parsed.text(), SystemTableQueries.referenced(parsed.text())));
            } else if (statement instanceof Statement.QueryStatement q) {
                queries.add(select(q, parsed.text(), catalog, idCounts, applicationId));
            } else if (statement instanceof Statement.Alter alter && catalog.readOnly(alter.name().toString())) {
                ReadOnlySources.alter(alter, catalog);
            } else if (statement instanceof Statement.Drop drop && (drop.deleteTopic()
                    || !drop.ifExists() && !catalog.contains(drop.name().toString())
                    && (drop.kind() == Statement.ObjectKind.STREAM || drop.kind() == Statement.ObjectKind.TABLE))) {
                ReadOnlySources.drop(drop, catalog);
                if (!catalog.contains(drop.name().toString()) && !drop.ifExists()
                        && (drop.kind() == Statement.ObjectKind.STREAM || drop.kind() == Statement.ObjectKind.TABLE)) {
                    // dropping what was never declared is an error in ksqlDB (DropSourceFactory) and Flink alike
                    throw new SqlException(drop.name().location(), drop.kind().name().charAt(0)
                            + drop.kind().name().substring(1).toLowerCase(Locale.ROOT) + " "
                            + ReadOnlySources.name(drop.name()) + " does not exist",
                            java.util.Objects.requireNonNullElse(dev.sluice.compiler.analyzer.Suggestions.hint(
                                    drop.name().simpleName(), catalog.all().stream().map(SourceDefinition::name).toList()),
                                    "it is not declared in this script; DROP … IF EXISTS allows that"));
                }
                notes.add(Informational.describe(statement, catalog));
            } else if (statement instanceof Statement.Alter alter && AlterStatements.changesSchema(alter)) {
                AlterStatements.apply(alter, catalog, notes);
            } else if (statement instanceof Statement.Set set) {
                if (set.key().equals(OptimizerSettings.KEY)) {
                    try {
                        OptimizerSettings.parse(set.value());
                    } catch (IllegalArgumentException e) {
                        throw new SqlException(set.location(), e.getMessage());
                    }
                }
                if (set.key().equalsIgnoreCase("table.exec.state.ttl")) {
                    catalog.stateTtlMs(StateTtl.parse(set.value(), set.location()));
                }
                KsqlServerSettings.collectionLimit(set).ifPresent(l -> catalog.collectionLimit(l.function(), l.limit()));
                settings.put(set.key(), set.value());
            } else {
                notes.add(Informational.describe(statement, catalog));
            }
        }
        ErrorPolicy.apply(catalog.all(), settings, notes); // on_error / dlq_topic become Streams settings
        // The optimizer rewrites all plans of the script at once: sharing works across queries.
        Optimizer.Result optimized = new Optimizer(forcedRules.orElseGet(() -> OptimizerSettings.from(settings)))
                .optimize(queries.stream().map(CompiledQuery::plan).toList());
        List<QueryPlan> plans = optimized.plans();
        for (int i = 0; i < queries.size(); i++) {
            queries.set(i, withPlan(queries.get(i), plans.get(i)));
        }
        Properties props = StreamsDefaults.defaults();
        props.put("application.id", applicationId);
        props.put("bootstrap.servers", "compile-only:9092"); // required by StreamsConfig, never contacted
        TopologyPlanBuilder.Result built = new TopologyPlanBuilder(new FormatSerdeFactory(), functions, options)
                .build(plans, props);
        return new CompiledScript(applicationId, List.copyOf(catalog.all()), queries, settings, built.topology(),
                built.endOfTimeTopics(), notes, optimized.report(), List.copyOf(connectors));
    }

    /**
     * The functions the --udf-jar jars declare in META-INF/sluice/functions.properties, as if
     * {@code CREATE FUNCTION name AS 'class'} preceded the script.
     */
    private void declareManifestFunctions(List<String> notes) {
        manifestFunctions.clear();
        List<UserFunctionClasses.Declared> declared;
        try {
            declared = UserFunctionClasses.declared(Thread.currentThread().getContextClassLoader());
        } catch (IllegalArgumentException e) {
            throw new SqlException(1, 1, "--udf-jar: " + e.getMessage(), null);
        }
        for (UserFunctionClasses.Declared d : declared) {
            String kind;
            try {
                kind = declare(d.name(), d.className());
            } catch (IllegalArgumentException e) {
                throw new SqlException(1, 1, "--udf-jar: function " + d.name() + " of " + d.manifest() + ": "
                        + e.getMessage(), null);
            }
            if (kind == null) {
                throw new SqlException(1, 1, "--udf-jar: function " + d.name() + " of " + d.manifest()
                        + " has the name of a built-in function", "a user-defined function cannot replace a built-in one");
            }
            manifestFunctions.put(d.name(), d.className());
        }
    }

    /** CREATE FUNCTION: the class is loaded now, from the jars the CLI was given (--udf-jar). */
    private void declareFunction(Statement.CreateFunction function, List<String> notes) {
        String name = function.name().simpleName();
        if (function.className().equals(manifestFunctions.get(name.toUpperCase(Locale.ROOT)))) {
            return; // the jar's manifest declared the same function already
        }
        String kind;
        try {
            kind = declare(name, function.className());
        } catch (IllegalArgumentException e) {
            throw new SqlException(function.location(), "CREATE FUNCTION " + name + ": " + e.getMessage());
        }
        if (kind == null) {
            if (function.ifNotExists()) {
                return;
            }
            throw new SqlException(function.name().location(), "function `" + name + "` already exists",
                    "choose another name; a user-defined function cannot replace a built-in one");
        }
        notes.add(name + ": user-defined " + kind + " " + function.className());
    }

    /** Loads and registers a user function; its kind ("function", "aggregate function"), or null when the name is taken. */
    private String declare(String name, String className) {
        Class<?> type = UserFunctionClasses.load(className, Thread.currentThread().getContextClassLoader());
        if (JavaAggregateUdf.isAggregate(type)) {
            return functions.declare(JavaAggregateUdf.load(name, type)) ? "aggregate function" : null;
        }
        JavaScalarUdf function = JavaScalarUdf.load(name, type, SluiceCompiler::sqlType);
        return functions.declare(function) ? (function.tableFunction() ? "table function" : "function") : null;
    }

    /** A SQL type named in Java code (a user function's {@code sqlReturnType}), e.g. {@code STRUCT<A VARCHAR>}. */
    private static dev.sluice.serdes.row.SqlType sqlType(String text) {
        dev.sluice.grammar.ast.Expression cast = dev.sluice.grammar.SqlParser.parseExpression("CAST(NULL AS " + text + ")");
        if (!(cast instanceof dev.sluice.grammar.ast.Expression.Cast c)) {
            throw new IllegalArgumentException("not a type");
        }
        return dev.sluice.compiler.analyzer.TypeResolver.resolve(c.type());
    }

    private static CompiledQuery withPlan(CompiledQuery q, QueryPlan plan) {
        return new CompiledQuery(q.id(), q.sql(), q.persistent(), plan, q.sources(), q.outputTopic(), q.keySchema(),
                q.schema(), q.table(), q.orderBy(), q.limit(), q.line());
    }

    private CompiledQuery createAsSelect(Statement.CreateAsSelect create, String text, Catalog catalog,
                                         List<String> notes, Map<String, Integer> idCounts, String applicationId,
                                         Optional<String> registry, Map<String, String> settings) {
        String name = create.name().simpleName();
        if (catalog.contains(name) && !create.orReplace() && !create.orAlter()) {
            throw new SqlException(create.name().location(), "`" + name + "` is already declared",
                    "use CREATE OR REPLACE, or another name");
        }
        create.objectOptions().stream().filter(p -> p.key().equalsIgnoreCase("warehouse")).findFirst()
                .ifPresent(p -> notes.add(name + ": WAREHOUSE is accepted and ignored (a Kafka Streams application "
                        + "scales by instances, not warehouses)"));
        String id = uniqueId(sanitize(name), idCounts);
        List<dev.sluice.grammar.ast.Property> options = new ArrayList<>(create.properties());
        options.addAll(trailingOptions(create.query()));
        WithOptions with = WithOptions.parse(options); // a bad option value is an error at its place
        Map<String, String> written = new LinkedHashMap<>(with.written());
        boolean intoFiles = EndpointDeclarations.writesConnectorEndpoint(create.query());
        Map<String, String> readOptions = new LinkedHashMap<>(written);
        if (intoFiles && !UriSources.readsConnectorEndpoint(create.query())) {
            // format = 'parquet' beside INTO 'file://...' says how to write the files, not how to read a topic
            readOptions.entrySet().removeIf(e -> EndpointDeclarations.fileOnlyFormat(e.getKey(), e.getValue()));
        }
        uriSources.register(create.query(), id, readOptions);
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlChecks.formats(create.properties());
            KsqlChecks.persistentSelect(create.query(), catalog, functions);
            KsqlQueryRules.check(create.query(), create.properties(), catalog, functions,
                    create.kind() == Statement.ObjectKind.TABLE);
        }
        PlannedRelation planned = catalog.dialect() == Dialect.KSQL
                ? KsqlChecks.planAggregation(create.query(), functions,
                        () -> new QueryPlanner(catalog, functions, id, views).planPersistent(create.query()))
                : new QueryPlanner(catalog, functions, id, views).planPersistent(create.query());
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
        inheritFormat(props, planned.step(), catalog);
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
            props.put(dev.sluice.serdes.format.OptionKeys.NUMERIC_TEMPORALS, "true");
            props.put(dev.sluice.serdes.format.OptionKeys.UNWRAPPED_SINGLE_KEY, "true");
            KsqlSinks.timestampColumn(with, planned.step().schema(), create.location())
                    .ifPresent(i -> props.put(dev.sluice.runtime.operator.SinkTimestampProcessor.OPTION, Integer.toString(i)));
            with.timestampFormat().ifPresent(f -> props.put(dev.sluice.runtime.operator.SinkTimestampProcessor.FORMAT_OPTION, f));
            KsqlServerSettings.wrapSingleValueDefault(props, settings);
        }
        FormatSpec sink = new FormatSpec(topic, props, with.topicSettings());
        if (create.query().body() instanceof QueryBody.Select select) {
            EndpointDeclarations.sinks(select.into(), applicationId, id, topic, planned.step().schema(), written,
                    keyNamesInValue(planned.step()), notes, connectors, UriSources.readsConnectorEndpoint(create.query()));
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
        List<dev.sluice.grammar.ast.Property> declared = new ArrayList<>(create.properties());
        declared.addAll(trailingOptions(create.query()));
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
        return query(id, text, true, plan, topic, create.query(), create.location().line());
    }

    private static boolean isView(Statement.CreateAsSelect create) {
        return create.kind() == Statement.ObjectKind.VIEW;
    }

    /**
     * CREATE [OR REPLACE] VIEW: a named query, planned wherever a later query reads it (as a
     * sub-query would be). It builds nothing by itself.
     */
    private void createView(Statement.CreateAsSelect create, Catalog catalog, List<String> notes) {
        String name = create.name().simpleName();
        String key = name.toLowerCase(Locale.ROOT);
        if ((views.containsKey(key) || catalog.contains(name)) && !create.orReplace() && !create.orAlter()) {
            throw new SqlException(create.name().location(), "`" + name + "` is already declared",
                    "use CREATE OR REPLACE VIEW, or another name");
        }
        // Planned once here so that a broken view fails at its own line, not where it is read.
        new QueryPlanner(catalog, functions, "view_" + sanitize(name), views).plan(create.query());
        views.put(key, create.query());
        notes.add(name + ": a view; queries that read it compute it inline (it has no topic of its own)");
    }

    private CompiledQuery insertInto(Statement.InsertInto insert, String text, Catalog catalog,
                                     Map<String, Integer> idCounts) {
        SourceDefinition target = catalog.dialect() == Dialect.KSQL ? KsqlInserts.target(insert, catalog)
                : catalog.lookup(insert.target().toString()).orElseThrow(() -> new SqlException(
                insert.target().location(), "INSERT INTO unknown stream `" + insert.target() + "`",
                dev.sluice.compiler.analyzer.Suggestions.hint(insert.target().simpleName(),
                        catalog.all().stream().map(SourceDefinition::name).toList())));
        String id = uniqueId("insert_" + sanitize(target.name()), idCounts);
        uriSources.register(insert.query(), id, SourceDeclarations.properties(trailingOptions(insert.query())));
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlHeaderColumns.checkInsertSelect(target, insert.location());
            KsqlChecks.persistentSelect(insert.query(), catalog, functions);
            KsqlQueryRules.check(insert.query(), List.of(), catalog, functions, false);
        }
        PlannedRelation planned = catalog.dialect() == Dialect.KSQL
                ? KsqlChecks.planAggregation(insert.query(), functions,
                        () -> new QueryPlanner(catalog, functions, id, views).planPersistent(insert.query()))
                : new QueryPlanner(catalog, functions, id, views).planPersistent(insert.query());
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlInserts.schema(insert, target, planned.step());
        }
        Schema actual = planned.step().schema();
        Schema expected = target.schema();
        if (actual.size() != expected.size()) {
            throw new SqlException(insert.location(), "INSERT INTO " + target.name() + ": the query gives "
                    + actual.size() + (actual.size() == 1 ? " column " : " columns ") + actual + " but "
                    + target.name() + " has " + expected.size() + " " + expected);
        }
        boolean cast = false;
        for (int i = 0; i < actual.size(); i++) {
            if (!actual.type(i).equals(expected.type(i)) && actual.type(i) != ScalarType.NULL) {
                if (!assignable(actual.type(i), expected.type(i))) {
                    throw new SqlException(insert.location(), "INSERT INTO " + target.name() + ": column " + (i + 1)
                            + " (`" + expected.column(i).name() + "`) is " + expected.type(i).sql()
                            + " but the query gives " + actual.type(i).sql(), "CAST it to " + expected.type(i).sql());
                }
                cast = true;
            }
        }
        Step root = renamedTo(cast ? castTo(planned.step(), expected, id) : planned.step(), expected, id);
        ChangelogCheck.check(root, ChangelogCheck.sink(target.kind() == SourceDefinition.Kind.TABLE,
                ConnectorOption.parse(target.format().properties().get("connector"))), target.name(),
                insert.location());
        QueryPlan plan = new QueryPlan(id, root, Optional.of(target.format()), root.shape() == Step.Shape.TABLE,
                target.recordKeyIndexes());
        return query(id, text, true, plan, target.format().topic(), insert.query(), insert.location().line());
    }

    /**
     * Flink's implicit casts on INSERT: a number into any numeric column (DECIMAL(23, 3) from
     * {@code 0.908 * price}, BIGINT from an AVG), anything into a string column, and between the two
     * timestamp types.
     */
    private static boolean assignable(SqlType from, SqlType to) {
        return (from.isNumeric() && to.isNumeric()) || to == ScalarType.VARCHAR
                || ((from == ScalarType.TIMESTAMP || from == ScalarType.TIMESTAMP_LTZ)
                && (to == ScalarType.TIMESTAMP || to == ScalarType.TIMESTAMP_LTZ));
    }

    private static Step castTo(Step root, Schema target, String id) {
        List<Expr> casts = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            SqlType from = root.schema().type(i);
            Expr ref = new Expr.InputRef(i, from);
            boolean same = from.equals(target.type(i)) || from == ScalarType.NULL;
            casts.add(same ? ref : new Expr.Call("CAST", List.of(ref), target.type(i)));
            columns.add(new Column(target.column(i).name(), same ? from : target.type(i)));
        }
        return new ProjectStep(id + "-cast", root, casts, new Schema(columns));
    }

    /** INSERT INTO matches columns by position: rows are written under the target's column names. */
    private static Step renamedTo(Step root, Schema target, String id) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            SqlType type = root.schema().type(i) == ScalarType.NULL ? target.type(i) : root.schema().type(i);
            columns.add(new Column(target.column(i).name(), type));
        }
        Schema renamed = new Schema(columns);
        if (renamed.equals(root.schema())) {
            return root;
        }
        if (root instanceof ProjectStep p) {
            return new ProjectStep(p.name(), p.input(), p.expressions(), renamed);
        }
        List<Expr> identity = new ArrayList<>();
        for (int i = 0; i < renamed.size(); i++) {
            identity.add(new Expr.InputRef(i, root.schema().type(i)));
        }
        return new ProjectStep(id + "-insert", root, identity, renamed);
    }

    private CompiledQuery select(Statement.QueryStatement q, String text, Catalog catalog, Map<String, Integer> idCounts,
                                 String applicationId) {
        String id = uniqueId("select", idCounts);
        uriSources.register(q.query(), id, WithOptions.parse(trailingOptions(q.query())).written());
        PlannedRelation planned = new QueryPlanner(catalog, functions, id, views).plan(q.query());
        ChangelogCheck.check(planned.step(), ChangelogCheck.Sink.CHANGELOG, id, q.location());
        String topic = TopologyPlanBuilder.outputTopic(applicationId, id);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("format", "json");
        QueryPlan plan = new QueryPlan(id, planned.step(), Optional.of(new FormatSpec(topic, props)),
                planned.step().shape() == Step.Shape.TABLE);
        return query(id, text, false, plan, topic, q.query(), q.location().line());
    }

    /** SET 'application.id' anywhere in the script wins over the default derived from its name. */
    private static String applicationId(Script script, String scriptName) {
        String id = "sluice-" + sanitize(scriptName);
        for (ParsedStatement parsed : script.statements()) {
            if (parsed.statement() instanceof Statement.Set set && set.key().equals("application.id")) {
                id = set.value();
            }
        }
        return id;
    }

    private static CompiledQuery query(String id, String text, boolean persistent, QueryPlan plan, String topic,
                                       Query query, int line) {
        Step root = plan.root();
        return new CompiledQuery(id, text.strip(), persistent, plan, Steps.sources(root), topic, root.keySchema(),
                plan.outputSchema(), plan.changelogOutput(), query.orderBy(), query.limit(), line);
    }

    /**
     * A sink without a format of its own writes what its (first) source is written in; a sink that
     * names its format still finds the source's schema registry unless it names one.
     */
    private static void inheritFormat(Map<String, String> props, Step root, Catalog catalog) {
        List<String> sources = Steps.sources(root);
        if (sources.isEmpty()) {
            return;
        }
        boolean ownFormat = props.containsKey("format") || props.containsKey("value_format")
                || props.containsKey("value.format");
        if (catalog.dialect() == Dialect.KSQL) {
            KsqlSinks.inheritKeyFormat(props, sources, catalog);
        }
        catalog.lookup(sources.get(0)).ifPresent(s -> {
            List<String> keys = ownFormat ? List.of("schema_registry_url", "schema.registry.url")
                    : List.of("format", "value_format", "value.format", "schema_registry_url", "schema.registry.url");
            for (String key : keys) {
                String v = s.format().properties().get(key);
                if (v != null) {
                    props.putIfAbsent(key, v);
                }
            }
            if (catalog.dialect() == Dialect.KSQL) {
                inheritDelimiter(props, s.format().properties());
            }
        });
    }

    /**
     * ksqlDB: a sink in its source's value format keeps the source's delimiter unless it names its
     * own (ksqlDB's inheritable format properties).
     */
    private static void inheritDelimiter(Map<String, String> props, Map<String, String> source) {
        String sourceFormat = valueFormatOf(source);
        String delimiter = source.get("value_delimiter");
        if (delimiter != null && sourceFormat != null && sourceFormat.equalsIgnoreCase(valueFormatOf(props))) {
            props.putIfAbsent("value_delimiter", delimiter);
        }
    }

    private static String valueFormatOf(Map<String, String> props) {
        return props.getOrDefault("value_format", props.getOrDefault("format", props.get("value.format")));
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

    private static List<dev.sluice.grammar.ast.Property> trailingOptions(Query query) {
        QueryBody body = query.body();
        while (body instanceof QueryBody.SetOperation s) {
            body = s.right();
        }
        return body instanceof QueryBody.Select select ? select.options() : List.of();
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

    private static String uniqueId(String base, Map<String, Integer> counts) {
        int n = counts.merge(base, 1, Integer::sum);
        return base.equals("select") ? base + "_" + n : n == 1 ? base : base + "_" + n;
    }

    static String sanitize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    }
}
