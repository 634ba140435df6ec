package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.PlannedRelation;
import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.compiler.optimizer.Optimizer;
import dev.sluice.compiler.optimizer.OptimizerSettings;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.SqlSyntaxException;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.build.StateBackend;
import dev.sluice.runtime.build.StreamsDefaults;
import dev.sluice.runtime.build.TopologyPlanBuilder;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Compiles a whole SQL script into one Kafka Streams application. Statements are processed in
 * order: declarations fill the catalog, each query is planned against what was declared before it,
 * and all plans are built into a single topology. The first error stops compilation with its place.
 */
public final class SluiceCompiler {
    private final ScriptFunctionCatalog functions;
    private final UserFunctionDeclarations userFunctions;
    private final Optional<OptimizerSettings> forcedRules;
    private final Discovery discovery;
    private final Optional<StateBackend> forcedBackend;
    private final boolean singlePartitionSources;

    public SluiceCompiler(FunctionCatalog functions) {
        this(functions, Optional.empty(), Discovery.DEFAULT, Optional.empty(), false);
    }

    private SluiceCompiler(FunctionCatalog functions, Optional<OptimizerSettings> forcedRules, Discovery discovery,
                           Optional<StateBackend> forcedBackend, boolean singlePartitionSources) {
        this.functions = functions instanceof ScriptFunctionCatalog own ? own : new ScriptFunctionCatalog(functions);
        this.userFunctions = new UserFunctionDeclarations(this.functions);
        this.forcedRules = forcedRules;
        this.discovery = discovery;
        this.forcedBackend = forcedBackend;
        this.singlePartitionSources = singlePartitionSources;
    }

    /**
     * A compiler told that every source topic of the script has exactly one partition (or not): then
     * every sub-topology has one task, and the optimizer's {@code onetask} rule re-keys in the task
     * instead of through repartition topics. {@code sluice run} knows it once it described the topics;
     * without a cluster nothing is known and the plan stays partitioned.
     */
    public SluiceCompiler withSinglePartitionSources(boolean singlePartitionSources) {
        return new SluiceCompiler(functions, forcedRules, discovery, forcedBackend, singlePartitionSources);
    }

    /** A compiler that runs these optimizer rules whatever the script SETs (equivalence tests, diff). */
    public SluiceCompiler withOptimizer(OptimizerSettings rules) {
        return new SluiceCompiler(functions, Optional.of(rules), discovery, forcedBackend, singlePartitionSources);
    }

    /** A compiler that samples Kafka topics for columns on this cluster (the run's --bootstrap-servers). */
    public SluiceCompiler withDiscovery(Discovery discovery) {
        return new SluiceCompiler(functions, forcedRules, discovery, forcedBackend, singlePartitionSources);
    }

    /**
     * A compiler whose applications keep their state on {@code backend} whatever the script SETs:
     * {@code state.backend.type} in {@code sluice run --config}, which overrides SET as every
     * setting there does.
     */
    public SluiceCompiler withStateBackend(StateBackend backend) {
        return new SluiceCompiler(functions, forcedRules, discovery, Optional.of(backend), singlePartitionSources);
    }

