package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.compiler.analyzer.TypeResolver;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Statements ksqlDB refuses that Sluice could otherwise run, refused in the ksqlDB dialect with
 * ksqlDB's words (each names the ksqlDB class that holds the rule) and Sluice's hint after them.
 * They are ksqlDB's own rules — its system column names, its KEY/PRIMARY KEY split between streams
 * and tables, its refusal of MAP keys — so a Flink-dialect script is never checked here.
 */
final class KsqlChecks {
    /** ksqlDB's {@code SystemColumns}: the pseudo columns and the window bounds. */
    static final Set<String> SYSTEM_COLUMNS = Set.of("ROWTIME", "ROWPARTITION", "ROWOFFSET", "WINDOWSTART", "WINDOWEND");

    private KsqlChecks() {
    }

    /** {@code CREATE STREAM|TABLE} with declared columns (ksqlDB's {@code CreateStream}, {@code CreateTable}, {@code CreateSourceFactory}). */
    static void declaration(Statement.CreateSource create) {
        windowSize(create);
        WithOptions.parse(create.properties()); // a bad option value is reported first, at its place
        boolean stream = create.kind() == Statement.ObjectKind.STREAM;
        for (ColumnDefinition c : create.columns()) {
            String name = c.name().value();
            if (SYSTEM_COLUMNS.contains(name.toUpperCase(Locale.ROOT))) {
                throw new SqlException(c.name().location(), "'" + name + "' is a reserved column name. You cannot use "
                        + "it as a name for a column.", "ksqlDB gives every row " + String.join(", ", sorted())
                        + " itself; name the column otherwise");
            }
            if (stream && c.primaryKey()) {
                throw new SqlException(c.location(), "Column `" + name + "` is a 'PRIMARY KEY' column: please use "
                        + "'KEY' for streams.", "tables have PRIMARY KEYs, which are unique and NON NULL; streams have "
                        + "KEYs, which have neither constraint");
            }
            if (!stream && c.key() && !c.primaryKey()) {
                throw new SqlException(c.location(), "Column `" + name + "` is a 'KEY' column: please use "
                        + "'PRIMARY KEY' for tables.", "tables have PRIMARY KEYs, which are unique and NON NULL");
            }
            if ((c.key() || c.primaryKey()) && KsqlText.containsMap(TypeResolver.resolve(c.type()))) {
                throw mapKey(c.location(), name, TypeResolver.resolve(c.type()));
            }
        }
        formats(create.properties());
        noneFormat(create);
        delimitedKey(create);
        String valueFormat = option(create, "value_format").or(() -> option(create, "format")).orElse("");
        valueDelimiter(create.properties(), valueFormat);
        List<ColumnDefinition> values = create.columns().stream().filter(c -> !c.key() && !c.primaryKey()).toList();
        wrapSingleValue(create.properties(), valueFormat, values.size(), create.location());
        for (ColumnDefinition c : values) {
            mapKeysInValue(valueFormat, TypeResolver.resolve(c.type()), c.location());
        }
        boolean windowed = create.properties().stream().anyMatch(p -> p.key().equalsIgnoreCase("window_type"));
        if (windowed && !create.columns().isEmpty() && create.columns().stream().noneMatch(c -> c.key() || c.primaryKey())) {
            throw new SqlException(create.location(), "Windowed sources require a key column.",
                    "a windowed topic's record key is the key and its window; declare the key column with KEY");
        }
    }

    private static final Set<String> FORMAT_OPTIONS = Set.of("format", "value_format", "key_format");

