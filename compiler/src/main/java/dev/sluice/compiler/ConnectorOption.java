package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.Suggestions;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Property;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code 'connector'} option of a WITH clause, typed where it is written. A Sluice application
 * reads and writes Kafka topics, so every connector names how the topic's records are meant (and,
 * for a sink, whether it takes updates); the others are the Flink connectors whose data Sluice reads
 * from a Kafka topic that something else fills. An unknown name is a SQL error at its value with a
 * did-you-mean, not a connector silently treated as Kafka.
 */
enum ConnectorOption {
    KAFKA("kafka", true, false),
    UPSERT_KAFKA("upsert-kafka", false, true),
    BLACKHOLE("blackhole", true, true),
    PRINT("print", true, true),
    FILESYSTEM("filesystem", true, false),
    DATAGEN("datagen", true, false),
    NEXMARK("nexmark", true, false),
    JDBC("jdbc", false, false),
    POSTGRES("postgres", false, false),
    POSTGRES_CDC("postgres-cdc", false, false),
    MYSQL_CDC("mysql-cdc", false, false);

    private static final List<String> KEYS = List.of("connector", "connector.type");

    final String sqlName;
    /** Rows read from it are only ever inserted (Flink's append-only sources). */
    final boolean appendOnly;
    /** A sink that takes updates (upserts and deletions), whatever the object is declared as. */
    final boolean takesUpdates;

    ConnectorOption(String sqlName, boolean appendOnly, boolean takesUpdates) {
        this.sqlName = sqlName;
        this.appendOnly = appendOnly;
        this.takesUpdates = takesUpdates;
    }

    /** The connector a WITH clause names, checked; empty when it names none. */
    static Optional<ConnectorOption> of(List<Property> declared) {
        for (Property p : declared) {
            if (KEYS.contains(p.key().toLowerCase(Locale.ROOT))) {
                String value = SourceDeclarations.value(p.value());
                return Optional.of(parse(value).orElseThrow(() -> {
                    List<String> known = Arrays.stream(values()).map(c -> c.sqlName).toList();
                    String hint = Suggestions.hint(value.toLowerCase(Locale.ROOT), known);
                    return new SqlException(p.value().location(), "unknown connector '" + value + "'",
                            (hint == null ? "" : hint + " ") + "(connectors: " + String.join(", ", known) + ")");
                }));
            }
        }
        return Optional.empty();
    }

    /** The connector of an already checked option value (from a FormatSpec's properties). */
    static Optional<ConnectorOption> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.sqlName.equals(name)).findFirst();
    }
}
