package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a ksqlDB-dialect CREATE ... AS SELECT writes: its topic defaults to the sink's name as
 * ksqlDB spells it, and its KEY columns go to the record key, not the value. The key columns are the
 * grouping columns of an aggregation (the window bounds stay in the key's window, not in columns),
 * else the columns a join or re-key keyed the rows by, else the KEY columns of the source read.
 */
final class KsqlSinks {
    private KsqlSinks() {
    }

    /**
     * ksqlDB's sink {@code WITH (TIMESTAMP='col')}: the position of the column whose value stamps
     * each output record (a BIGINT of epoch milliseconds or a TIMESTAMP).
     */
    static Optional<Integer> timestampColumn(WithOptions options, Schema schema,
                                             dev.sluice.grammar.ast.NodeLocation location) {
        Optional<String> name = options.timestampColumn();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String column = name.get().trim();
        java.util.OptionalInt found = schema.indexOf(column);
        if (found.isEmpty()) {
            found = schema.indexOf(column.toUpperCase(java.util.Locale.ROOT));
        }
        if (found.isEmpty()) {
            throw new dev.sluice.grammar.SqlException(options.place(KnownOption.TIMESTAMP).orElse(location),
                    "The TIMESTAMP column set in the WITH clause does not exist in the schema: '"
                            + column.toUpperCase(java.util.Locale.ROOT) + "'",
                    dev.sluice.compiler.analyzer.Suggestions.hint(column, schema.names()));
        }
        var type = schema.type(found.getAsInt());
        boolean text = type == dev.sluice.serdes.row.ScalarType.VARCHAR && options.timestampFormat().isPresent();
        if (type != dev.sluice.serdes.row.ScalarType.BIGINT && type != dev.sluice.serdes.row.ScalarType.TIMESTAMP
                && !text) {
            throw new dev.sluice.grammar.SqlException(options.place(KnownOption.TIMESTAMP).orElse(location),
                    "Timestamp column, `" + schema.column(found.getAsInt()).name() + "`, should be LONG(INT64),"
                            + " TIMESTAMP, or a String with a timestamp_format specified",
                    "stamp records with a BIGINT of epoch milliseconds, a TIMESTAMP, or a VARCHAR and its "
                            + "'timestamp_format'");
        }
        return Optional.of(found.getAsInt());
    }

    /** KAFKA_TOPIC, else the sink's name as written (ksqlDB does not lower-case it). */
    static String topic(WithOptions options, String name) {
        return options.topic().orElse(name);
    }

    static final String OUTPUT_TOPIC_PREFIX = "ksql.output.topic.name.prefix";

    /**
     * A CREATE ... AS sink's topic: KAFKA_TOPIC, else the sink's name behind the server's
     * {@code ksql.output.topic.name.prefix} (ksqlDB's default sink topic name; empty when not SET).
     */
    static String topic(WithOptions options, String name, Map<String, String> settings) {
        return options.topic().orElse(settings.getOrDefault(OUTPUT_TOPIC_PREFIX, "") + name);
    }

    /**
     * ksqlDB refuses a CREATE STREAM AS whose query produces a table (an aggregate, a table's
     * rows) and a CREATE TABLE AS whose query produces a stream, with these words; a windowed
     * aggregate is a table in ksqlDB even when it emits final rows.
     */
    static void checkResultType(dev.sluice.grammar.ast.Statement.CreateAsSelect create, Step root) {
        boolean table = root.shape() == Step.Shape.TABLE || aggregates(root);
        var kind = create.kind();
        if (kind == dev.sluice.grammar.ast.Statement.ObjectKind.STREAM && table) {
            throw new dev.sluice.grammar.SqlException(create.location(), "Invalid result type. Your SELECT query "
                    + "produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.",
                    "a stream cannot hold a table's updates in ksqlDB; write CREATE TABLE " + create.name()
                            + " AS SELECT …");
        }
        if (kind == dev.sluice.grammar.ast.Statement.ObjectKind.TABLE && !table) {
            throw new dev.sluice.grammar.SqlException(create.location(), "Invalid result type. Your SELECT query "
                    + "produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.",
                    "in ksqlDB a table is made by GROUP BY or from a table; write CREATE STREAM " + create.name()
                            + " AS SELECT …");
        }
    }

    /**
     * ksqlDB writes a sink's key columns to the record key, so its SELECT must name them: a query
     * that drops them would write rows without their key. Refused with ksqlDB's words for a source's
     * KEY columns and the grouping columns; joins and PARTITION BY are not checked yet.
     */
    static final String NEW_QUERY_PLANNER = "ksql.new.query.planner.enabled";

    /**
     * ksqlDB's new query planner ({@code SET 'ksql.new.query.planner.enabled' = 'true'}) lets a
     * CREATE STREAM AS leave the key out of its projection: the sink's records then have no key.
     */
    static boolean keylessProjectionAllowed(dev.sluice.grammar.ast.Statement.CreateAsSelect create,
                                            Map<String, String> settings) {
        return create.kind() == dev.sluice.grammar.ast.Statement.ObjectKind.STREAM
                && Boolean.parseBoolean(settings.getOrDefault(NEW_QUERY_PLANNER, "false").strip());
    }

    static void checkKeyInProjection(dev.sluice.grammar.ast.Statement.CreateAsSelect create, Step root) {
        if (!(root instanceof ProjectStep p)) {
            return;
        }
        List<Integer> inputKeys = keyPositions(p.input());
        if (inputKeys.isEmpty() || !keyPositions(root).isEmpty()) {
            return;
        }
        String origin = keyOrigin(p.input());
        if (!origin.equals("aggregate") && !origin.equals("source")) {
            // a join's key is any of its equal join expressions, a PARTITION BY's may be ROWTIME;
            // Sluice does not yet track those equivalences, so it does not refuse what ksqlDB may accept
            return;
        }
        // ksqlDB names every key column of a source or join, but only the missing grouping expressions
        List<String> names = inputKeys.stream().filter(i -> !origin.equals("aggregate")
                        || !p.expressions().contains(new Expr.InputRef(i, p.input().schema().type(i))))
                .map(i -> p.input().schema().column(i).name()).toList();
        String what = switch (origin) {
            case "aggregate" -> names.size() == 1 ? "grouping expression" : "grouping expressions";
            default -> names.size() == 1 ? "key column" : "key columns";
        };
        String list = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        throw new dev.sluice.grammar.SqlException(create.location(), "The query used to build `" + create.name().simpleName()
                + "` must include the " + what + " " + list + " in its projection (eg, SELECT "
                + String.join(", ", names) + "...).", "ksqlDB writes them to the record key; select them");
    }

    /**
     * The record key of a sink over a join's rows: the projected join key column ksqlDB's planner
     * picks ({@link dev.sluice.compiler.analyzer.KsqlJoinKey}). A SELECT without one, or with it
     * twice, is refused in ksqlDB's words.
     */
    static List<Integer> joinKey(dev.sluice.grammar.ast.Statement.CreateAsSelect create,
                                 dev.sluice.compiler.analyzer.KsqlJoinKey.Choice choice) {
        String sink = "`" + create.name().simpleName() + "`";
        if (choice.foreign().isPresent()) {
            return foreignKey(create, choice.foreign().get());
        }
        if (choice.projected().isEmpty()) {
            List<String> keys = choice.viableNames();
            String joined = keys.size() == 1 ? keys.get(0)
                    : String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.get(keys.size() - 1);
            String nl = System.lineSeparator();
            throw new dev.sluice.grammar.SqlException(create.location(), "Key missing from projection (ie, SELECT). "
                    + (choice.synthetic() ? "See https://cnfl.io/2LV7ouS." : "") + nl
                    + "The query used to build " + sink + " must include the join expression"
                    + (keys.size() == 1 ? "" : "s") + " " + joined + " in its projection (eg, SELECT " + keys.get(0)
                    + "...)." + (choice.synthetic() ? nl + keys.get(0) + " was added as a synthetic key column because "
                    + "the join criteria did not match any source column. This expression must be included in the "
                    + "projection and may be aliased. " : ""),
                    "ksqlDB writes the join key to the record key; select " + keys.get(0));
        }
        if (!choice.duplicates().isEmpty()) {
            throw keySelectedTwice(create, choice.keyName(), choice.duplicates());
        }
        return List.of(choice.projected().getAsInt());
    }

    private static List<Integer> foreignKey(dev.sluice.grammar.ast.Statement.CreateAsSelect create,
                                            dev.sluice.compiler.analyzer.KsqlJoinKey.Foreign key) {
        List<String> missing = key.missing();
        if (!missing.isEmpty()) {
            String column = missing.size() == 1 ? "column" : "columns";
            throw new dev.sluice.grammar.SqlException(create.location(), "Primary key " + column + " missing in "
                    + "projection. For foreign-key table-table joins, the projection must include all primary key "
                    + "columns from the left input table (`" + key.table() + "`). Missing " + column + ": "
                    + String.join(", ", missing.stream().map(m -> "`" + m + "`").toList()) + ".",
                    "a foreign-key join's rows are keyed by the left table's key: select "
                            + String.join(", ", missing));
        }
        if (!key.duplicates().isEmpty()) {
            throw keySelectedTwice(create, key.duplicateKey(), key.duplicates());
        }
        return key.projected();
    }

    /** ksqlDB's error for a key column the projection selects under several aliases (a join's or a foreign key's). */
    private static dev.sluice.grammar.SqlException keySelectedTwice(dev.sluice.grammar.ast.Statement.CreateAsSelect create,
                                                                   String keyName, List<String> aliases) {
        return new dev.sluice.grammar.SqlException(create.location(), "The projection contains a key column (`"
                + keyName + "`) more than once, aliased as: "
                + String.join(", ", aliases.subList(0, aliases.size() - 1)) + " and " + aliases.get(aliases.size() - 1)
                + "." + System.lineSeparator() + "Each key column must only be in the projection once. If you intended "
                + "to copy the key into the value, then consider using the AS_VALUE function to indicate which "
                + "key reference should be copied.", "select the key once, or copy it with AS_VALUE(...)");
    }

    static String keyOrigin(Step step) {
        while (true) {
            if (step instanceof AggregateStep) {
                return "aggregate";
            }
            if (step instanceof SourceStep || step instanceof TableSourceStep) {
                return "source";
            }
            if (step instanceof dev.sluice.runtime.plan.RekeyStep) {
                return "rekey";
            }
            if (step.inputs().size() != 1) {
                return "join";
            }
            step = step.inputs().get(0);
        }
    }

    private static boolean aggregates(Step step) {
        return step instanceof AggregateStep || step.inputs().stream().anyMatch(KsqlSinks::aggregates);
    }

    static List<Integer> keyColumns(Step root, Catalog catalog) {
        return keyPositions(root);
    }

    /**
     * Positions of the key columns in a step's output row, followed through projections (so that
     * {@code K AS K2} and a join's {@code T_ID} are still the key).
     */
    static List<Integer> keyPositions(Step step) {
        if (step instanceof SourceStep s) {
            return s.recordKeyColumns();
        }
        if (step instanceof TableSourceStep t) {
            return t.keyColumns();
        }
        if (step instanceof FilterStep f) {
            return keyPositions(f.input());
        }
        if (step instanceof SuppressStep s) {
            return keyPositions(s.input());
        }
        if (step instanceof ExplodeStep e) {
            return keyPositions(e.input()); // the input's columns keep their positions
        }
        if (step instanceof AggregateStep a) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < a.groupKeys().size(); i++) {
                out.add(i);
            }
            return out;
        }
        if (step instanceof ProjectStep p) {
            List<Integer> rekeyed = rekeyBelow(p.input()).map(r -> projectedRekeyKeys(p, r)).orElse(List.of());
            if (!rekeyed.isEmpty()) {
                return rekeyed;
            }
            List<Integer> inputKeys = keyPositions(p.input());
            List<Integer> out = new ArrayList<>();
            for (int key : inputKeys) {
                for (int i = 0; i < p.expressions().size(); i++) {
                    if (p.expressions().get(i) instanceof Expr.InputRef ref && ref.index() == key) {
                        out.add(i);
                        break;
                    }
                }
            }
            return out.size() == inputKeys.size() ? out : List.of();
        }
        // joins and re-keys: the key columns by name, the first (left) match
        List<Integer> out = new ArrayList<>();
        for (String n : step.keySchema().names()) {
            step.schema().indexOf(n).ifPresent(out::add);
        }
        return out;
    }

    private static java.util.Optional<RekeyStep> rekeyBelow(Step step) {
        if (step instanceof RekeyStep r) {
            return java.util.Optional.of(r);
        }
        return step instanceof FilterStep f ? rekeyBelow(f.input()) : java.util.Optional.empty();
    }

    /**
     * ksqlDB's PARTITION BY: each partitioning expression's key column is the projected column that
     * computes it ({@code UCASE(NAME) AS NEW_KEY ... PARTITION BY UCASE(NAME)}), or that reads the
     * column of that name; ksqlDB writes it to the record key and leaves it out of the value.
     */
    private static List<Integer> projectedRekeyKeys(ProjectStep p, RekeyStep r) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < r.keyExpressions().size(); k++) {
            Expr key = r.keyExpressions().get(k);
            java.util.OptionalInt named = r.schema().indexOf(r.keySchema().column(k).name());
            int found = -1;
            for (int i = 0; i < p.expressions().size() && found < 0; i++) {
                Expr e = p.expressions().get(i);
                if (e.equals(key) || named.isPresent() && e instanceof Expr.InputRef ref && ref.index() == named.getAsInt()) {
                    found = i;
                }
            }
            if (found < 0) {
                return List.of();
            }
            out.add(found);
        }
        return out;
    }

    /**
     * The sink's key columns as ksqlDB names them in its format errors: the selected key columns, or
     * the key a PARTITION BY made beside the row (none for PARTITION BY NULL). A key column a join
     * selects as {@code L.L0} is named {@code L_L0}, the join's own name for it.
     */
    static List<KsqlFormatLimits.KeyColumn> keyColumns(dev.sluice.grammar.ast.Statement.CreateAsSelect create, Step root, List<Integer> sinkKey) {
        List<KsqlFormatLimits.KeyColumn> out = new java.util.ArrayList<>();
        if (sinkKey.isEmpty()) {
            for (dev.sluice.serdes.row.Column c : root.keySchema().columns()) {
                if (c.type() != dev.sluice.serdes.row.ScalarType.NULL) {
                    out.add(new KsqlFormatLimits.KeyColumn(c.name(), c.type(), create.location()));
                }
            }
            return out;
        }
        Optional<List<dev.sluice.grammar.ast.SelectItem>> items = create.query().body()
                instanceof dev.sluice.grammar.ast.QueryBody.Select select
                && select.from().map(f -> f instanceof dev.sluice.grammar.ast.Relation.Join).orElse(false)
                ? Optional.of(select.items()) : Optional.empty();
        for (int k : sinkKey) {
            String name = root.schema().column(k).name();
            if (items.isPresent() && k < items.get().size()
                    && items.get().get(k) instanceof dev.sluice.grammar.ast.SelectItem.SingleColumn column
                    && column.alias().isEmpty()
                    && column.expression() instanceof dev.sluice.grammar.ast.Expression.ColumnRef ref
                    && ref.parts().size() == 2) {
                name = (ref.parts().get(0).value() + "_" + ref.parts().get(1).value()).toUpperCase(java.util.Locale.ROOT);
            }
            out.add(new KsqlFormatLimits.KeyColumn(name, root.schema().type(k), create.location()));
        }
        return out;
    }

    /** ksqlDB's FORMAT sets both formats; a sink without its own key format takes its source's. */
    static void inheritKeyFormat(Map<String, String> props, List<String> sources, Catalog catalog) {
        if (props.containsKey("format") && !props.containsKey("key_format")) {
            props.put("key_format", props.get("format"));
        }
        if (!sources.isEmpty() && !props.containsKey("key_format")) {
            catalog.lookup(sources.get(0)).map(s -> s.format().properties().get("key_format"))
                    .ifPresent(f -> props.put("key_format", f));
        }
    }

    static Optional<AggregateStep> aggregateBelow(Step step) {
        while (true) {
            if (step instanceof AggregateStep a) {
                return Optional.of(a);
            }
            if (step instanceof ProjectStep p) {
                step = p.input();
            } else if (step instanceof FilterStep f) {
                step = f.input();
            } else if (step instanceof SuppressStep s) {
                step = s.input();
            } else {
                return Optional.empty();
            }
        }
    }
}
