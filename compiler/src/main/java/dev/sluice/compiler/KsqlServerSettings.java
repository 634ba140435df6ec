package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;

import java.util.Locale;
import java.util.Map;

/**
 * ksqlDB server settings a script may give with {@code SET} (as ksqlDB's CLI does, and as ksqlDB's
 * test cases give them in {@code properties}) that change what a statement compiles to. Sluice
 * honours {@code ksql.persistence.wrap.single.values} (the default of WRAP_SINGLE_VALUE),
 * {@code ksql.timestamp.throw.on.invalid}, {@code ksql.output.topic.name.prefix} ({@link KsqlSinks}),
 * {@code ksql.functions.collect_list.limit} and {@code ksql.functions.collect_set.limit}.
 */
final class KsqlServerSettings {
    static final String WRAP_SINGLE_VALUES = "ksql.persistence.wrap.single.values";

    private KsqlServerSettings() {
    }

    /** A limit on the elements of COLLECT_LIST or COLLECT_SET results. */
    record CollectionLimit(String function, long limit) {
    }

    /**
     * {@code SET 'ksql.functions.collect_list.limit' = 'n'} (or collect_set): ksqlDB's limit on the
     * elements those aggregates keep, for the aggregations after the SET; negative is no limit.
     */
    static java.util.Optional<CollectionLimit> collectionLimit(dev.sluice.grammar.ast.Statement.Set set) {
        String key = set.key().toLowerCase(Locale.ROOT);
        String function = key.equals("ksql.functions.collect_list.limit") ? "COLLECT_LIST"
                : key.equals("ksql.functions.collect_set.limit") ? "COLLECT_SET" : null;
        if (function == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new CollectionLimit(function, Long.parseLong(set.value().strip())));
        } catch (NumberFormatException e) {
            throw new SqlException(set.location(), "'" + set.key() + "' must be a whole number, not '" + set.value() + "'");
        }
    }

    static final String TIMESTAMP_THROW_ON_INVALID = "ksql.timestamp.throw.on.invalid";

    /**
     * {@code SET 'ksql.timestamp.throw.on.invalid' = 'true'}: the user asks that a source's event time
     * text its 'timestamp_format' cannot read stop the query, as in ksqlDB, rather than be dropped and
     * counted (Sluice's default, and ksqlDB's without the setting).
     */
    static void timestampThrowOnInvalid(Map<String, String> formatProperties, Map<String, String> settings) {
        if (Boolean.parseBoolean(settings.getOrDefault(TIMESTAMP_THROW_ON_INVALID, "false").strip())) {
            formatProperties.put(dev.sluice.runtime.build.RowtimeExtractor.THROW_ON_INVALID, "true");
        }
    }

    /**
     * ksqlDB's {@code SerdeFeaturesFactory}: a source or sink whose WITH does not say WRAP_SINGLE_VALUE
     * takes the server's {@code ksql.persistence.wrap.single.values}, in a format that can both wrap
     * and unwrap (JSON, JSON_SR, AVRO); the other formats ignore the setting. The option only changes
     * a value of one column (the serdes read it so), so it is harmless beside several.
     */
    static void wrapSingleValueDefault(Map<String, String> formatProperties, Map<String, String> settings) {
        String configured = settings.get(WRAP_SINGLE_VALUES);
        if (configured == null || formatProperties.containsKey("wrap_single_value")) {
            return;
        }
        String format = formatProperties.getOrDefault("value_format", formatProperties.getOrDefault("format", ""))
                .toLowerCase(Locale.ROOT);
        if (format.equals("json") || format.equals("json_sr") || format.equals("avro")) {
            formatProperties.put("wrap_single_value", configured.strip().toLowerCase(Locale.ROOT));
        }
    }
}
