package dev.sluice.compiler;

import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.compiler.analyzer.ExpressionAnalyzer;
import dev.sluice.compiler.analyzer.Intervals;
import dev.sluice.compiler.analyzer.Scope;
import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.compiler.analyzer.TypeResolver;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.ComputedColumn;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.HeaderColumns;
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
import java.util.OptionalInt;
import java.util.OptionalLong;

/** CREATE STREAM|TABLE (columns) WITH (...) into a catalog entry, with its topic and formats. */
final class SourceDeclarations {
    private SourceDeclarations() {
    }

    /** Connectors Flink reads as append-only: a TABLE over one of them without a PRIMARY KEY is a stream. */
    /** Computed columns may call built-in functions (a user function is declared per script, later). */
    private static final FunctionCatalog BUILT_IN = dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock();

    static SourceDefinition declare(Statement.CreateSource create, List<String> notes, Discovery discovery) {
        return declare(create, notes, discovery, null);
    }

    /**
     * What an endpoint declaration ({@code WITH (datasource = 'file:///...')}) decided before the
     * columns are read: the topic its connector writes, the format of that topic, and the columns and
     * key found at the endpoint when none are declared.
     */
    record Endpointed(String topic, Map<String, String> formatProperties, java.util.Optional<Schema> discovered,
                      List<String> discoveredKey) {
    }

    static SourceDefinition declare(Statement.CreateSource create, List<String> notes, Discovery discovery,
                                    Endpointed endpoint) {
        return declare(create, notes, discovery, endpoint, dev.sluice.compiler.catalog.Dialect.FLINK,
                java.util.Optional.empty());
    }

    /**
     * {@code registry}: the script's {@code SET 'ksql.schema.registry.url'} (ksqlDB's server setting),
     * used by a declaration in a registry format (AVRO, JSON_SR, PROTOBUF) that names none itself.
     */
    static SourceDefinition declare(Statement.CreateSource create, List<String> notes, Discovery discovery,
                                    Endpointed endpoint, dev.sluice.compiler.catalog.Dialect dialect,
                                    java.util.Optional<String> registry) {
        return declare(create, notes, discovery, endpoint, dialect, registry, Map.of());
    }

