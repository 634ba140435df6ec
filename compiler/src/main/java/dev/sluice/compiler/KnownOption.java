package dev.sluice.compiler;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The WITH options Sluice itself reads, each with its spellings (Flink's, ksqlDB's, seed 001's)
 * and the type of its value. Every other option is passed through untouched: a format reads its
 * own options (checked when the compiler builds its serdes), and a connector's options (Kafka
 * Connect, Debezium) go to the connector as written.
 */
enum KnownOption {
    TOPIC(new OptionType.Text(), "topic", "kafka_topic", "kafka.topic", "table-name"),
    VALUE_FORMAT(new OptionType.Text(), "format", "value_format", "value.format"),
    KEY_FORMAT(new OptionType.Text(), "key_format", "key.format"),
    TIMESTAMP(new OptionType.Text(), "timestamp", "timestamp_field"),
    TIMESTAMP_FORMAT(new OptionType.DateTimePattern(), "timestamp_format"),
    PARTITIONS(new OptionType.WholeNumber(1, Integer.MAX_VALUE), "partitions"),
    REPLICAS(new OptionType.WholeNumber(1, Short.MAX_VALUE), "replicas"),
    RETENTION_MS(new OptionType.WholeNumber(-1, Long.MAX_VALUE), "retention_ms"),
    STARTUP_MODE(new OptionType.Choice(List.of("earliest-offset", "latest-offset", "group-offsets", "timestamp",
            "specific-offsets")), "scan.startup.mode"),
    WINDOW_TYPE(new OptionType.Choice(List.of("tumbling", "hopping", "session")), "window_type"),
    WINDOW_SIZE(new OptionType.Duration(), "window_size"),
    WRAP_SINGLE_VALUE(new OptionType.Flag(), "wrap_single_value"),
    KEY_SCHEMA_ID(new OptionType.WholeNumber(1, Integer.MAX_VALUE), "key_schema_id"),
    VALUE_SCHEMA_ID(new OptionType.WholeNumber(1, Integer.MAX_VALUE), "value_schema_id"),
    LOOKUP(new OptionType.Choice(List.of("global", "partitioned")), "lookup"),
    FIELDS_INCLUDE(new OptionType.Choice(List.of("all", "except_key")), "value.fields-include"),
    DELIVERY_GUARANTEE(new OptionType.Choice(List.of("at-least-once", "exactly-once", "none")),
            "sink.delivery-guarantee"),
    /** Change records of an updating result: Flink's upsert form, or the full retract form. */
    CHANGELOG_MODE(new OptionType.Choice(List.of("retract", "upsert")), "changelog.mode"),
    // file:// and kafka:// endpoints (seed 001), read when sampling and by the generated connector
    SAMPLE_SIZE(new OptionType.WholeNumber(1, Integer.MAX_VALUE), "sample_size"),
    INFER_TYPES(new OptionType.Flag(), "infer_types"),
    HEADER(new OptionType.Flag(), "header"),
    SKIP_LINES(new OptionType.WholeNumber(0, Integer.MAX_VALUE), "skip_lines"),
    COMPRESSION(new OptionType.Choice(List.of("auto", "none", "gzip", "snappy", "lz4", "zstd")), "compression"),
    // postgres:// endpoints (seed 001): the generated Debezium or JDBC connector's settings
    POLL_INTERVAL(new OptionType.Duration(), "poll_interval"),
    INCLUDE_TRANSACTION(new OptionType.Flag(), "include_transaction", "include_transaction_details"),
    SNAPSHOT_MODE(new OptionType.Choice(List.of("initial", "initial_only", "no_data", "never", "always",
            "when_needed", "schema_only", "configuration_based", "recovery")), "snapshot_mode");

    final OptionType type;
    final List<String> names;

    KnownOption(OptionType type, String... names) {
        this.type = type;
        this.names = List.of(names);
    }

    /** The known option {@code key} spells (any case), if Sluice knows it. */
    static Optional<KnownOption> of(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.names.contains(k)).findFirst();
    }
}
