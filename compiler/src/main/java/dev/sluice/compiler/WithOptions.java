package dev.sluice.compiler;

import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.runtime.plan.TopicSettings;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One declaration's WITH clause (a CREATE STREAM|TABLE, or a sink's CREATE ... AS SELECT), parsed
 * once during analysis: every option Sluice knows ({@link KnownOption}) is checked and typed here, so
 * a bad value is a SQL error at the value (exit 65) and the code that uses an option reads a typed
 * value, not a string. {@code written} keeps every option as written (keys lower case): formats read
 * their own options from it, and options Sluice does not know (a Connect or Debezium setting) pass
 * through to whoever reads them.
 */
record WithOptions(Optional<ConnectorOption> connector, Map<KnownOption, Object> typed,
                   Map<KnownOption, NodeLocation> places, Map<String, String> written) {
    WithOptions {
        typed = Collections.unmodifiableMap(typed.isEmpty() ? new EnumMap<>(KnownOption.class) : new EnumMap<>(typed));
        places = Map.copyOf(places);
        written = Collections.unmodifiableMap(new LinkedHashMap<>(written));
    }

    /** Flink's changelog-json op column forms: every change as -U/+U pairs, or upserts (+U) only. */
    enum ChangelogForm { RETRACT, UPSERT }

    /**
     * The options written after a query's (last) SELECT, {@code SELECT ... FROM ... WITH (...)}: they
     * belong to the statement as its WITH clause does.
     */
    static List<Property> trailing(Query query) {
        QueryBody body = query.body();
        while (body instanceof QueryBody.SetOperation s) {
            body = s.right();
        }
        return body instanceof QueryBody.Select select ? select.options() : List.of();
    }

    /** Checks and types the options; the first bad value is a SqlException at its place. */
    static WithOptions parse(List<Property> properties) {
        Optional<ConnectorOption> connector = ConnectorOption.of(properties);
        Map<KnownOption, Object> typed = new EnumMap<>(KnownOption.class);
        Map<KnownOption, NodeLocation> places = new EnumMap<>(KnownOption.class);
        Map<KnownOption, Integer> spelling = new EnumMap<>(KnownOption.class);
        for (Property p : properties) {
            Optional<KnownOption> known = KnownOption.of(p.key());
            if (known.isEmpty()) {
                continue;
            }
            String text = SourceDeclarations.value(p.value());
            Object value = known.get().type.parse(p.key(), text, p.value().location());
            // Two spellings of one option: the first listed spelling wins ('topic' over 'kafka_topic'),
            // and of one spelling written twice, the last (as in the map of written options).
            int rank = known.get().names.indexOf(p.key().toLowerCase(Locale.ROOT));
            if (rank <= spelling.getOrDefault(known.get(), Integer.MAX_VALUE)) {
                spelling.put(known.get(), rank);
                typed.put(known.get(), value);
                places.put(known.get(), p.value().location());
            }
        }
        return new WithOptions(connector, typed, places, SourceDeclarations.properties(properties));
    }

    private Optional<Object> get(KnownOption option) {
        return Optional.ofNullable(typed.get(option));
    }

    Optional<String> topic() {
        return get(KnownOption.TOPIC).map(String.class::cast);
    }

    Optional<String> valueFormat() {
        return get(KnownOption.VALUE_FORMAT).map(String.class::cast);
    }

    Optional<String> keyFormat() {
        return get(KnownOption.KEY_FORMAT).map(String.class::cast);
    }

    /** ksqlDB's 'timestamp_format': the pattern a VARCHAR 'timestamp' column is read with. */
    Optional<String> timestampFormat() {
        return get(KnownOption.TIMESTAMP_FORMAT).map(String.class::cast);
    }

    /** The event-time column named by 'timestamp' / 'timestamp_field', with where it is written. */
    Optional<String> timestampColumn() {
        return get(KnownOption.TIMESTAMP).map(String.class::cast);
    }

    Optional<NodeLocation> place(KnownOption option) {
        return Optional.ofNullable(places.get(option));
    }

    boolean global() {
        return get(KnownOption.LOOKUP).map("global"::equals).orElse(false);
    }

    Optional<ChangelogForm> changelogForm() {
        return get(KnownOption.CHANGELOG_MODE).map(v -> ChangelogForm.valueOf(((String) v).toUpperCase(Locale.ROOT)));
    }

    OptionalLong windowSizeMs() {
        return get(KnownOption.WINDOW_SIZE).map(v -> OptionalLong.of((Long) v)).orElse(OptionalLong.empty());
    }

    Optional<String> windowType() {
        return get(KnownOption.WINDOW_TYPE).map(String.class::cast);
    }

    /** partitions, replicas, retention_ms: how {@code sluice run} creates the topic. */
    TopicSettings topicSettings() {
        return new TopicSettings(
                get(KnownOption.PARTITIONS).map(v -> OptionalInt.of(((Long) v).intValue())).orElse(OptionalInt.empty()),
                get(KnownOption.REPLICAS).map(v -> ((Long) v).shortValue()),
                get(KnownOption.RETENTION_MS).map(v -> OptionalLong.of((Long) v)).orElse(OptionalLong.empty()));
    }
}
