package dev.sluice.runtime.plan;

/**
 * What a step accepts from one of its inputs. A step whose input emits more than it accepts is a
 * plan error (the analyzer reports it at the query); a step that needs old values makes its
 * input emit {@link ChangelogMode#RETRACT}.
 */
public enum InputRequirement {
    /** Inserts only: the step would treat an update as a new row. */
    APPEND_ONLY("append-only"),
    /** Inserts, or upserts and deletes by key. */
    UPSERT("upserts"),
    /** Inserts, or updates and deletes that carry the old row. */
    RETRACT("retractions");

    private final String label;

    InputRequirement(String label) {
        this.label = label;
    }

    public boolean accepts(ChangelogMode mode) {
        return this != APPEND_ONLY || mode == ChangelogMode.INSERT_ONLY;
    }

    public String label() {
        return label;
    }
}