    /**
     * ksqlDB's WINDOW_SIZE of a windowed source, in its words: none for a session (a session's
     * bounds are in each key), and a known time unit.
     */
    private static void windowSize(Statement.CreateSource create) {
        Optional<dev.sluice.grammar.ast.Property> size = create.properties().stream()
                .filter(p -> p.key().equalsIgnoreCase("window_size")).findFirst();
        if (size.isEmpty()) {
            return;
        }
        if (option(create, "window_type").map(t -> t.equalsIgnoreCase("session")).orElse(false)) {
            throw new SqlException(size.get().location(), "'WINDOW_SIZE' should not be set for SESSION windows.",
                    "a session's bounds are in each record's key");
        }
        String text = SourceDeclarations.value(size.get().value());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*\\d+\\s+([a-zA-Z]+)\\s*").matcher(text);
        if (m.matches() && !KSQL_TIME_UNITS.contains(m.group(1).toUpperCase(Locale.ROOT))) {
            throw new SqlException(size.get().location(), "Configuration WINDOW_SIZE is invalid: Invalid duration: '"
                    + text + "'. Unknown time unit: '" + m.group(1).toUpperCase(Locale.ROOT) + "'",
                    "units: " + String.join(", ", new java.util.TreeSet<>(KSQL_TIME_UNITS)));
        }
    }

    /** The units ksqlDB's durations take (Java's TimeUnit names, also singular). */
    private static final Set<String> KSQL_TIME_UNITS = Set.of("NANOSECOND", "NANOSECONDS", "MICROSECOND",
            "MICROSECONDS", "MILLISECOND", "MILLISECONDS", "SECOND", "SECONDS", "MINUTE", "MINUTES", "HOUR", "HOURS",
            "DAY", "DAYS");

    /**
     * ksqlDB's {@code VALUE_DELIMITER}: only DELIMITED has one, and it is one character, or the words
     * TAB or SPACE (a blank one is refused: it is easily a typo for them).
     */
    static void valueDelimiter(List<dev.sluice.grammar.ast.Property> properties, String valueFormat) {
        for (dev.sluice.grammar.ast.Property p : properties) {
            if (!p.key().equalsIgnoreCase("value_delimiter")) {
                continue;
            }
            String format = valueFormat.toUpperCase(Locale.ROOT);
            if (!format.isEmpty() && !format.equals("DELIMITED")) {
                throw new SqlException(p.location(), format + " does not support the following configs: [delimiter]",
                        "only the DELIMITED format has a delimiter");
            }
            String value = SourceDeclarations.value(p.value());
            String word = value.toUpperCase(Locale.ROOT);
            String why = value.isBlank()
                    ? "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the "
                            + "special values 'TAB' or 'SPACE'"
                    : value.length() != 1 && !word.equals("TAB") && !word.equals("SPACE")
                            ? "Invalid delimiter value: '" + value + "'. Delimiter must be a single character or TAB,SPACE"
                            : null;
            if (why != null) {
                throw new SqlException(p.location(), "Failed to prepare statement: Configuration VALUE_DELIMITER is "
                        + "invalid: " + why + "\nExample valid value: ';'", "write one character, TAB or SPACE");
            }
        }
    }

