package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ksqlDB's rules for {@code INSERT INTO … SELECT} (its {@code EngineExecutor.validateExistingSink}
 * and {@code InsertIntoValidator}), applied in the ksqlDB dialect: the target exists, is a stream and
 * is not read-only, and the query's schema is the target's — the same column names, each a key or a
 * value as in the target, each type the target's or one that widens to it. Sluice's Flink-dialect
 * INSERT matches by position and casts; ksqlDB refuses instead.
 */
final class KsqlInserts {
    private KsqlInserts() {
    }

    /** The target, before the query is planned. */
    static SourceDefinition target(Statement.InsertInto insert, Catalog catalog) {
        SourceDefinition target = catalog.lookup(insert.target().toString()).orElseThrow(() -> new SqlException(
                insert.target().location(), "Source `" + insert.target().simpleName().toUpperCase(Locale.ROOT)
                + "` does not exist.", java.util.Objects.requireNonNullElse(dev.sluice.compiler.analyzer.Suggestions
                        .hint(insert.target().simpleName(), catalog.all().stream().map(SourceDefinition::name).toList()),
                        "declare the stream (CREATE STREAM … WITH (KAFKA_TOPIC=…)) before INSERT INTO it")));
        if (target.kind() == SourceDefinition.Kind.TABLE) {
            throw new SqlException(insert.target().location(), "INSERT INTO can only be used to insert into a stream. "
                    + target.name() + " is a table.", "a table's rows are keyed updates its own query computes; "
                    + "write into a stream, or give the table's query this input too");
        }
        if (catalog.readOnly(target.name())) {
            throw new SqlException(insert.target().location(), "Cannot insert into read-only stream: " + target.name(),
                    "a SOURCE stream only reads its topic; declare it without SOURCE to write into it");
        }
        return target;
    }

    /** The planned query against the target's columns. */
    static void schema(Statement.InsertInto insert, SourceDefinition target, Step root) {
        Schema result = root.schema();
        List<Integer> resultKeys = KsqlSinks.keyPositions(root);
        List<Integer> sinkKeys = target.recordKeyIndexes();
        boolean compatible = result.size() == target.schema().size();
        for (int i = 0; compatible && i < result.size(); i++) {
            compatible = result.column(i).name().equalsIgnoreCase(target.schema().column(i).name())
                    && resultKeys.contains(i) == sinkKeys.contains(i)
                    && widens(result.type(i), target.schema().type(i));
        }
        if (!compatible) {
            String nl = System.lineSeparator();
            throw new SqlException(insert.location(), "Incompatible schema between results and sink." + nl
                    + "Result schema is " + describe(result, resultKeys) + nl
                    + "Sink schema is " + describe(target.schema(), sinkKeys),
                    "ksqlDB matches INSERT INTO columns by name, key and type; alias and CAST the SELECT items");
        }
    }

    /** ksqlDB's implicit casts: a type into itself, a number into a wider number. */
    private static boolean widens(SqlType from, SqlType to) {
        if (from.equals(to) || from == ScalarType.NULL) {
            return true;
        }
        return rank(from) >= 0 && rank(to) >= 0 && rank(from) <= rank(to);
    }

    private static int rank(SqlType type) {
        if (type == ScalarType.INTEGER) {
            return 0;
        }
        if (type == ScalarType.BIGINT) {
            return 1;
        }
        if (type instanceof dev.sluice.serdes.row.DecimalType) {
            return 2;
        }
        return type == ScalarType.DOUBLE ? 3 : -1;
    }

    /** ksqlDB's {@code LogicalSchema.toString}: {@code `K` STRING KEY, `V` INTEGER}. */
    private static String describe(Schema schema, List<Integer> keys) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            columns.add("`" + schema.column(i).name() + "` " + KsqlText.type(schema.type(i)) + (keys.contains(i) ? " KEY" : ""));
        }
        return String.join(", ", columns);
    }
}
