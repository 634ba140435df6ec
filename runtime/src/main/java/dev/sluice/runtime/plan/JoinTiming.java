package dev.sluice.runtime.plan;

/**
 * When an interval join of two streams emits a NULL-padded row, and what it does with a record
 * that arrives after its join window closed. The two dialects disagree, so the planner picks one
 * per join and {@code explain} prints it.
 */
public enum JoinTiming {
    /**
     * Flink SQL: a row is padded once its interval plus grace has passed; a record arriving after
     * that is dropped before the join, counted, logged and dead-lettered (reason {@code late}).
     */
    DROP_LATE("late records dead-lettered, padded at window close", "late records dead-lettered"),
    /**
     * ksqlDB with a {@code GRACE PERIOD} (Kafka Streams' {@code ofTimeDifferenceAndGrace}): a row is
     * padded once its interval plus grace has passed; a record whose window has already closed is
     * still joined against what the other side keeps and, in an outer join, padded at once.
     */
    PAD_LATE("late records joined or padded at once, padded at window close", "late records still joined"),
    /**
     * ksqlDB without a {@code GRACE PERIOD} (Kafka Streams' legacy {@code JoinWindows.of}): an outer
     * row without a match is padded at once, and emitted again joined when a match arrives.
     */
    PAD_AT_ONCE("padded at once, joined again on a match", "late records still joined");

    private final String explain;
    private final String explainInner;

    JoinTiming(String explain, String explainInner) {
        this.explain = explain;
        this.explainInner = explainInner;
    }

    /** How {@code explain} describes it for an inner join, which pads nothing. */
    public String explainInner() {
        return explainInner;
    }

    /** How {@code explain} describes it. */
    public String explain() {
        return explain;
    }
}
