package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.Statement;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code INSERT INTO s [(cols)] VALUES (…)}: ksqlDB's statement that writes one row to a stream's or
 * table's topic when it is submitted. A compiled application has no moment at which to write it (it
 * is not a query: it would have to run once, before the application, and every restart would write
 * it again), so Sluice refuses it. Where ksqlDB refuses it too, the refusal is ksqlDB's, in its
 * order ({@code InsertValuesExecutor}): an unknown target, a windowed one, a read-only
 * ({@code SOURCE}) one, then header columns.
 */
final class InsertValuesStatements {
    private InsertValuesStatements() {
    }

    static SqlException refusal(Statement.InsertValues insert, Catalog catalog) {
        if (catalog.dialect() == Dialect.KSQL) {
            SourceDefinition target = target(insert, catalog);
            if (dev.sluice.runtime.plan.WindowedSource.of(target.format()).isPresent()) {
                return new SqlException(insert.target().location(), "Cannot insert values into windowed stream/table!",
                        "a windowed source's key holds its window; write to a stream without WINDOW_TYPE");
            }
            if (catalog.readOnly(target.name())) {
                return new SqlException(insert.target().location(), "Cannot insert values into read-only "
                        + kind(target) + ": " + target.name(), "a SOURCE " + kind(target) + " only reads its "
                        + "topic; declare it without SOURCE to write into it");
            }
            List<String> headers = KsqlHeaderColumns.of(target);
            List<String> named = insert.columns().isEmpty() ? headers : insert.columns().stream()
                    .map(Identifier::value)
                    .flatMap(c -> headers.stream().filter(h -> h.equalsIgnoreCase(c)))
                    .toList();
            if (!named.isEmpty()) {
                return new SqlException(insert.location(), "Cannot insert into HEADER columns: "
                        + String.join(", ", named), "a record's headers are read, not written, by ksqlDB's "
                        + "statements: list the other columns, INSERT INTO " + target.name() + " (…) VALUES (…)");
            }
        }
        return new SqlException(insert.location(), "INSERT … VALUES is not supported in compiled applications: "
                + "a compiled application has no moment to write one row (it would be written again at "
                + "every start)", "produce the row to the topic of " + insert.target()
                + " with a Kafka client, or give it as an input record of a test case");
    }

    /** The target named exactly (ksqlDB matches a quoted name's case), else ksqlDB's refusal. */
    private static SourceDefinition target(Statement.InsertValues insert, Catalog catalog) {
        String name = insert.target().simpleName();
        List<SourceDefinition> sameSpelling = catalog.all().stream()
                .filter(s -> s.name().equalsIgnoreCase(name)).toList();
        return sameSpelling.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new SqlException(insert.target().location(), "Cannot insert values into an unknown stream/table: `"
                        + name + "`" + alternatives(sameSpelling),
                        "declare the stream or table (CREATE STREAM … WITH (KAFKA_TOPIC=…)) before inserting into it"));
    }

    /** ksqlDB's "did you mean" for a name that differs only in case (its {@code checkAlternatives}). */
    private static String alternatives(List<SourceDefinition> sameSpelling) {
        if (sameSpelling.isEmpty()) {
            return "";
        }
        List<SourceDefinition> sorted = sameSpelling.stream().sorted(Comparator.comparing(SourceDefinition::name))
                .toList();
        StringBuilder hint = new StringBuilder("\nDid you mean ");
        if (sorted.size() > 1) {
            for (int i = 0; i < sorted.size(); i++) {
                String punctuation = i < sorted.size() - 2 ? ", " : i == sorted.size() - 2 ? (i == 0 ? " or " : ", or ")
                        : "? ";
                hint.append('"').append(sorted.get(i).name()).append("\" (").append(kind(sorted.get(i))
                        .toUpperCase(Locale.ROOT)).append(')').append(punctuation);
            }
            return hint.append("Hint: wrap the source name in double quotes to make it case-sensitive.").toString();
        }
        String other = sorted.get(0).name();
        if (other.chars().anyMatch(Character::isLowerCase)) {
            return hint.append('"').append(other).append("\"? Hint: wrap the source name in double quotes to make it "
                    + "case-sensitive.").toString();
        }
        return hint.append(other).append("? Hint: try removing double quotes from the source name.").toString();
    }

    private static String kind(SourceDefinition source) {
        return source.kind() == SourceDefinition.Kind.TABLE ? "table" : "stream";
    }
}
