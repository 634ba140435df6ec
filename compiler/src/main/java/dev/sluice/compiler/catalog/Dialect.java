package dev.sluice.compiler.catalog;

/**
 * Which engine's results a script asks for. A script is in {@link #KSQL} when one of its CREATE
 * STREAM|TABLE statements names its topic with {@code KAFKA_TOPIC} (ksqlDB requires it, Flink has no
 * such option); otherwise it is {@link #FLINK}. See docs/compatibility.md.
 */
public enum Dialect {
    /** Flink SQL's results: Sluice's default. */
    FLINK,
    /**
     * ksqlDB's results: unquoted names upper-cased, KEY columns in the record key, ROWTIME as BIGINT,
     * 24 h default grace, windowed aggregates emit changes, KSQL_COL_n generated names.
     */
    KSQL
}