    public CompiledScript compile(String sql, String scriptName, BuildOptions options) {
        Script script;
        try {
            script = SqlParser.parseScript(sql);
        } catch (SqlSyntaxException e) {
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
        functions.clear();
        functions.ksqlDialect(dialect == Dialect.KSQL);
        userFunctions.declareManifestFunctions();
        List<ConnectorPlan> connectors = new ArrayList<>();
        String applicationId = ScriptIds.applicationId(script, scriptName);
        ScriptState state = new ScriptState(catalog, functions, new LinkedHashMap<>(),
                new UriSources(catalog, applicationId, discovery, notes, connectors), connectors, notes,
                new LinkedHashMap<>(), settings, applicationId);
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
                                state.schemaRegistry(), settings)
                        : EndpointDeclarations.declare(create, applicationId, discovery, notes, connectors);
                catalog.register(declared);
                TableConstraints.apply(create, declared, catalog, notes);
            } else if (statement instanceof Statement.CreateAsSelect create && isView(create)) {
                createView(create, state);
            } else if (statement instanceof Statement.CreateAsSelect create) {
                if (dialect != Dialect.KSQL) {
                    List<Property> all = new ArrayList<>(create.properties());
                    all.addAll(WithOptions.trailing(create.query()));
                    OptionEffects.review(create.name().simpleName(), all,
                            OptionEffects.schemes(OptionEffects.uris(create.query())), settings, notes);
                }
                queries.add(CreateAsSelectStatements.compile(state, create, parsed.text()));
            } else if (statement instanceof Statement.CreateFunction function) {
                userFunctions.declareFunction(function, notes);
            } else if (statement instanceof Statement.InsertValues values) {
                throw InsertValuesStatements.refusal(values, catalog);
            } else if (statement instanceof Statement.InsertInto insert) {
                queries.add(InsertIntoStatements.compile(state, insert, parsed.text()));
            } else if (statement instanceof Statement.QueryStatement q
                    && !SystemTableQueries.referenced(parsed.text()).isEmpty()
                    && SystemTableQueries.referenced(parsed.text()).stream()
                    .noneMatch(t -> catalog.lookup("system." + t).isPresent())) {
                notes.add(SystemTableQueries.pull(q, parsed.text(), SystemTableQueries.referenced(parsed.text())));
            } else if (statement instanceof Statement.QueryStatement q) {
                queries.add(select(q, parsed.text(), state));
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
                            Objects.requireNonNullElse(Suggestions.hint(
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
                if (set.key().equalsIgnoreCase(StateBackend.KEY)) {
                    try {
                        StateBackend.parse(set.value());
                    } catch (IllegalArgumentException e) {
                        throw new SqlException(set.location(), e.getMessage(), "'hashmap' keeps state on the JVM heap,"
                                + " 'rocksdb' (the default) on local disk; both are restored from their changelog");
                    }
                    settings.put(StateBackend.KEY, set.value());
                    continue;
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
        Optimizer.Result optimized = new Optimizer(forcedRules.orElseGet(() -> OptimizerSettings.from(settings)),
                singlePartitionSources).optimize(queries.stream().map(CompiledQuery::plan).toList());
        List<QueryPlan> plans = optimized.plans();
        for (int i = 0; i < queries.size(); i++) {
            queries.set(i, queries.get(i).withPlan(plans.get(i)));
        }
        Properties props = StreamsDefaults.defaults();
        props.put("application.id", applicationId);
        props.put("bootstrap.servers", "compile-only:9092"); // required by StreamsConfig, never contacted
        // --config's choice, else the script's SET, else the options' (RocksDB unless a caller chose);
        // kept in the settings whenever it is not the default, so CompiledScript.stateBackend() tells
        StateBackend backend = forcedBackend.orElseGet(() -> settings.containsKey(StateBackend.KEY)
                ? StateBackend.of(settings) : options.stateBackend());
        if (settings.containsKey(StateBackend.KEY) || backend != StateBackend.ROCKSDB) {
            settings.put(StateBackend.KEY, backend.value());
            // Kafka Streams chooses some DSL stores only when the application starts, from its
            // config (a foreign-key join's subscription store): it must name the same suppliers
            settings.put(org.apache.kafka.streams.StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                    backend.dslStoreSuppliers().getName());
        }
        BuildOptions builtOptions = options.withStateBackend(backend);
        TopologyPlanBuilder.Result built = new TopologyPlanBuilder(new FormatSerdeFactory(), functions, builtOptions)
                .build(plans, props);
        return new CompiledScript(applicationId, List.copyOf(catalog.all()), queries, settings, built.topology(),
                built.endOfTimeTopics(), notes, optimized.report(), List.copyOf(connectors));
    }

    private static boolean isView(Statement.CreateAsSelect create) {
        return create.kind() == Statement.ObjectKind.VIEW;
    }

    /**
     * CREATE [OR REPLACE] VIEW: a named query, planned wherever a later query reads it (as a
     * sub-query would be). It builds nothing by itself.
     */
    private static void createView(Statement.CreateAsSelect create, ScriptState state) {
        Catalog catalog = state.catalog();
        Map<String, Query> views = state.views();
        String name = create.name().simpleName();
        String key = name.toLowerCase(Locale.ROOT);
        if ((views.containsKey(key) || catalog.contains(name)) && !create.orReplace() && !create.orAlter()) {
            throw new SqlException(create.name().location(), "`" + name + "` is already declared",
                    "use CREATE OR REPLACE VIEW, or another name");
        }
        // Planned once here so that a broken view fails at its own line, not where it is read.
        state.planner("view_" + ScriptIds.sanitize(name)).plan(create.query());
        views.put(key, create.query());
        state.notes().add(name + ": a view; queries that read it compute it inline (it has no topic of its own)");
    }

    /** A bare SELECT: a transient query whose rows go to an output topic of the application, for printing. */
    private static CompiledQuery select(Statement.QueryStatement q, String text, ScriptState state) {
        String id = state.uniqueId("select");
        state.uriSources().register(q.query(), id, WithOptions.parse(WithOptions.trailing(q.query())).written());
        PlannedRelation planned = state.planner(id).plan(q.query());
        ChangelogCheck.check(planned.step(), ChangelogCheck.Sink.CHANGELOG, id, q.location());
        String topic = TopologyPlanBuilder.outputTopic(state.applicationId(), id);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("format", "json");
        QueryPlan plan = new QueryPlan(id, planned.step(), Optional.of(new FormatSpec(topic, props)),
                planned.step().shape() == Step.Shape.TABLE);
        return CompiledQuery.of(id, text, false, plan, topic, q.query(), q.location().line());
    }
}