    /** {@code settings}: the script's SETs so far; ksqlDB's server defaults among them apply ({@link KsqlServerSettings}). */
    static SourceDefinition declare(Statement.CreateSource create, List<String> notes, Discovery discovery,
                                    Endpointed endpoint, dev.sluice.compiler.catalog.Dialect dialect,
                                    java.util.Optional<String> registry, Map<String, String> settings) {
        boolean ksql = dialect == dev.sluice.compiler.catalog.Dialect.KSQL;
        String name = create.name().simpleName();
        WithOptions options = WithOptions.parse(create.properties()); // a bad option value stops here, at its place
        if (ksql && endpoint == null) {
            KsqlSourceFormatRules.check(create, options.written());
        }
        Map<String, String> properties = new LinkedHashMap<>(options.written());
        registry.ifPresent(url -> addRegistry(properties, url));
        if (properties.containsKey("format.type") && !properties.containsKey("format")) {
            // Flink's legacy descriptor spelling (Nexmark q13's side input: 'format.type' = 'csv')
            properties.put("format", properties.get("format.type"));
        }
        if (ksql && properties.containsKey("format") && !properties.containsKey("key_format")) {
            properties.put("key_format", properties.get("format")); // ksqlDB: FORMAT sets both
        }
        if (ksql) {
            KsqlServerSettings.wrapSingleValueDefault(properties, settings);
            KsqlServerSettings.timestampThrowOnInvalid(properties, settings);
        }
        String topic = endpoint != null ? endpoint.topic() : ksql ? KsqlSinks.topic(options, name)
                : topic(options, name);
        List<String> recordKey = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        List<String> primaryKey = new ArrayList<>();
        OptionalInt rowtime = OptionalInt.empty();
        List<HeaderColumns.Binding> headers = new ArrayList<>();
        if (create.columns().isEmpty() && endpoint != null && endpoint.discovered().isPresent()) {
            columns.addAll(endpoint.discovered().get().columns());
            if (create.primaryKey().isEmpty()) {
                primaryKey.addAll(endpoint.discoveredKey());
            }
        } else if (create.columns().isEmpty()) {
            SchemaDiscovery.Discovered discovered = SchemaDiscovery.discover(name, topic, properties, create.location(),
                    discovery);
            columns.addAll(discovered.schema().columns());
            notes.add(discovered.note());
        }
        if (ksql && endpoint == null && create.columns().stream().noneMatch(c -> c.key() || c.primaryKey())
                && create.primaryKey().isEmpty()) {
            // ksqlDB: no KEY columns given, a PROTOBUF key's columns come from the registry when it has them
            SchemaDiscovery.discoverKey(name, topic, properties, create.location(), discovery).ifPresent(d -> {
                for (Column c : d.schema().columns()) {
                    columns.add(c);
                    recordKey.add(c.name());
                    if (create.kind() == Statement.ObjectKind.TABLE) {
                        primaryKey.add(c.name());
                    }
                }
                notes.add(d.note());
            });
        }
        for (ColumnDefinition c : create.columns()) {
            for (Column existing : columns) {
                if (existing.name().equalsIgnoreCase(c.name().value())) {
                    throw new SqlException(c.name().location(), "column `" + c.name().value() + "` is declared twice");
                }
            }
            if (ksql && (c.name().value().equalsIgnoreCase("ROWPARTITION") || c.name().value().equalsIgnoreCase("ROWOFFSET"))) {
                throw new SqlException(c.name().location(), "'" + c.name().value().toUpperCase(java.util.Locale.ROOT)
                        + "' is a reserved column name. You cannot use it as a name for a column.",
                        "ksqlDB's pseudo column of that name gives each record's partition or offset");
            }
            SqlType type = TypeResolver.resolve(c.type());
            TypeResolver.precisionCut(c.type()).ifPresent(p -> notes.add(name + ": " + c.type().location().line() + ":"
                    + c.type().location().column() + ": column " + c.name().value() + " " + p));
            if (c.rowtime()) {
                checkTime(c.name(), type);
                rowtime = OptionalInt.of(columns.size());
            }
            if (c.header().isPresent()) {
                KsqlHeaderColumns.checkType(c, type);
                headers.add(new HeaderColumns.Binding(c.name().value(), c.header().get().key()));
            }
            if (c.primaryKey()) {
                primaryKey.add(c.name().value());
            }
            if (c.key() || (ksql && c.primaryKey())) {
                recordKey.add(c.name().value()); // ksqlDB: KEY and PRIMARY KEY columns live in the record key
            }
            columns.add(new Column(c.name().value(), type, !c.notNull()));
        }
        if (ksql && !create.columns().isEmpty()
                && create.columns().stream().allMatch(c -> c.key() || c.primaryKey() || c.header().isPresent())
                && endpoint == null && SchemaDiscovery.infersValues(topic, properties)) {
            // ksqlDB: only KEY (and header) columns given, the value's columns come from the registry
            SchemaDiscovery.Discovered discovered = SchemaDiscovery.discover(name, topic, properties, create.location(),
                    discovery);
            for (Column c : discovered.schema().columns()) {
                if (columns.stream().noneMatch(existing -> existing.name().equalsIgnoreCase(c.name()))) {
                    columns.add(c);
                }
            }
            notes.add(discovered.note());
        }
        List<Expr> computed = computedColumns(create, name, new Schema(columns), BUILT_IN);
        for (int i = 0; i < computed.size(); i++) {
            Identifier c = create.computedColumns().get(i).name();
            if (columns.stream().anyMatch(existing -> existing.name().equalsIgnoreCase(c.value()))) {
                throw new SqlException(c.location(), "column `" + c.value() + "` is declared twice");
            }
            columns.add(new Column(c.value(), computed.get(i).type(), true));
        }
        Schema schema = new Schema(columns);
        for (Identifier k : create.primaryKey()) {
            int i = index(schema, k);
            primaryKey.add(schema.column(i).name());
        }
        rowtime = timestampOption(create, options, schema, rowtime);
        OptionalLong watermark = OptionalLong.empty();
        if (create.watermark().isPresent()) {
            var w = create.watermark().get();
            int i = index(schema, w.column());
            checkTime(w.column(), schema.type(i));
            if (rowtime.isPresent() && rowtime.getAsInt() != i) {
                throw new SqlException(w.column().location(), "the WATERMARK column `" + w.column().value()
                        + "` differs from the event time column `" + schema.column(rowtime.getAsInt()).name() + "`");
            }
            rowtime = OptionalInt.of(i);
            watermark = OptionalLong.of(watermarkDelay(w.expression(), schema.column(i).name()));
        }
        Optional<ConnectorOption> declaredConnector = options.connector();
        String connector = declaredConnector.orElse(ConnectorOption.KAFKA).sqlName;
        SourceDefinition.Kind kind = create.kind() == Statement.ObjectKind.TABLE
                ? SourceDefinition.Kind.TABLE : SourceDefinition.Kind.STREAM;
        if (kind == SourceDefinition.Kind.TABLE && primaryKey.isEmpty()
                && declaredConnector.map(c -> c.appendOnly).orElse(false)) {
            // Flink's meaning: a table without a key over an append-only connector is a stream of inserts.
            // Without a 'connector' (ksqlDB's style) a keyless TABLE stays an error: a table needs a key.
            kind = SourceDefinition.Kind.STREAM;
            notes.add(name + ": a TABLE without a PRIMARY KEY over the '" + connector
                    + "' connector is an append-only stream (as in Flink)");
        }
        if (kind == SourceDefinition.Kind.TABLE && !computed.isEmpty()) {
            throw new SqlException(create.computedColumns().get(0).location(),
                    "computed columns are supported on streams (append-only sources), not on a TABLE with a PRIMARY KEY");
        }
        if (kind == SourceDefinition.Kind.TABLE && primaryKey.isEmpty()) {
            // ksqlDB's words in its dialect (CreateSourceFactory), Sluice's rule as the hint
            throw new SqlException(create.location(), ksql ? "Tables require a PRIMARY KEY. Please define the PRIMARY KEY."
                    : "TABLE " + name + " needs a PRIMARY KEY",
                    "a table keeps one row per key; mark the key column with PRIMARY KEY");
        }
        ErrorPolicy.ofSource(name, properties, create.location()); // rejects unknown values early, with the place
        if (connector.equals("blackhole") || connector.equals("print")) {
            notes.add(name + ": connector '" + connector + "': rows written to it are "
                    + (connector.equals("print") ? "printed to standard output" : "discarded")
                    + " (sluice replay still shows them)");
        } else if (!connector.equals("kafka") && !connector.equals("upsert-kafka")) {
            notes.add(name + ": connector '" + connector + "' is read from the Kafka topic '" + topic
                    + "' (Sluice applications read Kafka; load the table into that topic, e.g. with a CDC connector)");
        }
        boolean global = options.global();
        Map<String, String> formatProperties = properties;
        if (endpoint != null) {
            formatProperties = new LinkedHashMap<>(properties);
            formatProperties.putAll(endpoint.formatProperties());
        }
        if (ksql) {
            // what INSERT INTO writes to it: ksqlDB's TIMESTAMP and DATE numbers
            formatProperties = new LinkedHashMap<>(formatProperties);
            formatProperties.put(dev.sluice.serdes.format.OptionKeys.NUMERIC_TEMPORALS, "true");
            formatProperties.put(dev.sluice.serdes.format.OptionKeys.UNWRAPPED_SINGLE_KEY, "true");
        }
        if (!headers.isEmpty()) {
            // read by the source's value serde from each record's headers (see HeaderColumns)
            formatProperties = new LinkedHashMap<>(formatProperties);
            formatProperties.put(HeaderColumns.PROPERTY, new HeaderColumns(headers).encode());
        }
        FormatSpec format = new FormatSpec(topic, formatProperties, options.topicSettings());
        List<Column> keyColumns = new ArrayList<>();
        for (String k : primaryKey) {
            keyColumns.add(schema.column(schema.indexOf(k).getAsInt()));
        }
        // the value format carries neither the header columns nor (ksqlDB's layout) the KEY columns
        List<Integer> notInValue = new ArrayList<>();
        headers.forEach(h -> notInValue.add(schema.indexOf(h.column()).getAsInt()));
        Schema payload = FormatCheck.only(schema, notInValue, false);
        if (recordKey.isEmpty()) {
            FormatCheck.check(format, create.properties(), create.location(), new Schema(keyColumns), payload);
        } else {
            List<Integer> inKey = recordKey.stream().map(k -> schema.indexOf(k).getAsInt()).toList();
            notInValue.addAll(inKey);
            FormatCheck.check(format, create.properties(), create.location(), FormatCheck.only(schema, inKey, true),
                    FormatCheck.only(schema, notInValue, false));
        }
        return new SourceDefinition(name, kind, schema, primaryKey, rowtime, watermark, format, global, computed,
                create.location(), recordKey);
    }

