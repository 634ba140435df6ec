package dev.sluice.runtime.plan;

/**
 * What a step's output records mean (Flink's changelog modes, in Kafka Streams terms).
 *
 * <ul>
 *   <li>{@link #INSERT_ONLY}: every record is a new row (+I); a KStream.</li>
 *   <li>{@link #UPSERT}: records are keyed by the step's key; a record inserts or replaces its key's
 *       row (+I/+U), a tombstone deletes it (-D); a KTable's changelog, a compacted topic.</li>
 *   <li>{@link #RETRACT}: as UPSERT, and every change also carries the row it replaces (-U before
 *       +U, -D with the deleted row): Kafka Streams forwards a KTable's old values when a consumer
 *       asks. Consumers that move rows between keys (a GROUP BY over a table re-groups a row whose
 *       group changed) need it.</li>
 * </ul>
 */
public enum ChangelogMode {
    INSERT_ONLY("insert-only"),
    UPSERT("upsert"),
    RETRACT("retract");

    private final String label;

    ChangelogMode(String label) {
        this.label = label;
    }

    /** Whether rows are updated or deleted after they are emitted. */
    public boolean updates() {
        return this != INSERT_ONLY;
    }

    public String label() {
        return label;
    }
}