    /** ksqlDB's {@code FormatFactory}: a format it does not know, before anything reads the topic. */
    static void formats(List<dev.sluice.grammar.ast.Property> properties) {
        for (dev.sluice.grammar.ast.Property p : properties) {
            if (!FORMAT_OPTIONS.contains(p.key().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String value = SourceDeclarations.value(p.value());
            String name = dev.sluice.serdes.format.OptionKeys.normalizedName(value);
            if (!name.equals("none") && dev.sluice.serdes.format.Formats.lookup(name).isEmpty()) {
                String hint = dev.sluice.compiler.analyzer.Suggestions.hint(name, dev.sluice.serdes.format.Formats.names());
                throw new SqlException(p.location(), "Unknown format: " + value.toUpperCase(Locale.ROOT),
                        (hint == null ? "" : hint + " ") + "(formats: " + String.join(", ",
                                dev.sluice.serdes.format.Formats.names()) + ", none)");
            }
        }
    }

    /** ksqlDB's DELIMITED key format: scalar key columns only, refused in its words. */
    private static void delimitedKey(Statement.CreateSource create) {
        String key = option(create, "key_format").or(() -> option(create, "format")).orElse("");
        if (!key.equalsIgnoreCase("delimited")) {
            return;
        }
        List<ColumnDefinition> keys = create.columns().stream().filter(c -> c.key() || c.primaryKey()).toList();
        for (ColumnDefinition c : keys) {
            SqlType type = TypeResolver.resolve(c.type());
            if (!(type instanceof dev.sluice.serdes.row.ScalarType) && !(type instanceof dev.sluice.serdes.row.DecimalType)) {
                String columns = keys.stream().map(k -> "`" + k.name().value() + "` "
                        + KsqlText.type(TypeResolver.resolve(k.type())) + " KEY")
                        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
                throw new SqlException(c.location(), "Key format does not support schema.\nformat: DELIMITED\nschema: "
                        + "Persistence{columns=" + columns + ", features=[]}\nreason: The 'DELIMITED' format does not "
                        + "support type '" + SqlType.baseName(type) + "', column: `" + c.name().value() + "`",
                        "a DELIMITED key holds scalar columns; use JSON or AVRO for nested keys");
            }
        }
    }

    /** ksqlDB's {@code NoneFormat}: the format of a record part that has no columns. */
    private static void noneFormat(Statement.CreateSource create) {
        String value = option(create, "value_format").or(() -> option(create, "format")).orElse("");
        String key = option(create, "key_format").or(() -> option(create, "format")).orElse("");
        List<ColumnDefinition> keys = create.columns().stream().filter(c -> c.key() || c.primaryKey()).toList();
        List<ColumnDefinition> values = create.columns().stream().filter(c -> !c.key() && !c.primaryKey()).toList();
        for (var side : List.of(java.util.Map.entry(key, keys), java.util.Map.entry(value, values))) {
            if (side.getKey().equalsIgnoreCase("none") && !side.getValue().isEmpty()) {
                String got = side.getValue().stream().map(c -> "`" + c.name().value() + "` "
                        + KsqlText.type(TypeResolver.resolve(c.type())) + (c.primaryKey() || c.key() ? " KEY" : "")).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
                throw new SqlException(side.getValue().get(0).location(), "The 'NONE' format can only be used when "
                        + "no columns are defined. Got: " + got, "NONE means the record part is ignored; "
                        + "choose a format for these columns");
            }
        }
    }

    /**
     * ksqlDB's {@code SerdeFeaturesFactory}: WRAP_SINGLE_VALUE says how one value column is written,
     * so it needs exactly one, and a format that cannot wrap (KAFKA, DELIMITED) or unwrap (PROTOBUF)
     * refuses the setting it cannot honour.
     */
    static void wrapSingleValue(List<dev.sluice.grammar.ast.Property> properties, String format, int valueColumns,
                                NodeLocation at) {
        Optional<dev.sluice.grammar.ast.Property> wrap = properties.stream()
                .filter(p -> p.key().equalsIgnoreCase("wrap_single_value")).findFirst();
        if (wrap.isEmpty()) {
            return;
        }
        String value = SourceDeclarations.value(wrap.get().value()).toLowerCase(Locale.ROOT);
        String name = format.toUpperCase(Locale.ROOT);
        if (value.equals("true") && (name.equals("KAFKA") || name.equals("DELIMITED"))
                || value.equals("false") && name.startsWith("PROTOBUF")) {
            throw new SqlException(wrap.get().location(), "Format '" + name + "' does not support 'WRAP_SINGLE_VALUE' "
                    + "set to '" + value + "'.", "leave WRAP_SINGLE_VALUE out for " + name);
        }
        if (valueColumns > 1) {
            throw new SqlException(wrap.get().location(), "'WRAP_SINGLE_VALUE' is only valid for single-field value "
                    + "schemas", "there are " + valueColumns + " value columns; leave WRAP_SINGLE_VALUE out");
        }
    }

    /** ksqlDB's JSON, AVRO and PROTOBUF schema translators: a MAP in a value is keyed by text. */
    static void mapKeysInValue(String format, SqlType type, NodeLocation at) {
        String name = format.toUpperCase(Locale.ROOT);
        String message = switch (name) {
            case "JSON", "JSON_SR" -> "JSON only supports MAP types with STRING keys";
            case "AVRO" -> "Avro only supports MAPs with STRING keys";
            case "PROTOBUF", "PROTOBUF_NOSR" -> "PROTOBUF format only supports MAP types with STRING keys";
            default -> null;
        };
        if (message != null && nonTextMapKey(type)) {
            throw new SqlException(at, message, "a " + name + " map is an object keyed by text; key it by VARCHAR");
        }
    }

    private static boolean nonTextMapKey(SqlType type) {
        if (type instanceof dev.sluice.serdes.row.MapType m) {
            return m.key() != dev.sluice.serdes.row.ScalarType.VARCHAR || nonTextMapKey(m.value());
        }
        if (type instanceof dev.sluice.serdes.row.ArrayType a) {
            return nonTextMapKey(a.element());
        }
        return type instanceof dev.sluice.serdes.row.StructType s && s.fields().stream().anyMatch(f -> nonTextMapKey(f.type()));
    }

    private static Optional<String> option(Statement.CreateSource create, String key) {
        return create.properties().stream().filter(p -> p.key().equalsIgnoreCase(key))
                .map(p -> SourceDeclarations.value(p.value())).findFirst();
    }

    /** ksqlDB's {@code GenericKeySerDe}: a key's serialized form must be stable, and a map's entry order is not. */
    static SqlException mapKey(NodeLocation at, String column, SqlType type) {
        return new SqlException(at, "Map keys, including types that contain maps, are not supported as they may lead "
                + "to unexpected behavior due to inconsistent serialization. Key column name: `" + column
                + "`. Column type: " + KsqlText.type(type) + ". See https://github.com/confluentinc/ksql/issues/6621 "
                + "for more.", "key by a column without a MAP, or move the map into the value");
    }

    /**
     * A persistent query's SELECT list, before its names are resolved (ksqlDB's {@code Analyzer}
     * checks it first): a system column may not be selected under its own name, nor be another
     * column's alias, because the sink gets its own ROWTIME and window bounds.
     */
    static void persistentSelect(Query query, Catalog catalog, dev.sluice.runtime.function.FunctionCatalog functions) {
        if (!(query.body() instanceof QueryBody.Select select)) {
            return;
        }
        boolean join = select.from().map(f -> f instanceof Relation.Join).orElse(false);
        for (SelectItem item : select.items()) {
            if (!(item instanceof SelectItem.SingleColumn column)) {
                continue;
            }
            Optional<String> selected = column.expression() instanceof Expression.ColumnRef ref
                    && (ref.parts().size() == 1 || !join) ? Optional.of(ref.last()) : Optional.empty();
            String name = column.alias().map(a -> a.value()).or(() -> selected).orElse("");
            String reserved = name.toUpperCase(Locale.ROOT);
            if (!SYSTEM_COLUMNS.contains(reserved)) {
                continue;
            }
            boolean same = column.expression() instanceof Expression.ColumnRef ref && ref.last().equalsIgnoreCase(name);
            if (!same) {
                throw new SqlException(column.alias().map(a -> a.location()).orElse(column.location()), "`" + reserved
                        + "` is a reserved column name. You cannot use it as an alias for a column.",
                        "ksqlDB gives every row its own " + reserved + "; choose another alias");
            }
            throw new SqlException(column.location(), "Reserved column name in select: `" + reserved + "`. Please "
                    + "remove or alias the column.", "the sink gets its own " + reserved + "; write " + name + " AS "
                    + reserved.charAt(0) + reserved.substring(1).toLowerCase(Locale.ROOT) + "_COPY or leave it out");
        }
        select.from().ifPresent(f -> windowedTables(f, catalog));
        new KsqlAggregateCheck(functions).windowBounds(select);
        select.from().ifPresent(f -> delimitedIntermediates(select, f, catalog));
    }

    /** ksqlDB's aggregates whose intermediate value (the stored state) is a STRUCT, an ARRAY or a MAP. */
    private static final Set<String> STRUCTURED_STATE = Set.of("AVG", "STDDEV_SAMP", "STDDEV_SAMPLE", "CORRELATION",
            "COLLECT_LIST", "COLLECT_SET", "HISTOGRAM", "TOPK", "TOPKDISTINCT", "EARLIEST_BY_OFFSET", "LATEST_BY_OFFSET");

    /**
     * ksqlDB's {@code MaterializationUtil}: an aggregation stores its intermediate values in the source's
     * value format, and DELIMITED cannot hold a STRUCT, ARRAY or MAP, so such aggregates are refused
     * over a DELIMITED source (Sluice's own state format could hold them; the refusal is ksqlDB's).
     */
    private static void delimitedIntermediates(QueryBody.Select select, Relation from, Catalog catalog) {
        if (!(from instanceof Relation.Table t)) {
            return;
        }
        Optional<SourceDefinition> source = catalog.lookup(t.name().toString());
        if (source.isEmpty() || !delimitedValue(source.get().format().properties())) {
            return;
        }
        List<Expression.FunctionCall> calls = new ArrayList<>();
        java.util.function.Consumer<Object> collect = n -> {
            if (n instanceof Expression.FunctionCall f && f.over().isEmpty()
                    && STRUCTURED_STATE.contains(f.simpleName().toUpperCase(Locale.ROOT))) {
                calls.add(f);
            }
        };
        dev.sluice.compiler.analyzer.AstWalker.walk(select.items(), n -> true, collect);
        select.having().ifPresent(h -> dev.sluice.compiler.analyzer.AstWalker.walk(h, n -> true, collect));
        if (!calls.isEmpty()) {
            throw new SqlException(calls.get(0).location(), "One of the functions used in the statement has an "
                    + "intermediate type that the value format can not handle. Please remove the function or change "
                    + "the format.", "ksqlDB keeps " + calls.get(0).simpleName().toUpperCase(Locale.ROOT)
                    + "'s state in the source's value format; declare the source with VALUE_FORMAT='JSON' or 'AVRO'");
        }
    }

    private static boolean delimitedValue(java.util.Map<String, String> properties) {
        String format = null;
        for (var e : properties.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (key.equals("value_format") || key.equals("value.format") || key.equals("format") && format == null) {
                format = e.getValue();
            }
        }
        return format != null && format.trim().replace("'", "").equalsIgnoreCase("DELIMITED");
    }

    /**
     * Plans a persistent query with ksqlDB's aggregation rules ({@link KsqlAggregateCheck}) applied
     * where ksqlDB applies them: after names resolve. A query Sluice plans is checked afterwards
     * (a GROUP BY without aggregates); one Sluice refuses as an aggregation gets ksqlDB's account.
     */
    static <T> T planAggregation(Query query, dev.sluice.runtime.function.FunctionCatalog functions,
                                 java.util.function.Supplier<T> plan) {
        Optional<QueryBody.Select> select = KsqlAggregateCheck.select(query);
        T planned;
        try {
            planned = plan.get();
        } catch (SqlException e) {
            if (select.isPresent() && e.getMessage() != null && e.getMessage().startsWith("Non-aggregate SELECT")) {
                new KsqlAggregateCheck(functions).unknownFunctions(select.get());
                new KsqlAggregateCheck(functions).check(select.get());
            }
            throw e;
        }
        select.ifPresent(s -> new KsqlAggregateCheck(functions).check(s));
        return planned;
    }

    /** ksqlDB's {@code PushQueryValidator}: a windowed table cannot feed a persistent query. */
    private static void windowedTables(Relation relation, Catalog catalog) {
        if (relation instanceof Relation.Join j) {
            windowedTables(j.left(), catalog);
            windowedTables(j.right(), catalog);
        } else if (relation instanceof Relation.Table t) {
            Optional<SourceDefinition> source = catalog.lookup(t.name().toString());
            if (source.isPresent() && source.get().kind() == SourceDefinition.Kind.TABLE
                    && source.get().format().properties().containsKey("window_type")) {
                throw new SqlException(t.location(), "KSQL does not support persistent queries on windowed tables.",
                        "`" + t.name() + "` is a windowed table; read it with a pull query in ksqlDB");
            }
        }
    }

    /**
     * After planning a CREATE … AS SELECT: ksqlDB writes the key columns to the record key, so a query
     * selecting only those leaves an empty value ({@code FinalProjectNode}); two SELECT items of one name are refused ({@code LogicalSchema}).
     */
    static void sink(Statement.CreateAsSelect create, Step root, List<Integer> keyColumns,
                     java.util.Map<String, String> format) {
        String valueFormat = format.getOrDefault("value_format", format.getOrDefault("format", ""));
        for (int i = 0; i < root.schema().size(); i++) {
            if (!keyColumns.contains(i)) {
                mapKeysInValue(valueFormat, root.schema().type(i), create.location());
            }
        }
        wrapSingleValue(create.properties(), valueFormat, root.schema().size() - keyColumns.size(), create.location());
        // keys holding a MAP are refused after these, with the key's format (KsqlFormatLimits.sink)
        duplicateAliases(create.query(), root);
        keyMoreThanOnce(create, root);
        if (!keyColumns.isEmpty() && keyColumns.size() >= root.schema().size()) {
            throw new SqlException(create.location(), "The projection contains no value columns.",
                    "ksqlDB writes " + String.join(", ", keyColumns.stream().map(i -> root.schema().column(i).name())
                            .toList()) + " to the record key; select a value column too (AS_VALUE(key) copies a key)");
        }
    }

    /**
     * ksqlDB's {@code FinalProjectNode} and {@code LogicalPlanner}: a key column selected twice would
     * be written to the record key twice; ksqlDB asks for AS_VALUE to copy it into the value.
     */
    private static void keyMoreThanOnce(Statement.CreateAsSelect create, Step root) {
        if (!(root instanceof dev.sluice.runtime.plan.ProjectStep p)) {
            return;
        }
        String origin = KsqlSinks.keyOrigin(p.input());
        if (!origin.equals("aggregate") && !origin.equals("source") && !origin.equals("rekey")) {
            return;
        }
        for (int key : KsqlSinks.keyPositions(p.input())) {
            List<String> aliases = new ArrayList<>();
            for (int i = 0; i < p.expressions().size(); i++) {
                if (p.expressions().get(i) instanceof dev.sluice.runtime.expr.Expr.InputRef ref && ref.index() == key) {
                    aliases.add(p.schema().column(i).name());
                }
            }
            if (aliases.size() < 2) {
                continue;
            }
            String hint = "a key column goes to the record key once; copy it into the value with AS_VALUE("
                    + p.input().schema().column(key).name() + ")";
            if (origin.equals("aggregate")) {
                throw new SqlException(create.location(), "The projection contains a key column more than once: "
                        + and(aliases.stream().map(a -> "`" + a + "`").toList()) + ".", hint);
            }
            throw new SqlException(create.location(), "The projection contains a key column (`"
                    + p.input().schema().column(key).name() + "`) more than once, aliased as: "
                    + and(aliases.stream().sorted().toList()) + ".", hint);
        }
    }

    private static String and(List<String> items) {
        return items.size() == 1 ? items.get(0)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static void duplicateAliases(Query query, Step root) {
        if (!(query.body() instanceof QueryBody.Select select)
                || select.items().stream().anyMatch(i -> !(i instanceof SelectItem.SingleColumn))) {
            return;
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < select.items().size(); i++) {
            SelectItem.SingleColumn item = (SelectItem.SingleColumn) select.items().get(i);
            if (item.alias().isEmpty()) {
                continue;
            }
            String alias = item.alias().get().value();
            if (seen.stream().anyMatch(alias::equalsIgnoreCase) && i < root.schema().size()) {
                throw new SqlException(item.alias().get().location(), "Duplicate value columns found in schema: `"
                        + alias + "` " + KsqlText.type(root.schema().type(i)), "give each column its own name");
            }
            seen.add(alias);
        }
    }

    private static List<String> sorted() {
        return SYSTEM_COLUMNS.stream().sorted().toList();
    }
}