    /** {@code name AS expression}: analyzed over the columns read from the topic. */
    private static List<Expr> computedColumns(Statement.CreateSource create, String name, Schema physical,
                                              FunctionCatalog functions) {
        if (create.computedColumns().isEmpty()) {
            return List.of();
        }
        Scope scope = Scope.of(name, physical, OptionalInt.empty(), OptionalLong.empty());
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "a computed column");
        List<Expr> out = new ArrayList<>();
        for (ComputedColumn c : create.computedColumns()) {
            out.add(analyzer.analyze(c.expression()));
        }
        return out;
    }

    /**
     * {@code 'timestamp' = 'col'} (ksqlDB) or {@code timestamp_field} (seed 001) names the event-time
     * column: the only way to give one to discovered columns, and an alternative to ROWTIME.
     */
    private static OptionalInt timestampOption(Statement.CreateSource create, WithOptions options,
                                               Schema schema, OptionalInt rowtime) {
        if (options.timestampColumn().isEmpty()) {
            return rowtime;
        }
        String column = options.timestampColumn().get();
        String key = "timestamp";
        NodeLocation where = options.place(KnownOption.TIMESTAMP).orElse(create.location());
        Identifier id = new Identifier(column, false, where);
        int i = index(schema, id);
        if (schema.type(i) != ScalarType.VARCHAR || options.timestampFormat().isEmpty()) {
            // a VARCHAR read with 'timestamp_format' (ksqlDB's StringTimestampExtractor) is the other way
            checkTime(id, schema.type(i));
        }
        if (rowtime.isPresent() && rowtime.getAsInt() != i) {
            throw new SqlException(where, "'" + key + "' = '" + column + "' differs from the ROWTIME column `"
                    + schema.column(rowtime.getAsInt()).name() + "`", "name one event time column");
        }
        return OptionalInt.of(i);
    }

    private static int index(Schema schema, Identifier name) {
        return schema.indexOf(name.value()).orElseThrow(() -> new SqlException(name.location(),
                "unknown column `" + name.value() + "`", Suggestions.hint(name.value(), schema.names())));
    }

    private static void checkTime(Identifier column, SqlType type) {
        if (type != ScalarType.TIMESTAMP && type != ScalarType.TIMESTAMP_LTZ && type != ScalarType.BIGINT) {
            throw new SqlException(column.location(), "event time column `" + column.value()
                    + "` must be TIMESTAMP, not " + type.sql());
        }
    }

    /** {@code ts - INTERVAL '30' SECOND} gives 30 000 ms; a bare {@code ts} (ascending time) gives 0. */
    static long watermarkDelay(Expression e, String column) {
        if (e instanceof Expression.ColumnRef) {
            return 0;
        }
        if (e instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.MINUS
                && b.left() instanceof Expression.ColumnRef ref && ref.last().equalsIgnoreCase(column)
                && b.right() instanceof Expression.IntervalLiteral i) {
            long delay = Intervals.millis(i);
            if (delay < 0) {
                // found by `sluice fuzz`: a negative delay reached Kafka Streams as a negative grace (exit 70)
                throw new SqlException(i.location(), "a WATERMARK ahead of event time (a negative delay) would make"
                        + " records late before they arrive", "`" + column + " - INTERVAL '0' SECOND` or more");
            }
            return delay;
        }
        throw new SqlException(e.location(), "WATERMARK must be `" + column + " - INTERVAL '<n>' <unit>`");
    }

    /** Names {@code url} as the registry of a declaration in a registry format that names none. */
    static void addRegistry(Map<String, String> properties, String url) {
        if (needsRegistry(properties) && java.util.Arrays.stream(dev.sluice.serdes.format.avro.SchemaRegistryClient.URL_KEYS)
                .noneMatch(properties::containsKey)) {
            properties.put("schema_registry_url", url);
        }
    }

    private static boolean needsRegistry(Map<String, String> properties) {
        for (String key : List.of("format", "value_format", "key_format")) {
            String f = properties.getOrDefault(key, "").toUpperCase(Locale.ROOT);
            if (f.equals("AVRO") || f.equals("JSON_SR") || f.startsWith("PROTOBUF")) {
                return true;
            }
        }
        return false;
    }

    /** WITH properties as lower-case keys and plain string values (quotes and case of values kept). */
    static Map<String, String> properties(List<Property> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Property p : properties) {
            out.put(p.key().toLowerCase(Locale.ROOT), value(p.value()));
        }
        return out;
    }

    static String value(Expression e) {
        if (e instanceof Expression.StringLiteral s) {
            return s.value();
        }
        if (e instanceof Expression.NumericLiteral n) {
            return n.text();
        }
        if (e instanceof Expression.BooleanLiteral b) {
            return Boolean.toString(b.value());
        }
        if (e instanceof Expression.ColumnRef c) {
            return String.join(".", c.parts().stream().map(Identifier::value).toList());
        }
        if (e instanceof Expression.ArrayConstructor a) {
            return String.join(",", a.elements().stream().map(SourceDeclarations::value).toList());
        }
        return e.toString();
    }

    /** 'topic', 'kafka_topic' (ksqlDB), a kafka:// datasource URI, or else the name itself. */
    static String topic(WithOptions options, String name) {
        if (options.topic().isPresent()) {
            return options.topic().get();
        }
        String datasource = options.written().get("datasource");
        if (datasource != null && datasource.startsWith("kafka://")) {
            return datasource.substring(datasource.lastIndexOf('/') + 1);
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
